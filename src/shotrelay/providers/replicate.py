"""Replicate predictions: official models (``owner/name``) or pinned versions
(``owner/name:version``), polled at ``/v1/predictions/{id}``.

Input names differ per model; :data:`INPUT_NAMES` maps our input roles for the families the
catalog uses, with ``image``/``last_frame``/``video``/``audio`` as the default. Local files go
inline as ``data:`` URIs up to 256 KB; larger ones are uploaded to the files API first
(``POST /v1/files``, multipart ``content``) and sent as the file's ``urls.get``, as the
replicate SDK does for every file by default (``file_encoding_strategy="url"``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from shotrelay.errors import ProviderError, Rejected, RemoteFailure, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import HttpCall, RemoteOutput, looks_like_moderation
from shotrelay.providers.http.uploads import Staged, UploadingProvider
from shotrelay.providers.reconcile import (
    Candidate,
    ListingHttpProvider,
    Page,
    echoes,
    parse_time,
    relative,
)

__all__ = ["INPUT_NAMES", "ReplicateProvider"]

#: Model-name prefix -> our input role -> the model's input field. First match wins.
INPUT_NAMES: tuple[tuple[str, dict[str, str]], ...] = (
    ("kwaivgi/kling", {"first_frame": "start_image", "last_frame": "end_image"}),
    ("minimax/", {"first_frame": "first_frame_image", "last_frame": "last_frame_image"}),
    ("bytedance/seedance", {"first_frame": "image", "last_frame": "last_frame_image"}),
    ("google/veo", {"first_frame": "image", "last_frame": "last_frame"}),
    ("", {"first_frame": "image", "last_frame": "last_frame", "video": "video", "audio": "audio"}),
)
_NO_NEGATIVE = ("minimax/",)
#: Terminal statuses other than success (the replicate SDK's ``Prediction.status`` literal:
#: starting, processing, succeeded, failed, canceled, aborted).
_ENDED = ("failed", "canceled", "aborted")
#: Replicate's ``E####`` codes in the error text (https://replicate.com/docs/reference/
#: error-codes) that mean the content was refused; E005 is the older "flagged as sensitive".
_REFUSAL_CODES = frozenset({"E005"})


def input_names(model: str) -> dict[str, str]:
    """Our input role -> the model's field name."""
    return next(names for prefix, names in INPUT_NAMES if model.startswith(prefix))


