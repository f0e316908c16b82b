"""fal.ai queue protocol: one adapter for every fal endpoint (Kling, Hailuo, PixVerse, Seedance,
Wan, Pika, FLUX, RIFE/FILM, lip sync, upscalers).

The model's ``api_model`` (or its per-task ``endpoints`` entry) is the fal endpoint id. Field
names differ per endpoint family; :data:`FAMILIES` says which input goes in which field.
Local files are inlined as ``data:`` URIs (fal accepts them for ``*_url`` fields).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shotrelay.errors import InvalidInput, Rejected, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import (
    HttpCall,
    HttpProvider,
    RemoteOutput,
    data_uri,
    error_detail,
    looks_like_moderation,
)
from shotrelay.spec.vocabulary import Task

__all__ = ["FAMILIES", "FalFamily", "FalProvider", "fal_family"]


class FalFamily(BaseModel):
    """How one family of fal endpoints names its inputs."""

    model_config = ConfigDict(frozen=True)

    match: str
    inputs: dict[str, str] = {"first_frame": "image_url"}
    duration: Literal["str", "int", "none"] = "str"
    aspect_ratio: bool = True
    negative_prompt: bool = True
    seed: bool = True
    image_size: bool = False
    output: Literal["video", "image"] = "video"


#: First match on the endpoint id wins; the last row is the default for video endpoints.
FAMILIES: tuple[FalFamily, ...] = (
    FalFamily(match="kling", inputs={"first_frame": "image_url", "last_frame": "tail_image_url"}),
    FalFamily(
        match="minimax",
        inputs={"first_frame": "image_url", "last_frame": "end_image_url"},
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(match="pixverse", inputs={"first_frame": "image_url"}),
    FalFamily(match="seedance", inputs={"first_frame": "image_url", "last_frame": "end_image_url"}),
    FalFamily(match="pika", inputs={"first_frame": "image_url"}, duration="int"),
    FalFamily(match="wan", inputs={"first_frame": "image_url"}, duration="none"),
    FalFamily(
        match="flux",
        inputs={"reference_0": "image_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        image_size=True,
        output="image",
    ),
    FalFamily(
        match="rife",
        inputs={"video": "video_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(
        match="film/",
        inputs={"video": "video_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(
        match="lipsync",
        inputs={"video": "video_url", "audio": "audio_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(
        match="fabric",
        inputs={"first_frame": "image_url", "audio": "audio_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(
        match="upscale",
        inputs={"video": "video_url"},
        duration="none",
        aspect_ratio=False,
        negative_prompt=False,
        seed=False,
    ),
    FalFamily(match="", inputs={"first_frame": "image_url", "last_frame": "end_image_url"}),
)


def fal_family(endpoint: str) -> FalFamily:
    """The field mapping for a fal endpoint id."""
    low = endpoint.lower()
    return next(f for f in FAMILIES if f.match in low)


class FalProvider(HttpProvider):
    """fal.ai queue: submit to ``queue.fal.run/{endpoint}``, poll ``status_url``, read
    ``response_url``, cancel with ``cancel_url``."""

    name: ClassVar[str] = "fal"
    key_env: ClassVar[str] = "FAL_KEY"
    default_base_url: ClassVar[str] = "https://queue.fal.run"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Key {key.reveal()}"}

    def request_body(self, request: JobRequest) -> dict[str, Any]:
        """The endpoint's JSON input for ``request`` in its family's field names."""
        endpoint = request.model.endpoint(request.task)
        fam = fal_family(endpoint)
        params = request.params
        body: dict[str, Any] = {}
        if request.prompt:
            body["prompt"] = request.prompt
        for role, field in fam.inputs.items():
            if role in request.inputs:
                body[field] = data_uri(request.inputs[role], max_bytes=self.inline_limit, role=role)
        missing = [r for r in request.inputs if r not in fam.inputs]
        if missing:
            raise InvalidInput(
                f"fal: {endpoint} takes no {', '.join(sorted(missing))} input"
                f" (it takes {', '.join(fam.inputs) or 'none'})",
                provider=self.name,
                model=request.model.id,
            )
        seconds = params.get("clip_seconds")
        if seconds is not None and fam.duration != "none":
            whole = round(float(seconds))
            body["duration"] = str(whole) if fam.duration == "str" else whole
        if fam.aspect_ratio and params.get("aspect") and "first_frame" not in request.inputs:
            body["aspect_ratio"] = params["aspect"]
        if fam.image_size and params.get("width") and params.get("height"):
            body["image_size"] = {"width": int(params["width"]), "height": int(params["height"])}
            body["num_images"] = 1
        if fam.negative_prompt and request.negative_prompt:
            body["negative_prompt"] = request.negative_prompt
        if fam.seed and request.seed is not None:
            body["seed"] = request.seed
        if request.task is Task.INTERPOLATE and params.get("factor"):
            body["num_frames"] = max(1, int(params["factor"]) - 1)
        if request.task is Task.UPSCALE and params.get("scale"):
            body["scale"] = params["scale"]
        body.update(params.get("fal_extra", {}))
        return body

    def build_submit(self, request: JobRequest) -> HttpCall:
        endpoint = request.model.endpoint(request.task).strip("/")
        return HttpCall(url=endpoint, body=self.request_body(request))

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

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        if status == "IN_QUEUE":
            pos = body.get("queue_position")
            return JobStatus(state=JobState.QUEUED, message=f"queue position {pos}")
        if status == "IN_PROGRESS":
            return JobStatus(state=JobState.RUNNING)
        if status == "COMPLETED":
            if body.get("error"):
                detail = error_detail(body)
                kind = " ".join(str(body.get(k, "")) for k in ("error_type", "error"))
                if looks_like_moderation(kind):
                    raise self._error(Rejected, f"refused: {detail}", self._model_of(handle))
                return JobStatus(state=JobState.FAILED, message=detail)
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        raise self._error(
            TransientError, f"unknown queue status {status!r}", self._model_of(handle)
        )

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
