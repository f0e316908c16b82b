"""fal.ai queue protocol: one adapter for every fal endpoint (Kling, Hailuo, PixVerse, Seedance,
Wan, Pika, FLUX, RIFE/FILM, lip sync, upscalers).

The model's ``api_model`` (or its per-task ``endpoints`` entry) is the fal endpoint id. Field
names differ per endpoint family; ``fal_families.yaml`` says which input goes in which field.
Local files are inlined as ``data:`` URIs (fal accepts them for ``*_url`` fields) up to
10 MB; larger ones go to fal storage first (initiate, PUT to the signed URL, send the file
URL), the flow of fal-client's ``upload_file(repository="fal")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

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
from shotrelay.providers.fal_errors import detail_types, fal_error_kind
from shotrelay.providers.http import (
    HttpCall,
    RemoteOutput,
    error_detail,
    looks_like_moderation,
)
from shotrelay.providers.http.uploads import Staged, UploadingProvider, media_type
from shotrelay.providers.reconcile import (
    SKEW_S,
    Candidate,
    Clock,
    ListingHttpProvider,
    Page,
    echoes,
    iso_utc,
    not_listed,
    parse_time,
)
from shotrelay.spec.vocabulary import Task

__all__ = ["FalFamily", "FalProvider", "fal_error_kind", "fal_family", "families"]


class FalFamily(BaseModel):
    """How one family of fal endpoints names its inputs (checked against each endpoint's
    published input schema in tests/providers/cloud/schemas/fal/)."""

    model_config = ConfigDict(frozen=True)

    match: str
    prompt: bool = True
    inputs: dict[str, str] = {"first_frame": "image_url"}
    #: Input roles sent as one list field: role prefix -> field (Kling 4's middle keyframes).
    lists: dict[str, str] = {}
    duration: Literal["str", "int", "none"] = "str"
    aspect_ratio: bool = True
    negative_prompt: bool = True
    seed: bool = True
    image_size: bool = False
    #: The ``resolution`` values the endpoint takes (empty: it has no such field).
    resolutions: list[str] = []
    #: The upscale factor's field name, for upscalers.
    scale_field: str = "scale"
    output: Literal["video", "image"] = "video"


@cache
def families() -> tuple[FalFamily, ...]:
    """The endpoint families of ``fal_families.yaml``, in match order."""
    text = resources.files("shotrelay.providers").joinpath("fal_families.yaml").read_text("utf-8")
    rows = YAML(typ="safe").load(text)["families"]
    return tuple(FalFamily.model_validate(row) for row in rows)


def _resolution(fam: FalFamily, wanted: object) -> str | None:
    """The endpoint's name for the routed resolution ("4k" is "2160p" on some), if it takes it."""
    if not fam.resolutions or not isinstance(wanted, str):
        return None
    for name in (wanted, {"4k": "2160p", "2160p": "4k"}.get(wanted, "")):
        if name in fam.resolutions:
            return name
    return None


def fal_family(endpoint: str) -> FalFamily:
    """The field mapping for a fal endpoint id."""
    low = endpoint.lower()
    return next(f for f in families() if f.match in low)


