"""OpenAI Sora (videos API): ``POST /v1/videos`` (multipart), polled at ``/v1/videos/{id}``,
the bytes at ``/v1/videos/{id}/content`` (authorized; there is no URL field).

The openai SDK (3.54 on) marks the videos API as shutting down on 2026-09-24, so the catalog
keeps Sora as a deprecated last fallback; a 404 from a retired endpoint is ``InvalidInput``
and the engine moves on. The first frame goes as the ``input_reference`` file part, resized
to the output size (Sora refuses a reference whose size differs). No seed, no negative
prompt, no last frame. Sora renders (and bills) 4, 8 or 12 s only: the adapter asks for the
allowed length nearest the clip, and reports that length times the model's price as the
actual cost.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from PIL import Image, ImageOps, UnidentifiedImageError

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
from shotrelay.providers.http import HttpCall, RemoteOutput, looks_like_moderation
from shotrelay.providers.http.classify import openai_verdict
from shotrelay.providers.reconcile import (
    Candidate,
    ListingHttpProvider,
    Page,
    echoes,
    parse_time,
)
from shotrelay.spec.vocabulary import Task

__all__ = ["SECONDS", "SoraProvider", "billed_cost", "billed_seconds", "pick_seconds", "pick_size"]

SECONDS = (4, 8, 12)
_MODERATION_CODES = ("moderation", "content_policy", "safety")
#: A failed video's ``error.code`` for out-of-money (OpenAI's billing codes).
_QUOTA_CODES = ("insufficient_quota", "billing_hard_limit_reached")
#: A failed video's ``error.code`` for inputs Sora refused.
_INPUT_CODES = ("invalid_request", "invalid_input", "invalid_reference", "unsupported")


def pick_seconds(clip_seconds: float) -> str:
    """The shortest allowed Sora duration that covers ``clip_seconds`` (else the longest):
    a clip shorter than its shot would leave the cut short; a longer one is trimmed."""
    covering = [s for s in sorted(SECONDS) if s + 1e-9 >= clip_seconds]
    return str(covering[0] if covering else max(SECONDS))


def billed_seconds(request: JobRequest) -> str:
    """The length Sora renders, and bills, for ``request``: its clip length, snapped."""
    return pick_seconds(float(request.params.clip_seconds or 4))


def billed_cost(request: JobRequest, rendered: Any = None) -> float:
    """The actual cost of ``request``: the model's price for the seconds Sora renders.

    ``rendered`` is the video's own ``seconds`` field when the answer has one; otherwise the
    length the adapter asked for.
    """
    try:
        seconds = float(rendered)
    except (TypeError, ValueError):
        seconds = 0.0
    if not 0 < seconds < 3600:  # absent, garbled or NaN: bill what was asked for
        seconds = float(billed_seconds(request))
    resolution = request.params.resolution
    return request.model.pricing.estimate(
        seconds=seconds,
        resolution=str(resolution) if resolution else None,
    ).usd


def pick_size(params: CallParams, api_model: str) -> str:
    """The Sora size for the shot's shape: portrait or landscape, large only on sora-2-pro."""
    if params.size:
        return str(params.size)
    if params.width and params.height:
        portrait = float(params.height) > float(params.width)
    else:
        w, _, h = str(params.aspect or "16:9").partition(":")
        try:
            portrait = float(h) > float(w)
        except ValueError:
            portrait = False
    large = "pro" in api_model and str(params.resolution or "") in ("1024p", "1080p")
    if large:
        return "1024x1792" if portrait else "1792x1024"
    return "720x1280" if portrait else "1280x720"


def _is_moderation(code: str, message: str) -> bool:
    """By the code; by the message's words only when there is no code (the last resort)."""
    low = code.lower()
    return any(word in low for word in _MODERATION_CODES) or (
        not code and looks_like_moderation(message)
    )


def _failure_kind(code: str, message: str) -> type[ProviderError]:
    """The class of a failed video by its ``error.code``."""
    if _is_moderation(code, message):
        return Rejected
    if code in _QUOTA_CODES:
        return QuotaError
    if code.startswith(_INPUT_CODES):
        return InvalidInput
    return RemoteFailure


