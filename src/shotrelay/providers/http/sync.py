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

from shotrelay.errors import SubmissionUnknown, TransientError
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
        """Make the call and keep its output in the spool folder (or its URL in the handle).

        The call is paid: a lost or unreadable answer is ``SubmissionUnknown``.
        """
        model = request.model.id
        body = await self.send(self.build_submit(request), model=model, paid=True)
        try:
            out = self.parse_result(body, request)
        except TransientError as exc:
            raise self._error(
                SubmissionUnknown,
                f"the call was answered but the answer is unusable ({exc}); it may have been "
                "made and billed",
                model,
            ) from None
        if out.data:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            media_type = out.media_type or "application/octet-stream"
            path = self.spool_dir / f"{request.job_id}{extension(media_type)}"
            part = path.with_suffix(path.suffix + ".part")
            part.write_bytes(out.data)
            part.replace(path)
            return self._handle(request, path, media_type, out.cost_usd)
        if out.url:
            # Downloaded by fetch, which the engine retries with this same handle.
            handle = self._handle(request, None, out.media_type, out.cost_usd)
            data = {**handle.data, "url": out.url, "authorized": out.authorized}
            return handle.model_copy(update={"data": data})
        raise self._error(SubmissionUnknown, "the answer holds no output", model)

    def _handle(
        self, request: JobRequest, path: Path | None, media_type: str | None, cost: float | None
    ) -> Handle:
        return Handle(
            provider=self.name,
            remote_id=request.job_id,
            data={
                "model": request.model.id,
                "spool": str(path) if path is not None else "",
                "media_type": media_type,
                "cost_usd": cost,
            },
        )

    async def poll(self, handle: Handle) -> JobStatus:
        """Ready when the spooled output exists or its URL is known; otherwise it was lost."""
        if handle.data.get("url") or _spooled(handle) is not None:
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        return JobStatus(state=JobState.FAILED, message="spooled output is gone; resubmit")

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Move the spooled output into ``dest``, or download it from the answer's URL."""
        cost = handle.data.get("cost_usd")
        cost_usd = float(cost) if cost is not None else None
        dest.mkdir(parents=True, exist_ok=True)
        spool = _spooled(handle)
        if spool is None and handle.data.get("url"):
            path, media_type = await self.download(
                str(handle.data["url"]), dest, stem=request.job_id,
                hint=handle.data.get("media_type"),
                authorized=bool(handle.data.get("authorized")), model=request.model.id,
            )  # fmt: skip
            return ProviderResult(path=path, media_type=media_type, cost_usd=cost_usd)
        if spool is None:
            raise self._error(TransientError, "spooled output is gone", request.model.id)
        target = dest / spool.name
        shutil.move(spool, target)
        return ProviderResult(
            path=target,
            media_type=str(handle.data.get("media_type") or "application/octet-stream"),
            cost_usd=cost_usd,
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


def _spooled(handle: Handle) -> Path | None:
    spool = str(handle.data.get("spool") or "")
    return Path(spool) if spool and Path(spool).is_file() else None


def _type_of(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
