"""A paid provider for the agent tests, installed as a plug-in (entry points) so a stdio
server in a subprocess loads it too: ``paid-camera`` renders with the local camera model
(real clips, offline) and bills $0.25 a clip. Every submission is appended to the file
named by $PAIDCAM_LEDGER, so a test counts what the "provider" received."""

from __future__ import annotations

import os
from pathlib import Path

from shotrelay.catalog import load_catalog
from shotrelay.providers.base import Handle, JobRequest, JobStatus, ProviderResult
from shotrelay.providers.local import LocalProvider

USD_PER_CLIP = 0.25

CATALOG = f"""
models:
  - id: paid-camera
    provider: paidcam
    name: Paid camera (test)
    api_model: paid/camera
    tasks: [image_to_video]
    min_duration: 0.5
    max_duration: 60
    resolutions: [360p, 480p, 540p, 720p, 768p, 1080p, 1440p, 4k]
    inputs: {{first_frame: true, seed: true, camera_control: true}}
    scores:
      aesthetics: {{value: 0.9, source: test}}
      motion: {{value: 0.9, source: test}}
      geometry: {{value: 0.9, source: test}}
      continuity: {{value: 0.9, source: test}}
      control: {{value: 0.9, source: test}}
      speed: {{value: 0.9, source: test}}
    pricing: {{rule: per_clip, usd: {USD_PER_CLIP}, source: "test price"}}
    latency: {{base_s: 1, source: test}}
    concurrency: 2
    dialect: local
    # Runs here (a rented GPU, say), so the judge takes its previs-like clips as the local
    # camera's: stills allowed. It still costs money, so the gate applies.
    local: true
"""


def catalog() -> str:
    """The plug-in's catalog row."""
    return CATALOG


class PaidCamera:
    """Bills a clip, renders it locally."""

    name = "paidcam"
    poll_interval_s = 0.1

    def __init__(self) -> None:
        self._local = LocalProvider()

    def available(self) -> tuple[bool, str]:
        return True, ""

    def _as_local(self, request: JobRequest) -> JobRequest:
        return request.model_copy(update={"model": load_catalog().get("local-camera")})

    async def submit(self, request: JobRequest) -> Handle:
        with Path(os.environ["PAIDCAM_LEDGER"]).open("a", encoding="utf-8") as ledger:
            ledger.write(request.job_id + "\n")
        handle = await self._local.submit(self._as_local(request))
        return Handle(provider=self.name, remote_id=handle.remote_id, data=handle.data)

    async def poll(self, handle: Handle) -> JobStatus:
        return await self._local.poll(handle)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        result = await self._local.fetch(handle, self._as_local(request), dest)
        return result.model_copy(update={"cost_usd": USD_PER_CLIP})

    async def cancel(self, handle: Handle) -> None:
        await self._local.cancel(handle)

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        return None


ENTRY_POINTS = """
[shotrelay.providers]
paidcam = paidcam:PaidCamera

[shotrelay.catalog]
paidcam = paidcam:catalog
"""


def install(site: Path) -> Path:
    """Make ``site`` a folder that, on sys.path, installs this module as a distribution."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "paidcam.py").write_text(Path(__file__).read_text(encoding="utf-8"))
    info = site / "paidcam-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: paidcam\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return site
