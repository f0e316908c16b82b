"""sync.so lip sync: ``POST /v2/generate`` with a video and an audio input, polled at
``/v2/generate/{id}``; the result is at ``outputUrl``. ``REJECTED`` is a moderation refusal.

Inputs go as ``data:`` URIs; sync.so documents hosted URLs or asset ids, so large files may
be refused (the HTTP error is classified as usual).
"""

from __future__ import annotations

from typing import Any, ClassVar

from shotrelay.errors import InvalidInput, Rejected, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import HttpCall, HttpProvider, RemoteOutput, data_uri
from shotrelay.spec.vocabulary import Task

__all__ = ["SyncSoProvider"]


class SyncSoProvider(HttpProvider):
    """sync.so's v2 API (``api.sync.so``)."""

    name: ClassVar[str] = "sync"
    key_env: ClassVar[str] = "SYNC_API_KEY"
    default_base_url: ClassVar[str] = "https://api.sync.so"
    #: 1 on the Hobbyist plan (3 Creator, 6 Growth, 15 Scale): SHOTRELAY_SYNC_CONCURRENCY.
    default_concurrency: ClassVar[int | None] = 1

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"x-api-key": key.reveal()}

    def build_submit(self, request: JobRequest) -> HttpCall:
        missing = [r for r in ("video", "audio") if r not in request.inputs]
        if request.task is not Task.LIPSYNC or missing:
            raise self._error(
                InvalidInput, f"lip sync needs video and audio inputs (missing {missing})",
                request.model.id,
            )  # fmt: skip
        body: dict[str, Any] = {
            "model": request.model.endpoint(request.task),
            "input": [
                {"type": kind, "url": data_uri(request.inputs[kind], max_bytes=self.inline_limit,
                                               role=kind)}
                for kind in ("video", "audio")
            ],
            "options": {"sync_mode": request.params.get("sync_mode", "cut_off")},
        }  # fmt: skip
        return HttpCall(url="/v2/generate", body=body)

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("id"):
            raise self._error(TransientError, "submit answer has no id", request.model.id)
        return Handle(
            provider=self.name, remote_id=str(body["id"]), data={"model": request.model.id}
        )

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/v2/generate/{handle.remote_id}")

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        if status == "PENDING":
            return JobStatus(state=JobState.QUEUED)
        if status == "PROCESSING":
            return JobStatus(state=JobState.RUNNING)
        if status == "COMPLETED":
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        if status == "REJECTED":
            detail = body.get("error") or "rejected"
            raise self._error(Rejected, f"refused: {detail}", self._model_of(handle))
        if status == "FAILED":
            return JobStatus(state=JobState.FAILED, message=str(body.get("error") or "failed"))
        raise self._error(TransientError, f"unknown status {status!r}", self._model_of(handle))

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        url = body.get("outputUrl") if isinstance(body, dict) else None
        if not url:
            raise self._error(TransientError, "finished job has no outputUrl", request.model.id)
        return RemoteOutput(url=str(url), media_type="video/mp4")