class SoraProvider(ListingHttpProvider):
    """OpenAI's ``/v1/videos`` (sora-2, sora-2-pro)."""

    name: ClassVar[str] = "sora"
    key_env: ClassVar[str] = "OPENAI_API_KEY"
    default_base_url: ClassVar[str] = "https://api.openai.com"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}"}

    def form_fields(self, request: JobRequest) -> dict[str, str]:
        """The multipart text fields for ``request`` (what the SDK's ``videos.create`` sends)."""
        params = request.params
        return {
            "prompt": request.prompt,
            "model": request.model.endpoint(request.task),
            "seconds": billed_seconds(request),
            "size": pick_size(params, request.model.api_model),
        }

    def build_submit(self, request: JobRequest) -> HttpCall:
        if request.task not in (Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO):
            raise self._error(
                InvalidInput, f"the adapter does not map task {request.task}", request.model.id
            )
        fields = self.form_fields(request)
        files: dict[str, Path | list[Path]] = {}
        if "first_frame" in request.inputs:
            files["input_reference"] = self._reference(request, fields["size"])
        elif request.task is Task.IMAGE_TO_VIDEO:
            raise self._error(InvalidInput, "image_to_video needs a first_frame", request.model.id)
        return HttpCall(url="/v1/videos", form=fields, files=files)

    async def submit(self, request: JobRequest) -> Handle:
        """Start the video; the fitted reference file is removed once it was sent."""
        call = self.build_submit(request)
        try:
            body = await self.send(call, model=request.model.id, paid=True)
        finally:
            for path in call.files.values():
                if isinstance(path, Path):
                    path.unlink(missing_ok=True)
        return self.accepted(body, request)

    def _reference(self, request: JobRequest, size: str) -> Path:
        """The first frame fitted (cropped, not stretched) to exactly ``size``, as a PNG."""
        source = request.inputs["first_frame"]
        width, height = (int(x) for x in size.split("x"))
        try:
            with Image.open(source) as image:
                fitted = ImageOps.fit(image.convert("RGB"), (width, height))
        except (OSError, UnidentifiedImageError) as exc:
            raise self._error(
                InvalidInput, f"first_frame: cannot read {source}: {exc}", request.model.id
            ) from None
        # The temporary file exists only once there is a fitted image to write into it.
        fd, name = tempfile.mkstemp(prefix=f"shotrelay-sora-{request.job_id}-", suffix=".png")
        os.close(fd)
        target = Path(name)
        try:
            fitted.save(target, format="PNG")
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """OpenAI's ``error.code``: quota (``insufficient_quota`` on a 429), moderation."""
        error = body.get("error") if isinstance(body, dict) else None
        code = str(error.get("code") or "") if isinstance(error, dict) else ""
        if status in (400, 422) and _is_moderation(code, detail):
            return Rejected
        return openai_verdict(status, body, detail, headers)

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("id"):
            raise self._error(TransientError, "submit answer has no video id", request.model.id)
        return Handle(
            provider=self.name, remote_id=str(body["id"]), data={"model": request.model.id}
        )

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/v1/videos/{handle.remote_id}")

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        model = self._model_of(handle)
        if status == "queued":
            return JobStatus(state=JobState.QUEUED)
        if status == "in_progress":
            progress = body.get("progress")
            fraction = (
                min(1.0, float(progress) / 100) if isinstance(progress, int | float) else None
            )
            return JobStatus(state=JobState.RUNNING, progress=fraction)
        if status == "completed":
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        if status == "failed":
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            code, message = str(error.get("code") or ""), str(error.get("message") or "failed")
            detail = f"{message} [{code or 'no code'}]"
            kind = _failure_kind(code, message)
            what = "moderation refused the video" if kind is Rejected else "the video failed"
            raise self._error(kind, f"{what}: {detail}", model)
        raise self._error(TransientError, f"unknown video status {status!r}", model)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        if not isinstance(body, dict) or body.get("status") != "completed":
            raise self._error(TransientError, "the video is not completed", request.model.id)
        return RemoteOutput(
            url=f"{self.base_url}/v1/videos/{handle.remote_id}/content",
            media_type="video/mp4",
            authorized=True,
            cost_usd=billed_cost(request, body.get("seconds")),
            metadata={"expires_at": body["expires_at"]} if body.get("expires_at") else {},
        )

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        """Sora has no cancel; deleting the video is the closest (it also stops billing)."""
        return HttpCall(method="DELETE", url=f"/v1/videos/{handle.remote_id}")

    def find_call(self, request: JobRequest) -> HttpCall | None:
        """``GET /v1/videos`` newest first, 100 a page, paged with ``after``."""
        return _listing(None)

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """Videos with this model, prompt, seconds and size that did not fail."""
        items = body.get("data") if isinstance(body, dict) else None
        items = [i for i in items or [] if isinstance(i, dict)]
        want = self.form_fields(request)
        required = ("model", "prompt", "seconds", "size")
        found = [
            Candidate(str(item["id"]), parse_time(item.get("created_at")))
            for item in items
            if item.get("id")
            and item.get("status") != "failed"
            and echoes(item, want, required=required)
        ]
        times = [t for t in (parse_time(i.get("created_at")) for i in items) if t is not None]
        last = (body.get("last_id") if isinstance(body, dict) else None) or (
            items[-1].get("id") if items else None
        )
        more = isinstance(body, dict) and bool(body.get("has_more")) and bool(last)
        return Page(found, min(times, default=None), _listing(str(last)) if more else None)


def _listing(after: str | None) -> HttpCall:
    params = {"limit": "100", "order": "desc"}
    return HttpCall(
        method="GET", url="/v1/videos", params={**params, "after": after} if after else params
    )
