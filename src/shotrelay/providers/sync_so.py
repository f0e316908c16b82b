"""sync.so lip sync: ``POST /v2/generate`` with a video and an audio input, polled at
``/v2/generate/{id}``; the result is at ``outputUrl``. ``REJECTED`` is a moderation refusal.

Inputs go as ``data:`` URIs; sync.so documents hosted URLs or asset ids, so large files may
be refused (the HTTP error is classified as usual).
"""

from __future__ import annotations

from typing import Any, ClassVar

from shotrelay.errors import InvalidInput, Rejected, RemoteFailure, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import (
    HttpCall,
    RemoteOutput,
    data_uri,
    looks_like_moderation,
)
from shotrelay.providers.reconcile import Candidate, ListingHttpProvider, Page, parse_time
from shotrelay.spec.vocabulary import Task

__all__ = ["SyncSoProvider"]


class SyncSoProvider(ListingHttpProvider):
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
            "options": {"sync_mode": (request.params.sync_mode or "cut_off")},
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
        model = self._model_of(handle)
        if status in ("REJECTED", "FAILED"):
            code = str(body.get("error_code") or body.get("errorCode") or "no error code")
            detail = f"{body.get('error') or status.lower()} [{code}]"
            # REJECTED is sync.so's own status for a refusal; a FAILED one has no code for it,
            # so its text is tested for moderation words (the last resort).
            if status == "REJECTED" or looks_like_moderation(detail):
                raise self._error(Rejected, f"refused: {detail}", model)
            raise self._error(RemoteFailure, f"the generation failed: {detail}", model)
        raise self._error(TransientError, f"unknown status {status!r}", model)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        url = body.get("outputUrl") if isinstance(body, dict) else None
        if not url:
            raise self._error(TransientError, "finished job has no outputUrl", request.model.id)
        return RemoteOutput(url=str(url), media_type="video/mp4")

    def find_call(self, request: JobRequest) -> HttpCall | None:
        """``GET /v2/generations`` newest first, 100 a page, paged by ``cursor``."""
        return _listing(None)

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """Generations of this model and sync mode, not failed, whose inputs are ours.

        An echoed input URL that differs from ours rules a generation out only when it is
        itself a ``data:`` URI: sync.so may rehost what we sent inline.
        """
        items = [i for i in body if isinstance(i, dict)] if isinstance(body, list) else []
        model = request.model.endpoint(request.task)
        mode = request.params.sync_mode or "cut_off"
        sent = {k: data_uri(p, max_bytes=self.inline_limit, role=k)
                for k, p in request.inputs.items() if k in ("video", "audio")}  # fmt: skip
        found = [
            Candidate(str(item["id"]), parse_time(item.get("createdAt")))
            for item in items
            if item.get("id")
            and item.get("status") not in _ENDED_BADLY
            and item.get("model") == model
            and (item.get("options") or {}).get("sync_mode", mode) == mode
            and _same_inputs(item.get("input"), sent)
        ]
        times = [t for t in (parse_time(i.get("createdAt")) for i in items) if t is not None]
        full = len(items) >= _PAGE and items[-1].get("id")
        nxt = _listing(str(items[-1]["id"])) if full else None
        return Page(found, min(times, default=None), nxt)


_PAGE = 100
_ENDED_BADLY = ("FAILED", "REJECTED", "CANCELED", "TIMED_OUT")


def _listing(cursor: str | None) -> HttpCall:
    params = {"limit": str(_PAGE)}
    if cursor:
        params["cursor"] = cursor
    return HttpCall(method="GET", url="/v2/generations", params=params)


def _same_inputs(echoed: Any, sent: dict[str, str]) -> bool:
    """No echoed input contradicts what we sent (a different inline file, a missing kind)."""
    if not isinstance(echoed, list):
        return False
    urls = {str(i.get("type")): str(i.get("url") or "") for i in echoed if isinstance(i, dict)}
    for kind, uri in sent.items():
        if kind not in urls:
            return False
        if urls[kind] != uri and urls[kind].startswith("data:"):
            return False
    return True