class FalProvider(UploadingProvider, ListingHttpProvider):
    """fal.ai queue: submit to ``queue.fal.run/{endpoint}``, poll ``status_url``, read
    ``response_url``, cancel with ``cancel_url``. A lost submission answer is looked up in
    the platform API's requests-by-endpoint listing (``api.fal.ai/v1``)."""

    name: ClassVar[str] = "fal"
    key_env: ClassVar[str] = "FAL_KEY"
    default_base_url: ClassVar[str] = "https://queue.fal.run"
    default_platform_url: ClassVar[str] = "https://api.fal.ai/v1"
    #: fal's storage API (fal-client's ``REST_URL``).
    default_rest_url: ClassVar[str] = "https://rest.fal.ai"
    server_filtered: ClassVar[bool] = True
    #: The listing shows a request once it ends: absent after this long means never accepted.
    settle_s: ClassVar[float] = 2 * 3600.0

    def __init__(
        self,
        *,
        platform_url: str | None = None,
        rest_url: str | None = None,
        clock: Clock | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._platform_url = platform_url
        self._rest_url = rest_url
        self._clock = clock

    @property
    def rest_url(self) -> str:
        """fal's storage API: the argument, else ``SHOTRELAY_FAL_REST_URL``, else public."""
        setting = self._credentials.setting("SHOTRELAY_FAL_REST_URL")
        return (self._rest_url or setting or self.default_rest_url).rstrip("/")

    async def upload(self, path: Path, *, role: str, model: str) -> str:
        """``POST /storage/upload/initiate?storage_type=gcs`` (file name and type), then the
        bytes PUT to the signed ``upload_url``; the answer's ``file_url`` is the input."""
        ctype = media_type(path)
        what = "POST /storage/upload/initiate"
        started = await self.send(
            HttpCall(
                url=f"{self.rest_url}/storage/upload/initiate",
                params={"storage_type": "gcs"},
                body={"file_name": path.name, "content_type": ctype},
                headers={"Accept": "application/json"},
            ),
            model=model,
        )
        file_url = self.answer_field(started, "file_url", what=what, model=model)
        target = self.answer_field(started, "upload_url", what=what, model=model)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{role}: cannot read {path}: {exc.strerror}") from None
        headers = {"Content-Type": ctype}
        if urlsplit(str(target)).netloc == urlsplit(self.rest_url).netloc:
            headers = self._headers(headers, model=model)  # fal's own host: as the SDK does
        await self.send_to_storage(
            "PUT", str(target), content=raw, headers=headers, role=role, model=model
        )
        return str(file_url)

    @property
    def platform_url(self) -> str:
        """fal's platform API: the argument, else ``SHOTRELAY_FAL_PLATFORM_URL``, else public."""
        setting = self._credentials.setting("SHOTRELAY_FAL_PLATFORM_URL")
        return (self._platform_url or setting or self.default_platform_url).rstrip("/")

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Key {key.reveal()}"}

    def request_body(self, request: JobRequest, staged: Staged | None = None) -> dict[str, Any]:
        """The endpoint's JSON input for ``request`` in its family's field names
        (``staged``: the fal storage URLs of uploaded inputs)."""
        staged = staged or {}
        endpoint = request.model.endpoint(request.task)
        fam = fal_family(endpoint)
        params = request.params
        body: dict[str, Any] = {}
        if request.prompt and fam.prompt:
            body["prompt"] = request.prompt
        for role, field in fam.inputs.items():
            if role in request.inputs:
                body[field] = self.media(request, role, staged)
        for prefix, field in fam.lists.items():
            roles = sorted(r for r in request.inputs if r.startswith(prefix))
            if roles:
                body[field] = [self.media(request, r, staged) for r in roles]
        listed = tuple(fam.lists)
        missing = [r for r in request.inputs if r not in fam.inputs and not r.startswith(listed)]
        if missing:
            raise InvalidInput(
                f"fal: {endpoint} takes no {', '.join(sorted(missing))} input"
                f" (it takes {', '.join(fam.inputs) or 'none'})",
                provider=self.name,
                model=request.model.id,
            )
        seconds = params.clip_seconds
        if seconds is not None and fam.duration != "none":
            whole = round(float(seconds))
            body["duration"] = str(whole) if fam.duration == "str" else whole
        resolution = _resolution(fam, params.resolution)
        if resolution:
            body["resolution"] = resolution
        if fam.aspect_ratio and params.aspect and "first_frame" not in request.inputs:
            body["aspect_ratio"] = params.aspect
        if fam.image_size and params.width and params.height:
            body["image_size"] = {"width": int(params.width), "height": int(params.height)}
            body["num_images"] = 1
        if fam.negative_prompt and request.negative_prompt:
            body["negative_prompt"] = request.negative_prompt
        if fam.seed and request.seed is not None:
            body["seed"] = request.seed
        if request.task is Task.INTERPOLATE and params.factor:
            body["num_frames"] = max(1, int(params.factor) - 1)
        if request.task is Task.UPSCALE and params.scale:
            body[fam.scale_field] = params.scale
        body.update(params.fal_extra or {})
        return body

    def build_staged(self, request: JobRequest, staged: Staged) -> HttpCall:
        endpoint = request.model.endpoint(request.task).strip("/")
        return HttpCall(url=endpoint, body=self.request_body(request, staged))

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        try:
            rid = str(body["request_id"])
            urls = {k: str(body[k]) for k in ("status_url", "response_url", "cancel_url")}
        except (KeyError, TypeError):
            raise self._error(
                TransientError, "submit answer lacks request_id/status_url", request.model.id
            ) from None
        endpoint = request.model.endpoint(request.task)
        return Handle(
            provider=self.name,
            remote_id=rid,
            data={"model": request.model.id, "endpoint": endpoint, **urls},
        )

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=handle.data["status_url"], params={"logs": "0"})

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """By fal's codes: ``detail[].type`` (model errors), ``error_type`` /
        ``X-Fal-Error-Type`` (request errors) and ``X-Fal-Retryable``."""
        error_type = str(body.get("error_type") or "") if isinstance(body, dict) else ""
        error_type = error_type or str(headers.get("x-fal-error-type") or "")
        kind = fal_error_kind(error_type, detail_types(body))
        if kind is not None:
            return kind
        retryable = str(headers.get("x-fal-retryable") or "").lower()
        if status >= 500 and retryable == "false":
            return RemoteFailure  # fal says the request failed for good
        if retryable == "true" and status != 429:
            return TransientError
        if status == 403 and "balance" in detail.lower():
            # fal sends no code for a locked account ("Exhausted balance"): text, last resort.
            return QuotaError
        return super().classify_error(status, body, detail, headers)

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        if status == "IN_QUEUE":
            pos = body.get("queue_position")
            return JobStatus(state=JobState.QUEUED, message=f"queue position {pos}")
        if status == "IN_PROGRESS":
            return JobStatus(state=JobState.RUNNING)
        if status == "COMPLETED":
            if body.get("error"):
                raise self._failed(body, handle)
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        raise self._error(
            TransientError, f"unknown queue status {status!r}", self._model_of(handle)
        )

    def _failed(self, body: dict[str, Any], handle: Handle) -> ProviderError:
        """The error for a COMPLETED request that carries ``error`` (and ``error_type``)."""
        error_type = str(body.get("error_type") or "")
        detail = f"{error_detail(body)} [{error_type or 'no error_type'}]"
        kind = fal_error_kind(error_type, [])
        if kind is None and looks_like_moderation(detail):  # no code: keywords, last resort
            kind = Rejected
        if kind is None:
            return self._error(
                RemoteFailure, f"the request failed: {detail}", self._model_of(handle)
            )
        return self._error(kind, f"refused: {detail}", self._model_of(handle))

    def result_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=handle.data["response_url"])

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        if isinstance(body, dict):
            video = body.get("video")
            if isinstance(video, dict) and video.get("url"):
                return RemoteOutput(url=str(video["url"]), media_type=video.get("content_type"))
            images = body.get("images")
            if isinstance(images, list) and images and isinstance(images[0], dict):
                first = images[0]
                return RemoteOutput(url=str(first["url"]), media_type=first.get("content_type"))
            audio = body.get("audio")
            if isinstance(audio, dict) and audio.get("url"):
                return RemoteOutput(url=str(audio["url"]), media_type=audio.get("content_type"))
        raise self._error(
            TransientError,
            "result has no video.url, images[0].url or audio.url",
            request.model.id,
        )

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return HttpCall(method="PUT", url=handle.data["cancel_url"])

    def listing_call(self, request: JobRequest, since: float | None) -> HttpCall | None:
        """``GET /models/requests/by-endpoint`` for this endpoint since ``since`` (minus the
        skew allowance), with the stored inputs (``expand=payloads``)."""
        params = {
            "endpoint_id": request.model.endpoint(request.task).strip("/"),
            "limit": "100",
            "expand": "payloads",
        }
        if since is not None:
            params["start"] = iso_utc(since - SKEW_S)
        return HttpCall(
            method="GET", url=f"{self.platform_url}/models/requests/by-endpoint", params=params
        )

    def find_call(self, request: JobRequest) -> HttpCall | None:
        return self.listing_call(request, None)

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """Requests to this endpoint that did not fail (HTTP status under 400) whose stored
        input has this prompt and settings; one without a stored input cannot be ruled out."""
        items = body.get("items") if isinstance(body, dict) else None
        items = [i for i in items or [] if isinstance(i, dict)]
        endpoint = request.model.endpoint(request.task).strip("/")
        # Input URLs are not compared (an upload's URL differs each time): placeholders.
        placeholders = dict.fromkeys(request.inputs, "")
        want = {k: v for k, v in self.request_body(request, placeholders).items() if k != "prompt"}
        want["prompt"] = request.prompt
        found = [
            Candidate(str(item["request_id"]), parse_time(item.get("sent_at")))
            for item in items
            if item.get("request_id")
            and item.get("endpoint_id") == endpoint
            and int(item.get("status_code") or 200) < 400
            and (
                item.get("json_input") is None
                or echoes(
                    item["json_input"],
                    want,
                    required=("prompt",),
                    optional=("duration", "aspect_ratio", "negative_prompt", "seed"),
                )
            )
        ]
        cursor = body.get("next_cursor") if isinstance(body, dict) else None
        more = isinstance(body, dict) and bool(body.get("has_more")) and bool(cursor)
        follow = call.model_copy(update={"params": {**call.params, "cursor": str(cursor)}})
        return Page(found, None, follow if more else None)

    def listed_handle(self, remote_id: str, request: JobRequest) -> Handle:
        """The queue URLs of a listed request (the app is the endpoint's first two parts)."""
        endpoint = request.model.endpoint(request.task).strip("/")
        app = "/".join(endpoint.split("/")[:2])
        base = f"{self.base_url}/{app}/requests/{remote_id}"
        urls = {"status_url": f"{base}/status", "response_url": base,
                "cancel_url": f"{base}/cancel"}  # fmt: skip
        return Handle(
            provider=self.name,
            remote_id=remote_id,
            data={"model": request.model.id, "endpoint": endpoint, **urls},
        )

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """The listed request, or None once fal would have listed it (it lists a request
        when it ends); "ask again later" before that."""
        found = await super().find(request, since=since)
        if found is None:
            not_listed(
                request, since, provider=self.name, settle_s=self.settle_s, clock=self._clock
            )
        return found
