"""OpenAI images (gpt-image models): ``/v1/images/generations``, or ``/v1/images/edits`` with
reference images. The call answers with the image (``data[0].b64_json``), so this is a
synchronous adapter. ``gpt-image-1`` is shut down; use a current model id in the catalog.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from shotrelay.errors import InvalidInput, ProviderError, TransientError
from shotrelay.providers.base import Handle, JobRequest
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import HttpCall, RemoteOutput, SyncHttpProvider
from shotrelay.providers.http.classify import openai_verdict
from shotrelay.spec.vocabulary import Task

__all__ = ["OpenAIImagesProvider", "pick_size"]

SIZES = ("1024x1024", "1536x1024", "1024x1536")


def pick_size(width: float, height: float) -> str:
    """The gpt-image size nearest the requested shape."""
    ratio = width / height
    if ratio > 1.15:
        return "1536x1024"
    if ratio < 0.87:
        return "1024x1536"
    return "1024x1024"


class OpenAIImagesProvider(SyncHttpProvider):
    """Keyframes from OpenAI's image models."""

    name: ClassVar[str] = "openai"
    key_env: ClassVar[str] = "OPENAI_API_KEY"
    default_base_url: ClassVar[str] = "https://api.openai.com"

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}"}

    def build_submit(self, request: JobRequest) -> HttpCall:
        if request.task is not Task.TEXT_TO_IMAGE:
            raise self._error(
                InvalidInput, f"the adapter does not map task {request.task}", request.model.id
            )
        params = request.params
        size = params.size or (
            pick_size(float(params.width), float(params.height))
            if params.width and params.height
            else "auto"
        )
        fields: dict[str, Any] = {
            "model": request.model.endpoint(request.task),
            "prompt": request.prompt,
            "size": size,
            "n": 1,
        }
        if params.quality:
            fields["quality"] = params.quality
        refs = sorted(r for r in request.inputs if r.startswith("reference_"))
        if not refs:
            return HttpCall(url="/v1/images/generations", body=fields)
        form = {k: str(v) for k, v in fields.items()}
        # ``image[]`` repeated, as the openai SDK sends a list of images.
        files: dict[str, Path | list[Path]] = {"image[]": [request.inputs[r] for r in refs]}
        return HttpCall(url="/v1/images/edits", form=form, files=files)

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """OpenAI's ``error.code``: ``insufficient_quota`` (a 429) is quota, not a rate limit;
        ``moderation_blocked`` is a refusal."""
        return openai_verdict(status, body, detail, headers)

    def parse_result(self, body: Any, request: JobRequest) -> RemoteOutput:
        try:
            item = body["data"][0]
        except (KeyError, IndexError, TypeError):
            raise self._error(TransientError, "answer has no data[0]", request.model.id) from None
        if item.get("b64_json"):
            try:
                raw = base64.b64decode(item["b64_json"], validate=True)
            except (binascii.Error, ValueError):
                raise self._error(
                    TransientError, "b64_json is not valid base64", request.model.id
                ) from None
            fmt = request.params.output_format or "png"
            return RemoteOutput(data=raw, media_type=f"image/{fmt}")
        if item.get("url"):
            return RemoteOutput(url=str(item["url"]), media_type="image/png")
        raise self._error(TransientError, "data[0] has neither b64_json nor url", request.model.id)

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """An image spooled before a crash; otherwise no way to tell: OpenAI keeps no list of
        generated images and takes no idempotency key (``NotImplementedError``)."""
        spooled = await super().find(request, since=since)
        if spooled is not None:
            return spooled
        raise NotImplementedError(
            f"{self.name}: the images API keeps no list of generated images and takes no "
            f"idempotency key, so job {request.job_id} cannot be looked up; check usage at "
            "platform.openai.com/usage, then resubmit or abandon the job"
        )
