"""Every adapter classifies failures by the provider's own codes, on a real loopback socket.

Bodies are the providers' documented shapes; each row cites where the shape comes from. A
refusal is ``Rejected``, out of money ``QuotaError`` (even on a 429 or 401), bad input
``InvalidInput``, a slow-down ``RateLimited``, and a job the provider reports failed for no
classified reason ``RemoteFailure`` (raised from the poll, never a quiet FAILED state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shotrelay.errors import (
    AuthError,
    InvalidInput,
    ProviderError,
    QuotaError,
    RateLimited,
    Rejected,
    RemoteFailure,
)
from shotrelay.providers.base import JobRequest
from shotrelay.providers.elevenlabs import ElevenLabsProvider
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.http import HttpProvider
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.openai import OpenAIImagesProvider
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sora import SoraProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.providers.veo import VeoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply


def _lipsync(folder: Path) -> dict[str, Path]:
    (folder / "v.mp4").write_bytes(MP4)
    (folder / "a.wav").write_bytes(b"RIFF....WAVE")
    return {"video": folder / "v.mp4", "audio": folder / "a.wav"}


@dataclass(frozen=True)
class Api:
    """Where one adapter submits and polls on the fake server."""

    make: type[HttpProvider]
    request: Callable[[Path], JobRequest]
    submit: str
    submitted: Callable[[str], dict[str, Any]] = lambda u: {"id": "j"}
    status: str = ""


APIS = {
    "fal": Api(
        FalProvider,
        lambda d: make_request("fal", "fal-ai/wan/v2.2/text-to-video", Task.TEXT_TO_VIDEO),
        "/fal-ai/wan/v2.2/text-to-video",
        lambda u: {
            "request_id": "r",
            "status_url": u + "/fal-ai/wan/requests/r/status",
            "response_url": u + "/fal-ai/wan/requests/r",
            "cancel_url": u + "/fal-ai/wan/requests/r/cancel",
        },
        "/fal-ai/wan/requests/r/status",
    ),
    "runway": Api(
        RunwayProvider,
        lambda d: make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO),
        "/v1/text_to_video",
        status="/v1/tasks/j",
    ),
    "luma": Api(
        LumaProvider,
        lambda d: make_request("luma", "ray-2", Task.TEXT_TO_VIDEO),
        "/generations/video",
        status="/generations/j",
    ),
    "replicate": Api(
        ReplicateProvider,
        lambda d: make_request("replicate", "minimax/video-01", Task.TEXT_TO_VIDEO),
        "/v1/models/minimax/video-01/predictions",
        status="/v1/predictions/j",
    ),
    "veo": Api(
        VeoProvider,
        lambda d: make_request("veo", "veo-3.1-fast-generate-preview", Task.TEXT_TO_VIDEO),
        "/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning",
        lambda u: {"name": "operations/o"},
        "/v1beta/operations/o",
    ),
    "sync": Api(
        SyncSoProvider,
        lambda d: make_request("sync", "lipsync-2", Task.LIPSYNC, inputs=_lipsync(d)),
        "/v2/generate",
        status="/v2/generate/j",
    ),
    "sora": Api(
        SoraProvider,
        lambda d: make_request("sora", "sora-2", Task.TEXT_TO_VIDEO),
        "/v1/videos",
        lambda u: {"id": "j", "object": "video", "status": "queued"},
        "/v1/videos/j",
    ),
    "openai": Api(
        OpenAIImagesProvider,
        lambda d: make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE),
        "/v1/images/generations",
    ),
    "elevenlabs": Api(
        ElevenLabsProvider,
        lambda d: make_request(
            "elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Hi.", voice_id="v"
        ),
        "/v1/text-to-speech/v",
    ),
}

_FAL_REFUSAL = {  # https://docs.fal.ai/model-apis/errors (model error, content_policy_violation)
    "detail": [
        {
            "loc": ["body", "prompt"],
            "msg": "The content was flagged by a content checker.",
            "type": "content_policy_violation",
            "url": "https://docs.fal.ai/errors#content_policy_violation",
        }
    ]
}
_OPENAI_QUOTA = {  # OpenAI error codes guide: 429 "You exceeded your current quota"
    "error": {
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "type": "insufficient_quota",
        "param": None,
        "code": "insufficient_quota",
    }
}


def _gemini_429(quota_id: str) -> dict[str, Any]:
    """google.rpc.Status with QuotaFailure and RetryInfo details, as the Gemini API sends."""
    return {
        "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [
                        {
                            "quotaMetric": "generativelanguage.googleapis.com/"
                            "generate_requests_per_model",
                            "quotaId": quota_id,
                            "quotaDimensions": {"location": "global"},
                        }
                    ],
                },
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "22s"},
            ],
        }
    }


#: (adapter, HTTP answer to the submission, expected class)
HTTP_ERRORS: list[tuple[str, Reply, type[ProviderError]]] = [
    ("fal", Reply(status=422, json=_FAL_REFUSAL), Rejected),
    # A refusal told only by the header (fal_client reads X-Fal-Error-Type when the body has
    # no error_type): still a refusal.
    (
        "fal",
        Reply(
            status=422,
            json={"detail": "Unprocessable"},
            headers={"X-Fal-Error-Type": "content_policy_violation", "X-Fal-Retryable": "false"},
        ),
        Rejected,
    ),
    (
        "fal",
        Reply(
            status=422,
            json={
                "detail": [{"loc": ["body", "image_url"], "msg": "x", "type": "image_too_small"}]
            },
        ),
        InvalidInput,
    ),
    # https://docs.fal.ai/model-apis/request-errors: flat {detail, error_type} plus headers.
    (
        "fal",
        Reply(
            status=504,
            json={"detail": "Request timed out", "error_type": "request_timeout"},
            headers={"X-Fal-Error-Type": "request_timeout", "X-Fal-Retryable": "false"},
        ),
        RemoteFailure,
    ),
    (
        "fal",
        Reply(status=403, json={"detail": "User is locked. Reason: Exhausted balance."}),
        QuotaError,
    ),
    # Runway HTTP errors page: 400 with an ``error`` member; credits run out on a 400.
    (
        "runway",
        Reply(status=400, json={"error": "You do not have enough credits to run this task."}),
        QuotaError,
    ),
    ("runway", Reply(status=400, json={"error": "Invalid ratio"}), InvalidInput),
    (
        "runway",
        Reply(status=429, json={"error": "Too many"}, headers={"Retry-After": "3"}),
        RateLimited,
    ),
    # Luma's Agents API failure_code, and Dream Machine's {"detail": ...} 400s.
    ("luma", Reply(status=400, json={"detail": "Insufficient credits"}), QuotaError),
    ("luma", Reply(status=400, json={"detail": "failed to moderate image"}), Rejected),
    (
        "luma",
        Reply(status=400, json={"failure_code": "budget_exhausted", "detail": "x"}),
        QuotaError,
    ),
    # Replicate problem details (title/detail/status); 402 is out of credit.
    (
        "replicate",
        Reply(
            status=402, json={"title": "Insufficient credit", "detail": "Buy credit", "status": 402}
        ),
        QuotaError,
    ),
    ("replicate", Reply(status=422, json={"title": "Invalid input", "status": 422}), InvalidInput),
    (
        "veo",
        Reply(status=429, json=_gemini_429("GenerateRequestsPerDayPerProjectPerModel")),
        QuotaError,
    ),
    (
        "veo",
        Reply(status=429, json=_gemini_429("GenerateRequestsPerMinutePerProjectPerModel")),
        RateLimited,
    ),
    ("sync", Reply(status=402, json={"message": "Insufficient credits"}), QuotaError),
    ("sync", Reply(status=422, json={"message": "video is not a valid mp4"}), InvalidInput),
    ("sora", Reply(status=429, json=_OPENAI_QUOTA), QuotaError),
    (
        "sora",
        Reply(status=429, json={"error": {"code": "rate_limit_exceeded", "message": "slow"}}),
        RateLimited,
    ),
    ("openai", Reply(status=429, json=_OPENAI_QUOTA), QuotaError),
    (
        "openai",
        Reply(
            status=400,
            json={
                "error": {
                    "code": "moderation_blocked",
                    "message": "Your request was rejected by the safety system.",
                    "type": "image_generation_user_error",
                }
            },
        ),
        Rejected,
    ),
    # ElevenLabs help center "API Error Code 400 or 401": {"detail": {"status", "message"}}.
    (
        "elevenlabs",
        Reply(
            status=401,
            json={"detail": {"status": "quota_exceeded", "message": "insufficient quota"}},
        ),
        QuotaError,
    ),
    (
        "elevenlabs",
        Reply(status=401, json={"detail": {"status": "invalid_api_key", "message": "Invalid"}}),
        AuthError,
    ),
    (
        "elevenlabs",
        Reply(status=400, json={"detail": {"status": "voice_not_found", "message": "no"}}),
        InvalidInput,
    ),
]


@pytest.mark.parametrize(
    ("name", "reply", "expected"),
    HTTP_ERRORS,
    ids=[f"{n}-{r.status}-{e.__name__}" for n, r, e in HTTP_ERRORS],
)
def test_http_errors_are_classified_by_the_providers_codes(
    server: FakeServer, tmp_path: Path, name: str, reply: Reply, expected: type[ProviderError]
) -> None:
    api = APIS[name]
    server.on("POST", api.submit, reply)
    adapter = api.make(base_url=server.url, api_key=SECRET)
    with pytest.raises(ProviderError) as info:
        run(adapter.submit(api.request(tmp_path)))
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert SECRET not in str(info.value)
    if expected is QuotaError:
        assert not isinstance(info.value, RateLimited)


def test_a_per_minute_gemini_limit_waits_for_the_retry_info_delay(server: FakeServer) -> None:
    api = APIS["veo"]
    minute = _gemini_429("GenerateRequestsPerMinutePerProjectPerModel")
    server.on("POST", api.submit, Reply(status=429, json=minute))
    with pytest.raises(RateLimited) as info:
        run(api.make(base_url=server.url, api_key=SECRET).submit(api.request(Path("."))))
    assert info.value.retry_after == 22.0


#: (adapter, the poll's answer for a finished-but-failed job, expected class, text it carries)
POLL_FAILURES: list[tuple[str, dict[str, Any], type[ProviderError], str]] = [
    # fal_client ``Completed(error, error_type)``; types from fal's model errors page.
    (
        "fal",
        {"status": "COMPLETED", "error": "flagged", "error_type": "content_policy_violation"},
        Rejected,
        "content_policy_violation",
    ),
    (
        "fal",
        {"status": "COMPLETED", "error": "bad", "error_type": "image_too_large"},
        InvalidInput,
        "image_too_large",
    ),
    (
        "fal",
        {"status": "COMPLETED", "error": "GPU fault", "error_type": "internal_server_error"},
        RemoteFailure,
        "internal_server_error",
    ),
    # Runway task failures page: SAFETY.* never retried; INTERNAL.BAD_OUTPUT.* a failure.
    (
        "runway",
        {"status": "FAILED", "failure": "x", "failureCode": "SAFETY.INPUT.TEXT"},
        Rejected,
        "SAFETY.INPUT.TEXT",
    ),
    (
        "runway",
        {"status": "FAILED", "failure": "x", "failureCode": "INPUT_PREPROCESSING.SAFETY.TEXT"},
        Rejected,
        "SAFETY",
    ),
    (
        "runway",
        {"status": "FAILED", "failure": "x", "failureCode": "ASSET.INVALID"},
        InvalidInput,
        "ASSET.INVALID",
    ),
    (
        "runway",
        {"status": "FAILED", "failure": "x", "failureCode": "INTERNAL.BAD_OUTPUT.CODE01"},
        RemoteFailure,
        "INTERNAL",
    ),
    # Luma: Dream Machine failure_reason text; Agents API failure_code.
    (
        "luma",
        {"state": "failed", "failure_reason": "failed to moderate image"},
        Rejected,
        "failed to moderate",
    ),
    (
        "luma",
        {"state": "failed", "failure_code": "content_moderated", "failure_reason": "x"},
        Rejected,
        "content_moderated",
    ),
    (
        "luma",
        {"state": "failed", "failure_code": "budget_exhausted", "failure_reason": "x"},
        QuotaError,
        "budget_exhausted",
    ),
    (
        "luma",
        {"state": "failed", "failure_code": "generation_failed", "failure_reason": "x"},
        RemoteFailure,
        "generation_failed",
    ),
    # Replicate: the SDK's terminal statuses failed, canceled, aborted; E#### codes in error.
    (
        "replicate",
        {"status": "failed", "error": "The input or output was flagged as sensitive. (E005)"},
        Rejected,
        "E005",
    ),
    (
        "replicate",
        {"status": "failed", "error": "CUDA out of memory (E1001)"},
        RemoteFailure,
        "E1001",
    ),
    ("replicate", {"status": "aborted", "error": None}, RemoteFailure, "aborted"),
    ("replicate", {"status": "canceled", "error": None}, RemoteFailure, "canceled"),
    # Veo long-running operation: google.rpc.Status error, or the RAI filter's counts.
    (
        "veo",
        {"done": True, "error": {"code": 3, "message": "bad aspect"}},
        InvalidInput,
        "bad aspect",
    ),
    (
        "veo",
        {"done": True, "error": {"code": 13, "message": "internal"}},
        RemoteFailure,
        "internal",
    ),
    (
        "veo",
        {
            "done": True,
            "response": {
                "generateVideoResponse": {
                    "raiMediaFilteredCount": 1,
                    "raiMediaFilteredReasons": ["child"],
                }
            },
        },
        Rejected,
        "child",
    ),
    (
        "veo",
        {"done": True, "response": {"generateVideoResponse": {}}},
        RemoteFailure,
        "without a video",
    ),
    # sync.so statuses: REJECTED is moderation, FAILED a failure.
    ("sync", {"status": "REJECTED", "error": "content"}, Rejected, "content"),
    ("sync", {"status": "FAILED", "error": "render crashed"}, RemoteFailure, "render crashed"),
    # openai SDK ``Video.error`` ({code, message}).
    (
        "sora",
        {"status": "failed", "error": {"code": "moderation_blocked", "message": "no"}},
        Rejected,
        "moderation_blocked",
    ),
    (
        "sora",
        {"status": "failed", "error": {"code": "internal_error", "message": "oops"}},
        RemoteFailure,
        "internal_error",
    ),
]


@pytest.mark.parametrize(
    ("name", "answer", "expected", "text"),
    POLL_FAILURES,
    ids=[f"{n}-{e.__name__}-{i}" for i, (n, _, e, _) in enumerate(POLL_FAILURES)],
)
def test_a_failed_job_raises_its_classified_error_from_the_poll(
    server: FakeServer,
    tmp_path: Path,
    name: str,
    answer: dict[str, Any],
    expected: type[ProviderError],
    text: str,
) -> None:
    api = APIS[name]
    server.on("POST", api.submit, Reply(json=api.submitted(server.url)))
    server.on("GET", api.status, Reply(json=answer))
    adapter = api.make(base_url=server.url, api_key=SECRET)
    handle = run(adapter.submit(api.request(tmp_path)))
    with pytest.raises(ProviderError) as info:
        run(adapter.poll(handle))
    assert type(info.value) is expected, f"{type(info.value).__name__}: {info.value}"
    assert text in str(info.value)
