"""Luma Dream Machine API: video generations (Ray) with keyframes, video modify, Photon images.

Keyframes are ``frame0`` (first) and ``frame1`` (last). Luma documents hosted image URLs; this
adapter inlines local files as ``data:`` URIs, which Luma may refuse for large files (then the
HTTP error is classified as usual). No seed, no negative prompt on Ray.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import (
    InvalidInput,
    ProviderError,
    QuotaError,
    Rejected,
    RemoteFailure,
    TransientError,
)
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import (
    HttpCall,
    RemoteOutput,
    data_uri,
    looks_like_moderation,
)
from shotrelay.providers.reconcile import (
    Candidate,
    ListingHttpProvider,
    Page,
    echoes,
    parse_time,
)
from shotrelay.spec.vocabulary import Task

__all__ = ["LumaAgentsProvider", "LumaProvider"]

_PATHS: dict[Task, str] = {
    Task.TEXT_TO_VIDEO: "/generations/video",  # as the lumaai SDK posts (not /generations)
    Task.IMAGE_TO_VIDEO: "/generations/video",
    Task.VIDEO_TO_VIDEO: "/generations/video/modify",
    Task.TEXT_TO_IMAGE: "/generations/image",
}
_RESOLUTIONS = ("540p", "720p", "1080p", "4k")
#: The Luma Agents API's ``failure_code`` values (content_moderated, generation_failed,
#: budget_exhausted, output_not_found) and what each means here.
_FAILURE_CODES: dict[str, type[ProviderError]] = {
    "content_moderated": Rejected,
    "budget_exhausted": QuotaError,
    "generation_failed": RemoteFailure,
    "output_not_found": RemoteFailure,
}
#: Dream Machine sends no codes, only ``failure_reason`` / ``detail`` text; these words are
#: the last resort ("failed to moderate image" is a refusal; credits/budget are quota).
_MODERATION_TEXT = ("failed to moderate", "moderat", "content policy")
_QUOTA_TEXT = ("insufficient credits", "not enough credits", "credit balance", "budget")


class LumaProvider(ListingHttpProvider):
    """Luma's ``/dream-machine/v1`` API."""

    name: ClassVar[str] = "luma"
    key_env: ClassVar[str] = "LUMAAI_API_KEY"
    default_base_url: ClassVar[str] = "https://api.lumalabs.ai/dream-machine/v1"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}"}

    def _uri(self, request: JobRequest, role: str) -> str:
        return data_uri(request.inputs[role], max_bytes=self.inline_limit, role=role)

    def request_body(self, request: JobRequest) -> dict[str, Any]:
        """Luma's JSON for ``request``."""
        task, params, inputs = request.task, request.params, request.inputs
        body: dict[str, Any] = {"model": request.model.endpoint(task), "prompt": request.prompt}
        if task is not Task.VIDEO_TO_VIDEO and params.aspect:
            body["aspect_ratio"] = params.aspect
        if task in (Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO):
            if params.resolution in _RESOLUTIONS:
                body["resolution"] = params.resolution
            if params.clip_seconds:
                body["duration"] = f"{round(float(params.clip_seconds))}s"
            keyframes = {
                frame: {"type": "image", "url": self._uri(request, role)}
                for role, frame in (("first_frame", "frame0"), ("last_frame", "frame1"))
                if role in inputs
            }
            if keyframes:
                body["keyframes"] = keyframes
            if params.loop:
                body["loop"] = True
            if params.luma_concepts:
                body["concepts"] = [{"key": k} for k in params.luma_concepts]
        elif task is Task.VIDEO_TO_VIDEO:
            if "video" not in inputs:
                raise self._error(InvalidInput, "modify needs a video input", request.model.id)
            body["generation_type"] = "modify_video"  # required by lumaai's VideoModifyParams
            body["media"] = {"url": self._uri(request, "video")}
            body["mode"] = params.modify_mode or "flex_1"
            if "first_frame" in inputs:
                body["first_frame"] = {"url": self._uri(request, "first_frame")}
        elif task is Task.TEXT_TO_IMAGE:
            refs = sorted(r for r in inputs if r.startswith("reference_"))
            if refs:
                body["image_ref"] = [{"url": self._uri(request, r), "weight": 0.85} for r in refs]
        return body

    def build_submit(self, request: JobRequest) -> HttpCall:
        path = _PATHS.get(request.task)
        if path is None:
            raise self._error(
                InvalidInput, f"the adapter does not map task {request.task}", request.model.id
            )
        return HttpCall(url=path, body=self.request_body(request))

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("id"):
            raise self._error(
                TransientError, "submit answer has no generation id", request.model.id
            )
        return Handle(
            provider=self.name, remote_id=str(body["id"]), data={"model": request.model.id}
        )

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/generations/{handle.remote_id}")

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """A ``failure_code`` when the answer has one; else out-of-credit text (Luma sends it
        as a 400) is quota and moderation text a refusal (keywords: the last resort)."""
        code = str(body.get("failure_code") or "") if isinstance(body, dict) else ""
        if code in _FAILURE_CODES:
            return _FAILURE_CODES[code]
        low = detail.lower()
        if status in (400, 402, 403) and any(words in low for words in _QUOTA_TEXT):
            return QuotaError
        if status in (400, 422) and any(words in low for words in _MODERATION_TEXT):
            return Rejected
        return super().classify_error(status, body, detail, headers)

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        state = body.get("state") if isinstance(body, dict) else None
        if state == "queued":
            return JobStatus(state=JobState.QUEUED)
        if state == "dreaming":
            return JobStatus(state=JobState.RUNNING)
        if state == "completed":
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        if state == "failed":
            raise self._failed(body, handle)
        raise self._error(TransientError, f"unknown state {state!r}", self._model_of(handle))

    def _failed(self, body: dict[str, Any], handle: Handle) -> ProviderError:
        """The classified error of a failed generation: its ``failure_code`` first, then
        ``failure_reason`` text (Dream Machine has no codes), else a remote failure."""
        code = str(body.get("failure_code") or "")
        reason = str(body.get("failure_reason") or "no reason given")
        detail = f"{reason} [{code or 'no failure_code'}]"
        kind = _FAILURE_CODES.get(code)
        low = reason.lower()
        if kind is None and (looks_like_moderation(low) or "failed to moderate" in low):
            kind = Rejected
        elif kind is None and any(words in low for words in _QUOTA_TEXT):
            kind = QuotaError
        what = {Rejected: "moderation refused", QuotaError: "out of credits"}
        return self._error(
            kind or RemoteFailure,
            f"{what.get(kind or RemoteFailure, 'the generation failed')}: {detail}",
            self._model_of(handle),
        )

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        assets = body.get("assets") if isinstance(body, dict) else None
        if isinstance(assets, dict):
            if assets.get("video"):
                return RemoteOutput(url=str(assets["video"]), media_type="video/mp4")
            if assets.get("image"):
                return RemoteOutput(url=str(assets["image"]), media_type="image/jpeg")
        raise self._error(TransientError, "completed generation has no assets", request.model.id)

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return HttpCall(method="DELETE", url=f"/generations/{handle.remote_id}", expect="none")

    def find_call(self, request: JobRequest) -> HttpCall | None:
        """``GET /generations`` (newest first), 100 a page, paged by ``offset``."""
        return _listing(0)

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """Generations whose echoed ``request`` has this model, prompt and settings, not
        failed; the next page while ``has_more``."""
        items = body.get("generations") if isinstance(body, dict) else None
        items = [i for i in items or [] if isinstance(i, dict)]
        want = self.request_body(request)
        found = [
            Candidate(str(item["id"]), parse_time(item.get("created_at")))
            for item in items
            if item.get("id")
            and item.get("state") != "failed"
            and echoes(
                item.get("request"),
                want,
                required=("model", "prompt"),
                optional=("duration", "aspect_ratio", "resolution", "loop", "mode"),
            )
        ]
        times = [t for t in (parse_time(i.get("created_at")) for i in items) if t is not None]
        offset = int(body.get("offset") or 0) if isinstance(body, dict) else 0
        more = isinstance(body, dict) and bool(body.get("has_more")) and bool(items)
        return Page(
            found, min(times, default=None), _listing(offset + len(items)) if more else None
        )


