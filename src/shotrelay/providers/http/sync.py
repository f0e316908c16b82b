"""SyncHttpProvider: for APIs that answer with the output itself (TTS, image generation).

``submit`` makes the call and spools the output to a local folder, recording its path in the
handle; ``poll`` reports it ready; ``fetch`` moves it into the engine's folder. The handle is
still written to the journal before anything waits, and ``find`` adopts a spooled output left
by a crash, so a paid call is not repeated when its output survived.
"""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from pathlib import Path
from typing import Any

from shotrelay.errors import TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult
from shotrelay.providers.http.media import extension
from shotrelay.providers.http.provider import HttpProvider, RemoteOutput

__all__ = ["SyncHttpProvider"]


class SyncHttpProvider(HttpProvider):
    """An :class:`HttpProvider` whose submit call returns the result (no remote job)."""

    def __init__(self, *, spool_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spool_dir = spool_dir or Path(tempfile.gettempdir()) / "shotrelay-spool" / self.name

    def parse_result(self, body: Any, request: JobRequest) -> RemoteOutput:
        """The output in the submit answer (bytes, base64 decoded, or a URL)."""
        raise NotImplementedError

    async def submit(self, request: JobRequest) -> Handle:
        """Make the call and keep its output in the spool folder."""
        model = request.model.id
        body = await self.send(self.build_submit(request), model=model)
        out = self.parse_result(body, request)
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        stem = request.job_id
        if out.data:
            media_type = out.media_type or "application/octet-stream"
            path = self.spool_dir / f"{stem}{extension(media_type)}"
            part = path.with_suffix(path.suffix + ".part")
            part.write_bytes(out.data)
            part.replace(path)
        elif out.url:
            path, media_type = await self.download(
                out.url, self.spool_dir, stem=stem, hint=out.media_type,
                authorized=out.authorized, model=model,
            )  # fmt: skip
        else:
            raise self._error(TransientError, "answer holds no output", model)
        return self._handle(request, path, media_type, out.cost_usd)

    def _handle(
        self, request: JobRequest, path: Path, media_type: str, cost: float | None
    ) -> Handle:
        return Handle(
            provider=self.name,
            remote_id=request.job_id,
            data={
                "model": request.model.id,
                "spool": str(path),
                "media_type": media_type,
                "cost_usd": cost,
            },
        )

    async def poll(self, handle: Handle) -> JobStatus:
        """Ready when the spooled output exists; FAILED (resubmit) when it was lost."""
        if Path(handle.data.get("spool", "")).is_file():
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        return JobStatus(state=JobState.FAILED, message="spooled output is gone; resubmit")

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Move the spooled output into ``dest``."""
        spool = Path(handle.data.get("spool", ""))
        if not spool.is_file():
            raise self._error(TransientError, "spooled output is gone", request.model.id)
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / spool.name
        shutil.move(spool, target)
        cost = handle.data.get("cost_usd")
        return ProviderResult(
            path=target,
            media_type=str(handle.data.get("media_type") or "application/octet-stream"),
            cost_usd=float(cost) if cost is not None else None,
        )

    async def cancel(self, handle: Handle) -> None:
        """Nothing to cancel: the call finished inside submit."""

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """Adopt an output spooled before a crash; None when there is none."""
        for path in sorted(self.spool_dir.glob(f"{request.job_id}.*")):
            if path.suffix != ".part" and path.is_file():
                media_type = _type_of(path)
                return self._handle(request, path, media_type, None)
        return None


def _type_of(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
