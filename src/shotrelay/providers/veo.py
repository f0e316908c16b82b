"""Google Veo through the Gemini API over REST: ``models/{model}:predictLongRunning``, then the
long-running operation is polled until ``done``.

The Gemini API path refuses ``seed`` (and fps, audio switches, masks): a seed is therefore not
sent, and the result's metadata says so. Images go inline as base64 with their MIME type. A
response whose samples were all removed by the safety filter (``raiMediaFilteredCount``) is a
moderation refusal. The output URI is downloaded with the API key, which is only ever sent to
the API's own host.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import (
    InvalidInput,
    ProviderError,
    Rejected,
    RemoteFailure,
    TransientError,
)
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http import (
    HttpCall,
    HttpProvider,
    RemoteOutput,
    file_base64,
    looks_like_moderation,
)
from shotrelay.providers.http.classify import google_verdict
from shotrelay.spec.vocabulary import Task

__all__ = ["VeoProvider"]

_ASPECTS = ("16:9", "9:16")
#: ``google.rpc.Code`` values in a finished operation's ``error.code``.
_RPC_CODES: dict[int, type[ProviderError]] = {
    3: InvalidInput,  # INVALID_ARGUMENT
    9: InvalidInput,  # FAILED_PRECONDITION
    11: InvalidInput,  # OUT_OF_RANGE
}


class VeoProvider(HttpProvider):
    """Veo 2/3/3.1 on the Gemini API (``generativelanguage.googleapis.com/v1beta``)."""

    name: ClassVar[str] = "veo"
    key_env: ClassVar[str] = "GEMINI_API_KEY"
    default_base_url: ClassVar[str] = "https://generativelanguage.googleapis.com"
    #: 10 concurrent requests per project (Gemini API); raise it with SHOTRELAY_VEO_CONCURRENCY.
    default_concurrency: ClassVar[int | None] = 10
    inline_limit: ClassVar[int] = 20 * 1024 * 1024

    def auth_headers(self, key: Secret) -> dict[str, str]:
        return {"x-goog-api-key": key.reveal()}

    def _image(self, request: JobRequest, role: str) -> dict[str, str]:
        path = request.inputs[role]
        return {
            "bytesBase64Encoded": file_base64(path, max_bytes=self.inline_limit, role=role),
            "mimeType": mimetypes.guess_type(path.name)[0] or "image/png",
        }

    def request_body(self, request: JobRequest) -> dict[str, Any]:
        """The ``instances``/``parameters`` body for ``request``."""
        if request.task not in (Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO):
            raise self._error(
                InvalidInput, f"the adapter does not map task {request.task}", request.model.id
            )
        inputs, params = request.inputs, request.params
        instance: dict[str, Any] = {"prompt": request.prompt}
        if "first_frame" in inputs:
            instance["image"] = self._image(request, "first_frame")
        if "last_frame" in inputs:
            instance["lastFrame"] = self._image(request, "last_frame")
        refs = sorted(r for r in inputs if r.startswith("reference_"))[:3]
        if refs:
            instance["referenceImages"] = [
                {"image": self._image(request, r), "referenceType": "ASSET"} for r in refs
            ]
        parameters: dict[str, Any] = {"sampleCount": 1}
        if params.aspect in _ASPECTS:
            parameters["aspectRatio"] = params.aspect
        if params.resolution:
            parameters["resolution"] = params.resolution
        if params.clip_seconds:
            parameters["durationSeconds"] = round(float(params.clip_seconds))
        if request.negative_prompt:
            parameters["negativePrompt"] = request.negative_prompt
        if params.person_generation:
            parameters["personGeneration"] = params.person_generation
        return {"instances": [instance], "parameters": parameters}

    def build_submit(self, request: JobRequest) -> HttpCall:
        model = request.model.endpoint(request.task)
        return HttpCall(
            url=f"/v1beta/models/{model}:predictLongRunning", body=self.request_body(request)
        )

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        if not isinstance(body, dict) or not body.get("name"):
            raise self._error(
                TransientError, "submit answer has no operation name", request.model.id
            )
        data: dict[str, Any] = {"model": request.model.id}
        if request.seed is not None:
            data["seed_ignored"] = True
        return Handle(provider=self.name, remote_id=str(body["name"]), data=data)

    def status_call(self, handle: Handle) -> HttpCall:
        return HttpCall(method="GET", url=f"/v1beta/{handle.remote_id}")

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """Google's error details: a per-day ``QuotaFailure`` is quota, per-minute a rate limit."""
        return google_verdict(status, body, detail, headers)

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        if not isinstance(body, dict):
            raise self._error(TransientError, "operation is not an object", self._model_of(handle))
        if not body.get("done"):
            return JobStatus(state=JobState.RUNNING)
        model = self._model_of(handle)
        error = body.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            message = f"{error.get('message') or 'operation failed'} [code {code}]"
            kind = _RPC_CODES.get(code) if isinstance(code, int) else None
            if kind is None and looks_like_moderation(message):  # no code for it: last resort
                kind = Rejected
            raise self._error(kind or RemoteFailure, message, model)
        if not _samples(body):
            reasons = _video_response(body).get("raiMediaFilteredReasons") or []
            if _video_response(body).get("raiMediaFilteredCount") or reasons:
                raise self._error(
                    Rejected, f"safety filter removed the video: {'; '.join(reasons)}", model
                )
            raise self._error(RemoteFailure, "operation done without a video", model)
        return JobStatus(state=JobState.SUCCEEDED, progress=1.0)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        samples = _samples(body) if isinstance(body, dict) else []
        uri = (samples[0].get("video") or {}).get("uri") if samples else None
        if not uri:
            raise self._error(
                TransientError, "finished operation has no video uri", request.model.id
            )
        meta = {"seed_ignored": True} if handle.data.get("seed_ignored") else {}
        return RemoteOutput(url=str(uri), media_type="video/mp4", authorized=True, metadata=meta)

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        return HttpCall(method="POST", url=f"/v1beta/{handle.remote_id}:cancel", body={})

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """No way to tell: the Gemini API's operation listing shows neither an operation's
        prompt nor its start time, and ``predictLongRunning`` takes no idempotency key or
        client id (``NotImplementedError``, a person decides)."""
        raise NotImplementedError(
            f"{self.name}: Gemini API operations carry neither their prompt nor their start "
            f"time, so job {request.job_id} cannot be matched; check usage in Google AI Studio, "
            "then resubmit or abandon the job"
        )


def _video_response(body: dict[str, Any]) -> dict[str, Any]:
    response = body.get("response") or {}
    found = response.get("generateVideoResponse") or {}
    return found if isinstance(found, dict) else {}


def _samples(body: dict[str, Any]) -> list[dict[str, Any]]:
    samples = _video_response(body).get("generatedSamples") or []
    return [s for s in samples if isinstance(s, dict)]