def _listing(offset: int) -> HttpCall:
    return HttpCall(
        method="GET", url="/generations", params={"limit": "100", "offset": str(offset)}
    )


#: Ray 3.2's aspect ratios and output sizes on the Agents API (its video guide).
_AGENT_ASPECTS = ("9:16", "3:4", "1:1", "4:3", "16:9", "21:9")
_AGENT_RESOLUTIONS = ("540p", "720p", "1080p")


class LumaAgentsProvider(LumaProvider):
    """Luma's current API, the Agents API (``agents.lumalabs.ai/v1``, Ray 3.2).

    ``POST /generations`` with ``model``, ``type: "video"``, ``prompt``, ``aspect_ratio`` and
    the output settings under ``video`` (``resolution``, ``duration`` "5s"/"10s", ``loop``,
    ``start_frame``/``end_frame`` as inline ``{data, media_type}`` image refs); poll
    ``GET /generations/{id}`` (``queued``, ``processing``, ``completed``, ``failed`` with a
    ``failure_code``); the output is ``output[0].url``, presigned for an hour. Source:
    docs.agents.lumalabs.ai (video generation guide; generations API reference), read
    2026-12-02. Video editing (``video_edit``) is not mapped: the legacy ``luma`` adapter
    still modifies videos while Dream Machine answers.
    """

    name: ClassVar[str] = "luma_agents"
    key_env: ClassVar[str] = "LUMA_AGENTS_API_KEY"
    default_base_url: ClassVar[str] = "https://agents.lumalabs.ai/v1"

    def _image_ref(self, request: JobRequest, role: str) -> dict[str, str]:
        uri = self._uri(request, role)
        media_type, _, data = uri.removeprefix("data:").partition(";base64,")
        return {"data": data, "media_type": media_type}

    def request_body(self, request: JobRequest) -> dict[str, Any]:
        """The Agents API's JSON for a text- or image-to-video ``request``."""
        params = request.params
        if request.task not in (Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO):
            raise self._error(
                InvalidInput,
                f"the Agents API adapter maps video generation only, not {request.task}",
                request.model.id,
            )
        body: dict[str, Any] = {
            "model": request.model.endpoint(request.task),
            "type": "video",
            "prompt": request.prompt,
        }
        if params.aspect in _AGENT_ASPECTS:
            body["aspect_ratio"] = params.aspect
        video: dict[str, Any] = {}
        if params.resolution in _AGENT_RESOLUTIONS:
            video["resolution"] = params.resolution
        if params.clip_seconds:
            video["duration"] = "5s" if float(params.clip_seconds) <= 5 else "10s"
        for role, field in (("first_frame", "start_frame"), ("last_frame", "end_frame")):
            if role in request.inputs:
                video[field] = self._image_ref(request, role)
        if params.loop:
            video["loop"] = True
        if video:
            body["video"] = video
        return body

    def build_submit(self, request: JobRequest) -> HttpCall:
        return HttpCall(url="/generations", body=self.request_body(request))

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        if isinstance(body, dict) and body.get("state") == "processing":
            return JobStatus(state=JobState.RUNNING)
        return super().parse_status(body, handle)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        output = body.get("output") if isinstance(body, dict) else None
        first = output[0] if isinstance(output, list) and output else None
        if isinstance(first, dict) and first.get("url"):
            return RemoteOutput(url=str(first["url"]), media_type="video/mp4")
        raise self._error(TransientError, "completed generation has no output", request.model.id)

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return None  # the reference documents no cancel

    def find_call(self, request: JobRequest) -> HttpCall | None:
        return None  # no listing verified in the reference: a lost answer goes to a person
