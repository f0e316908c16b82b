"""Runway API: image_to_video, text_to_video, video_to_video, text_to_image and video_upscale
(the Magnific upscaler and ``enhance_frame_rate``) tasks, polled at ``/v1/tasks/{id}``.

Fields go camelCase on the wire; every request carries ``X-Runway-Version``. Local inputs are
inlined as ``data:`` URIs up to 5 MB (the SDK's documented cap); larger ones go through
Runway's upload flow first (``POST /v1/uploads``, then the signed form POST, then the
``runway://`` URI), as the SDK's ``uploads.create_ephemeral`` does. Which
ratios and frame positions a model takes follow runwayml 5.24.0's request types, which the
tests turn into schemas and check every body against. A failure code starting
with ``SAFETY`` is a moderation refusal; ``THROTTLED`` means queued behind the account's
concurrency. Cost is ``cost.credits`` x $0.01 when the task reports it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from shotrelay.catalog.params import CallParams
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
from shotrelay.providers.http import HttpCall, RemoteOutput
from shotrelay.providers.http.uploads import Staged, UploadingProvider, media_type
from shotrelay.providers.runway_router import (
    ROUTER_MODEL,
    credit_cap,
    generate_input,
    router_config,
    routing_data,
)
from shotrelay.spec.vocabulary import Task

__all__ = [
    "API_VERSION", "FRAME_RATES", "IMAGE_RATIOS", "LAST_FRAME_MODELS", "MODEL_RATIOS",
    "VIDEO_RATIOS", "RunwayProvider", "pick_ratio", "prompt_tags",
]  # fmt: skip

API_VERSION = "2024-11-06"
CREDIT_USD = 0.01

VIDEO_RATIOS = ("1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672")
EDIT_RATIOS = (*VIDEO_RATIOS, "848:480", "640:480")
IMAGE_RATIOS = (
    "1920:1080", "1080:1920", "1024:1024", "1360:768", "1080:1080", "1168:880", "1440:1080",
    "1080:1440", "1808:768", "2112:912", "1280:720", "720:1280", "720:720", "960:720",
    "720:960", "1680:720",
)  # fmt: skip

#: Ratios a model takes for a task where they differ from the task's default list.
MODEL_RATIOS: dict[tuple[str, Task], tuple[str, ...]] = {
    ("gen4.5", Task.TEXT_TO_VIDEO): ("1280:720", "720:1280"),
}
#: Models whose ``promptImage`` takes ``position: "last"`` (the rest take "first" only).
LAST_FRAME_MODELS = frozenset({
    "veo3.1", "veo3.1_fast", "kling2.5_turbo_pro", "kling3.0_pro", "kling3.0_standard",
    "kling3.0_4k", "klingO3_pro", "klingO3_standard", "klingO3_4k", "seedance2",
    "seedance2_fast", "seedance2_mini", "seedance2_5", "gemini_omni_flash_1.1", "h3_max",
})  # fmt: skip
#: ``enhance_frame_rate``'s whole-number output rates.
FRAME_RATES = (24, 25, 30, 48, 50, 60, 120)

_PATHS: dict[Task, str] = {
    Task.IMAGE_TO_VIDEO: "/v1/image_to_video",
    Task.TEXT_TO_VIDEO: "/v1/text_to_video",
    Task.VIDEO_TO_VIDEO: "/v1/video_to_video",
    Task.TEXT_TO_IMAGE: "/v1/text_to_image",
    Task.UPSCALE: "/v1/video_upscale",
    Task.INTERPOLATE: "/v1/video_upscale",
}
_FINISHING = (Task.UPSCALE, Task.INTERPOLATE)
#: ``failureCode`` prefixes (https://docs.dev.runwayml.com/errors/task-failures/): SAFETY.* is
#: moderation (never retry); ASSET.INVALID / INPUT_PREPROCESSING.* (other than its SAFETY
#: codes) refuse the inputs; INTERNAL.* and anything else is a remote failure.
_SAFETY = ("SAFETY", "INPUT_PREPROCESSING.SAFETY")
_INPUT = ("ASSET.INVALID", "INPUT_PREPROCESSING")
#: Runway's 400 for an empty credit balance carries no code, only its text (HTTP errors page:
#: "a JSON response with an error member"); these words are the last resort for it.
_NO_CREDITS = ("enough credits", "insufficient credits", "out of credits")


def pick_ratio(width: float, height: float, choices: tuple[str, ...]) -> str:
    """The Runway ratio closest in shape to ``width:height``, then closest in height."""

    def distance(choice: str) -> tuple[float, float]:
        w, h = (int(x) for x in choice.split(":"))
        return abs(math.log((w / h) / (width / height))), abs(h - height)

    return min(choices, key=distance)


def prompt_tags(prompt: str) -> list[str]:
    """The ``@tag`` mentions of a prompt, in order of first use (Runway tags: 3-16 chars).

    The prompt compiler writes a tagged character as ``@name`` in reference order; when the
    request carries no ``reference_tags`` these name the reference images, so the prompt's
    mentions resolve.
    """
    found = re.findall(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_]{2,15})\b", prompt)
    return list(dict.fromkeys(found))


def _size(params: CallParams) -> tuple[float, float]:
    if params.width and params.height:
        return float(params.width), float(params.height)
    aspect = str(params.aspect or "16:9")
    w, _, h = aspect.partition(":")
    try:
        return float(w) * 100, float(h) * 100
    except ValueError:
        return 1280.0, 720.0


def _frame_rate(params: CallParams) -> int:
    """The output rate for ``enhance_frame_rate``: ``target_fps``, else fps x factor, rounded
    to the nearest rate the task takes."""
    target = params.target_fps or float(params.fps or 24) * float(params.factor or 2)
    return min(FRAME_RATES, key=lambda r: abs(r - float(target)))


class RunwayProvider(UploadingProvider):
    """Runway's developer API (``api.dev.runwayml.com``)."""

    name: ClassVar[str] = "runway"
    key_env: ClassVar[str] = "RUNWAYML_API_SECRET"
    default_base_url: ClassVar[str] = "https://api.dev.runwayml.com"
    #: Inline ``data:`` URIs: 5 MB for images and videos (the SDK's types); above, uploads.
    inline_limit: ClassVar[int] = 5 * 1024 * 1024

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._routers: set[str] = set()  # router configs known to exist

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}", "X-Runway-Version": API_VERSION}

    def request_body(self, request: JobRequest, staged: Staged | None = None) -> dict[str, Any]:
        """Runway's JSON for ``request`` (``staged``: uploaded inputs' ``runway://`` URIs)."""
        staged = staged or {}
        task, params, inputs = request.task, request.params, request.inputs
        model = request.model.endpoint(task)
        if model == ROUTER_MODEL:  # Runway's Model Router: generate.video's body
            return {
                "configId": router_config(credit_cap(request, CREDIT_USD))["slug"],
                "input": generate_input(
                    request, params, lambda role: self._image(request, role, staged)
                ),
            }
        body: dict[str, Any] = {"model": model}
        if request.prompt and task not in _FINISHING:
            body["promptText"] = request.prompt
        width, height = _size(params)
        choices = {Task.TEXT_TO_IMAGE: IMAGE_RATIOS, Task.VIDEO_TO_VIDEO: EDIT_RATIOS}
        if task not in _FINISHING:
            allowed = MODEL_RATIOS.get((model, task), choices.get(task, VIDEO_RATIOS))
            wanted = params.ratio
            body["ratio"] = wanted if wanted in allowed else pick_ratio(width, height, allowed)
        if task in (Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO) and params.clip_seconds:
            body["duration"] = round(float(params.clip_seconds))
        if task is Task.IMAGE_TO_VIDEO:
            first = self._image(request, "first_frame", staged)
            if "last_frame" in inputs:
                if model not in LAST_FRAME_MODELS:
                    raise self._error(
                        InvalidInput,
                        f"{model} takes a first frame only (no position 'last'); route the"
                        " shot to a model with last_frame in the catalog",
                        request.model.id,
                    )
                last = self._image(request, "last_frame", staged)
                body["promptImage"] = [
                    {"uri": first, "position": "first"},
                    {"uri": last, "position": "last"},
                ]
            else:
                body["promptImage"] = first
        elif task in (Task.VIDEO_TO_VIDEO, *_FINISHING):
            if "video" not in inputs:
                raise self._error(InvalidInput, f"{task} needs a video input", request.model.id)
            body["videoUri"] = self.media(request, "video", staged)
            if task is Task.VIDEO_TO_VIDEO and "reference_0" in inputs:
                # aleph2 takes guidance images as keyframes (at 0..1 of the input's length).
                guide = self._image(request, "reference_0", staged)
                body["keyframes"] = [{"uri": guide, "at": 0.0}]
            if task is Task.INTERPOLATE:
                body["targetFramerate"] = str(_frame_rate(params))
        elif task is Task.TEXT_TO_IMAGE:
            refs = sorted(r for r in inputs if r.startswith("reference_"))
            tags = list(params.reference_tags or prompt_tags(request.prompt))
            body["referenceImages"] = [
                {
                    "uri": self._image(request, role, staged),
                    "tag": tags[i] if i < len(tags) else f"ref{i}",
                }
                for i, role in enumerate(refs[:3])
            ]
            if not body["referenceImages"]:
                del body["referenceImages"]
        if request.seed is not None and task not in _FINISHING:
            body["seed"] = request.seed
        if params.public_figure_threshold and task not in _FINISHING:
            body["contentModeration"] = {"publicFigureThreshold": params.public_figure_threshold}
        return body

    def _image(self, request: JobRequest, role: str, staged: Staged) -> str:
        if role not in request.inputs:
            raise self._error(InvalidInput, f"{request.task} needs a {role}", request.model.id)
        return self.media(request, role, staged)

    def build_staged(self, request: JobRequest, staged: Staged) -> HttpCall:
        if request.model.endpoint(request.task) == ROUTER_MODEL:
            return HttpCall(url="/v1/generate/video", body=self.request_body(request, staged))
        path = _PATHS.get(request.task)
        if path is None:
            raise self._error(
                InvalidInput, f"the adapter does not map task {request.task}", request.model.id
            )
        return HttpCall(url=path, body=self.request_body(request, staged))

    async def submit(self, request: JobRequest) -> Handle:
        """Submit; a Model Router row first makes sure its router config exists."""
        if request.model.endpoint(request.task) == ROUTER_MODEL:
            await self.ensure_router(credit_cap(request, CREDIT_USD), model=request.model.id)
        return await super().submit(request)

    async def ensure_router(self, cap: int, *, model: str) -> str:
        """The slug of shotrelay's router config for ``cap``: found in ``GET /v1/routers``
        (paged by ``nextCursor``), else created with ``POST /v1/routers``."""
        config = router_config(cap)
        slug = str(config["slug"])
        if slug in self._routers:
            return slug
        params: dict[str, str] = {"limit": "100"}
        while True:
            page = await self.send(HttpCall(method="GET", url="/v1/routers", params=params),
                                   model=model)  # fmt: skip
            items = page.get("data") if isinstance(page, dict) else None
            if any(isinstance(i, dict) and i.get("slug") == slug for i in items or []):
                break
            cursor = page.get("nextCursor") if isinstance(page, dict) else None
            if not cursor:
                await self.send(HttpCall(url="/v1/routers", body=config), model=model)
                break
            params = {"limit": "100", "cursor": str(cursor)}
        self._routers.add(slug)
        return slug

    async def upload(self, path: Path, *, role: str, model: str) -> str:
        """``POST /v1/uploads`` (filename, ``ephemeral``), then the file as multipart to the
        signed ``uploadUrl`` with its ``fields``; the answer's ``runwayUri`` is the input."""
        started = await self.send(
            HttpCall(url="/v1/uploads", body={"filename": path.name, "type": "ephemeral"}),
            model=model,
        )
        what = "POST /v1/uploads"
        uri = self.answer_field(started, "runwayUri", what=what, model=model)
        target = self.answer_field(started, "uploadUrl", what=what, model=model)
        fields = started.get("fields") or {}
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{role}: cannot read {path}: {exc.strerror}") from None
        await self.send_to_storage(
            "POST",
            str(target),
            data={str(k): str(v) for k, v in dict(fields).items()},
            files={"file": (path.name, raw, media_type(path))},
            role=role,
            model=model,
        )
        return str(uri)

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("id"):
            raise self._error(TransientError, "submit answer has no task id", request.model.id)
        return Handle(
            provider=self.name,
            remote_id=str(body["id"]),
            data={"model": request.model.id, "task": str(request.task),
                  **routing_data(body, CREDIT_USD)},
        )  # fmt: skip

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/v1/tasks/{handle.remote_id}")

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """Runway's 400s carry only ``error`` text: out of credits is quota (not input)."""
        if status in (400, 402) and any(words in detail.lower() for words in _NO_CREDITS):
            return QuotaError
        return super().classify_error(status, body, detail, headers)

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        model = self._model_of(handle)
        if status in ("PENDING", "THROTTLED"):
            return JobStatus(state=JobState.QUEUED, message=str(status).lower())
        if status == "RUNNING":
            progress = body.get("progress")
            fraction = float(progress) if isinstance(progress, int | float) else None
            return JobStatus(state=JobState.RUNNING, progress=fraction)
        if status == "SUCCEEDED":
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        if status in ("FAILED", "CANCELLED"):
            code = str(body.get("failureCode") or "")
            detail = f"{body.get('failure') or status.lower()} [{code or 'no code'}]"
            if code.startswith(_SAFETY):
                raise self._error(Rejected, f"moderation refused the task: {detail}", model)
            if code.startswith(_INPUT):
                raise self._error(InvalidInput, f"inputs refused: {detail}", model)
            if any(words in detail.lower() for words in _NO_CREDITS):  # no code: text
                raise self._error(QuotaError, f"out of credits: {detail}", model)
            raise self._error(RemoteFailure, f"the task failed: {detail}", model)
        raise self._error(TransientError, f"unknown task status {status!r}", model)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        out = self._output(body, request)
        routed = {k: v for k, v in handle.data.items() if k.startswith(("routed_", "estimated_"))}
        return out.model_copy(update={"metadata": {**out.metadata, **routed}}) if routed else out

    def _output(self, body: Any, request: JobRequest) -> RemoteOutput:
        output = body.get("output") if isinstance(body, dict) else None
        if not isinstance(output, list) or not output:
            raise self._error(TransientError, "finished task has no output", request.model.id)
        credits = (body.get("cost") or {}).get("credits")
        cost = round(float(credits) * CREDIT_USD, 6) if credits is not None else None
        hint = "image/png" if request.task is Task.TEXT_TO_IMAGE else "video/mp4"
        return RemoteOutput(
            url=str(output[0]),
            media_type=hint,
            cost_usd=cost,
            metadata={"credits": credits} if credits is not None else {},
        )

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return HttpCall(method="DELETE", url=f"/v1/tasks/{handle.remote_id}", expect="none")

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """No way to tell: Runway lists no tasks (only get and delete by id) and takes no
        idempotency key or client id (``NotImplementedError``, a person decides)."""
        raise NotImplementedError(
            f"{self.name}: the API lists no tasks and takes no idempotency key, so job "
            f"{request.job_id} cannot be looked up; check the tasks and credits at "
            "dev.runwayml.com, then resubmit or abandon the job"
        )