class ReplicateProvider(UploadingProvider, ListingHttpProvider):
    """Replicate's HTTP API (``api.replicate.com``)."""

    name: ClassVar[str] = "replicate"
    key_env: ClassVar[str] = "REPLICATE_API_TOKEN"
    default_base_url: ClassVar[str] = "https://api.replicate.com"
    #: Our cap, not Replicate's: the SDK uploads every file unless told to inline it.
    inline_limit: ClassVar[int] = 256 * 1024

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}"}

    async def upload(self, path: Path, *, role: str, model: str) -> str:
        """``POST /v1/files`` with the file as the multipart ``content`` part; the answer's
        ``urls.get`` is the input."""
        answer = await self.send(HttpCall(url="/v1/files", files={"content": path}), model=model)
        urls = self.answer_field(answer, "urls", what="POST /v1/files", model=model)
        return str(self.answer_field(urls, "get", what="POST /v1/files", model=model))

    def model_input(self, request: JobRequest, staged: Staged | None = None) -> dict[str, Any]:
        """The prediction's ``input`` object (``staged``: uploaded inputs' file URLs)."""
        staged = staged or {}
        model = request.model.endpoint(request.task).split(":")[0]
        names, params = input_names(model), request.params
        body: dict[str, Any] = {}
        if request.prompt:
            body["prompt"] = request.prompt
        for role in request.inputs:
            body[names.get(role, role)] = self.media(request, role, staged)
        if params.clip_seconds:
            body["duration"] = round(float(params.clip_seconds))
        if params.aspect and "first_frame" not in request.inputs:
            body["aspect_ratio"] = params.aspect
        if request.negative_prompt and not model.startswith(_NO_NEGATIVE):
            body["negative_prompt"] = request.negative_prompt
        if request.seed is not None and request.model.inputs.seed:
            body["seed"] = request.seed
        body.update(params.replicate_extra or {})
        return body

    def build_staged(self, request: JobRequest, staged: Staged) -> HttpCall:
        ref = request.model.endpoint(request.task)
        model, _, version = ref.partition(":")
        body = {"input": self.model_input(request, staged)}
        if version:
            return HttpCall(url="/v1/predictions", body={"version": version, **body})
        return HttpCall(url=f"/v1/models/{model}/predictions", body=body)

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("id"):
            raise self._error(
                TransientError, "submit answer has no prediction id", request.model.id
            )
        return Handle(
            provider=self.name, remote_id=str(body["id"]), data={"model": request.model.id}
        )

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/v1/predictions/{handle.remote_id}")

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        status = body.get("status") if isinstance(body, dict) else None
        if status == "starting":
            return JobStatus(state=JobState.QUEUED)
        if status == "processing":
            return JobStatus(state=JobState.RUNNING)
        if status == "succeeded":
            return JobStatus(state=JobState.SUCCEEDED, progress=1.0)
        if status in _ENDED:
            raise self._ended(str(status), body, handle)
        raise self._error(TransientError, f"unknown status {status!r}", self._model_of(handle))

    def _ended(self, status: str, body: dict[str, Any], handle: Handle) -> ProviderError:
        """The error of a prediction that ended without output: a refusal by its ``E####``
        code (or, with no code, by moderation words: the last resort), else a remote failure
        (``aborted``: stopped before it ran; ``canceled``: cancelled)."""
        error = str(body.get("error") or status)
        codes = set(re.findall(r"\bE\d{3,4}\b", error))
        model = self._model_of(handle)
        if codes & _REFUSAL_CODES or (not codes and looks_like_moderation(error)):
            return self._error(Rejected, f"refused: {error}", model)
        return self._error(RemoteFailure, f"the prediction {status}: {error}", model)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        output = body.get("output") if isinstance(body, dict) else None
        if isinstance(output, list):
            output = output[0] if output else None
        if isinstance(output, dict):
            output = output.get("url") or output.get("video")
        if not isinstance(output, str) or not output:
            raise self._error(TransientError, "prediction has no output URL", request.model.id)
        metrics = body.get("metrics") or {}
        return RemoteOutput(url=output, metadata={"predict_time": metrics.get("predict_time")})

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return HttpCall(method="POST", url=f"/v1/predictions/{handle.remote_id}/cancel")

    def find_call(self, request: JobRequest) -> HttpCall | None:
        """``GET /v1/predictions`` (newest first), paged by the answer's ``next`` URL."""
        return HttpCall(method="GET", url="/v1/predictions")

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """Predictions of this model (or pinned version) whose ``input`` has this prompt and
        settings, not failed, canceled or aborted."""
        model, _, version = request.model.endpoint(request.task).partition(":")
        items = body.get("results") if isinstance(body, dict) else None
        items = [i for i in items or [] if isinstance(i, dict)]
        want = self.model_input(request, dict.fromkeys(request.inputs, ""))
        found = [
            Candidate(str(item["id"]), parse_time(item.get("created_at")))
            for item in items
            if item.get("id")
            and item.get("status") not in ("failed", "canceled", "aborted")
            and (item.get("version") == version if version else item.get("model") == model)
            and echoes(
                item.get("input"),
                want,
                required=("prompt",),
                optional=("duration", "aspect_ratio", "negative_prompt", "seed"),
            )
        ]
        times = [t for t in (parse_time(i.get("created_at")) for i in items) if t is not None]
        nxt = body.get("next") if isinstance(body, dict) else None
        follow = HttpCall(method="GET", url=relative(nxt)) if isinstance(nxt, str) and nxt else None
        return Page(found, min(times, default=None), follow)
