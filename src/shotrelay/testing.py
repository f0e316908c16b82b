"""Fakes for testing code that drives shotrelay: a provider that counts submissions and can be
told to fail or crash, catalog rows, hand-made route plans, and engine hooks that keep a run
offline and deterministic. shotrelay's own tests and benches use them; so can plug-in authors.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import CostEstimate, Latency, ModelProfile, Pricing, PricingRule
from shotrelay.edit import CutItem
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult
from shotrelay.relay.hooks import EngineHooks
from shotrelay.route.plan import RoutePlan, ShotRoute, StageRoute
from shotrelay.spec.models import Format, Project, Shot
from shotrelay.spec.vocabulary import AXES, Stage, Task

__all__ = [
    "LOCAL_MODELS",
    "Crash",
    "FakeCutter",
    "FakeProvider",
    "NoSleep",
    "Packet",
    "compile_plain",
    "free",
    "hooks",
    "last_frame_fake",
    "model",
    "plan",
]


class Crash(BaseException):
    """Stands for the process dying (not an Exception: nothing may catch it)."""


def model(
    model_id: str,
    provider: str,
    tasks: Iterable[Task],
    *,
    usd: float = 0.0,
    local: bool = False,
    concurrency: int = 4,
    score: float | None = None,
) -> ModelProfile:
    """A permissive catalog row."""
    rule = PricingRule.PER_CLIP if usd else PricingRule.FREE
    return ModelProfile(
        id=model_id,
        provider=provider,
        name=model_id,
        api_model=f"api/{model_id}",
        tasks=list(tasks),
        pricing=Pricing(rule=rule, usd=usd),
        latency=Latency(base_s=1.0),
        concurrency=concurrency,
        local=local,
        resolutions=["720p", "1080p"],
        inputs={"first_frame": True, "reference_images": 2, "seed": True},
        scores={a: {"value": score, "source": "test"} for a in AXES if a != "cost"}
        if score is not None
        else {},
    )


LOCAL_MODELS = [
    model("local-previs", "local", [Task.TEXT_TO_IMAGE], local=True),
    model("local-camera", "local", [Task.IMAGE_TO_VIDEO], local=True),
    model("local-tts", "local", [Task.TTS], local=True),
    model("local-dub", "local", [Task.LIPSYNC], local=True),
]


class FakeProvider:
    """A provider that accepts jobs at once and writes bytes that depend on the request.

    ``fail`` maps a model id to errors raised by successive submits; ``crash_after_accept``
    makes the next submit record the job remotely, then die; ``listing`` is how ``find``
    behaves: "list" (searches its jobs), "none" (always None), "unsupported".
    """

    def __init__(self, name: str, *, cost: float | None = None, listing: str = "list") -> None:
        self.name = name
        self.cost = cost
        self.listing = listing
        self.submissions: list[str] = []
        self.polls = 0
        self.remote: dict[str, JobRequest] = {}
        self.fail: dict[str, list[BaseException]] = {}
        self.crash_after_accept = False
        self.crash_on_poll = False
        self.running_polls = 0
        self.in_flight = 0
        self.max_in_flight = 0

    def available(self) -> tuple[bool, str]:
        return True, ""

    async def submit(self, request: JobRequest) -> Handle:
        queue = self.fail.get(request.model.id)
        if queue:
            raise queue.pop(0)
        self.submissions.append(request.job_id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        remote_id = f"{self.name}-{len(self.submissions)}"
        self.remote[remote_id] = request
        if self.crash_after_accept:
            self.crash_after_accept = False
            raise Crash("died after the provider accepted the job")
        return Handle(provider=self.name, remote_id=remote_id)

    async def poll(self, handle: Handle) -> JobStatus:
        self.polls += 1
        if self.crash_on_poll:
            self.crash_on_poll = False
            raise Crash("died while waiting")
        if self.running_polls:
            self.running_polls -= 1
            return JobStatus(state=JobState.RUNNING, progress=0.5)
        return JobStatus(state=JobState.SUCCEEDED)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        body = {
            "model": request.model.id,
            "stage": request.stage.value,
            "shot": request.shot_id,
            "prompt": request.prompt,
            "seed": request.seed,
            "inputs": {
                k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in request.inputs.items()
            },
        }
        self.in_flight -= 1
        path = dest / "out.bin"
        path.write_text(json.dumps(body, sort_keys=True))
        media = "image/png" if request.stage == Stage.KEYFRAME else "video/mp4"
        return ProviderResult(path=path, media_type=media, cost_usd=self.cost)

    async def cancel(self, handle: Handle) -> None:
        return None

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        if self.listing == "unsupported":
            raise NotImplementedError
        if self.listing == "none":
            return None
        for remote_id, req in self.remote.items():
            if req.job_id == request.job_id:
                return Handle(provider=self.name, remote_id=remote_id)
        return None


class NoSleep:
    """An injected sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)  # let other jobs run, without waiting


class Packet:
    """A minimal continuity packet."""

    def __init__(self, refs: list[Path] | None = None) -> None:
        self.reference_images = refs or []
        self.handoff = False


def compile_plain(
    stage: Stage, shot: Shot, project: Project, m: ModelProfile, packet: Any
) -> tuple[str, str]:
    """A prompt that changes when the shot's words or the model change."""
    return f"[{m.dialect}:{m.id}] {stage.value}: {shot.subject} {shot.action}", ""


class FakeCutter:
    """Records every cut (its clips and format) and writes the clips' contents in order."""

    def __init__(self) -> None:
        self.calls: list[list[CutItem]] = []
        self.formats: list[Format] = []

    def __call__(self, clips: list[CutItem], out: Path, fmt: Format, music: Path | None) -> Path:
        self.calls.append(clips)
        self.formats.append(fmt)
        out.write_text(json.dumps([[c.shot_id, c.path.read_text()] for c in clips]))
        return out


def last_frame_fake(video: Path, out_png: Path) -> Path:
    """A "last frame" that names the clip it came from (no decoding)."""
    out_png.write_text("last frame of " + hashlib.sha256(video.read_bytes()).hexdigest())
    return out_png


def hooks(cutter: FakeCutter, sleep: NoSleep | None = None, **kw: Any) -> EngineHooks:
    """Engine hooks that keep a run offline and deterministic."""
    return EngineHooks(
        compile=compile_plain,
        packets=lambda project: lambda shot_id: Packet(),
        cutter=cutter,
        extract_last_frame=last_frame_fake,
        sleep=sleep or NoSleep(),
        rand=lambda: 0.5,
        **kw,
    )


def plan(project: Project, stages: dict[Stage, tuple[ModelProfile, list[str]]]) -> RoutePlan:
    """A hand-made route: the same models for every shot."""
    shots = []
    for shot in project.shots:
        routes = []
        for stage, (m, fallbacks) in stages.items():
            task = next(t for t in stage.tasks if m.does(t))
            routes.append(
                StageRoute(
                    stage=stage,
                    task=task,
                    model=m.id,
                    provider=m.provider,
                    cost=m.pricing.estimate(seconds=shot.duration),
                    seconds=1.0,
                    score=1.0,
                    quality=1.0,
                    fallbacks=fallbacks,
                    params=CallParams(clip_seconds=shot.duration),
                )
            )
        shots.append(ShotRoute(id=shot.id, role=shot.role, stages=routes))
    return RoutePlan(project=project.name, policy="test", shots=shots)


def free() -> CostEstimate:
    """A zero cost estimate."""
    return CostEstimate(usd=0.0, rule="free")


Factory = Callable[..., Any]
