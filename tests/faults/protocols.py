"""Each cloud provider's wire protocol as the fault server plays it; this module has sync.so,
Sora, ElevenLabs and OpenAI images, and the registry of all nine."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

from .protocols_video import Fal, Luma, Replicate, Runway, Veo, _match, iso
from .provider_server import Answer, Phase, Protocol, RemoteJob


class SyncSo(Protocol):
    """sync.so v2 generations."""

    name = "sync"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("REJECTED", "The input was rejected by content moderation."),
        "other": ("FAILED", "Generation failed."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (402, {"message": "Insufficient credits on this account."})
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/media/([^/]+)", path):
            return "media", m[1]
        if method == "POST" and path == "/v2/generate":
            return "submit", None
        if m := _match(r"/v2/generate/([^/]+)", path):
            return "status", m[1]
        if method == "GET" and path == "/v2/generations":
            return "listing", None
        return None

    def generation(self, job: RemoteJob, url: str) -> dict[str, Any]:
        """A generation object as the sync.so API answers it."""
        status = {"running": "PROCESSING", "failed": "FAILED", "done": "COMPLETED"}[job.state]
        error = None
        if status == "FAILED" and job.failure:
            status, error = job.failure
        return {
            "id": job.id,
            "createdAt": iso(job.created),
            "status": status,
            "model": job.body.get("model"),
            "input": job.body.get("input"),
            "options": job.body.get("options"),
            "outputUrl": self.media_url(job, url) if status == "COMPLETED" else None,
            "error": error,
        }

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(201, {**self.generation(job, url), "status": "PENDING"})

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json=self.generation(job, url))

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        return Answer(json=[self.generation(j, url) for j in reversed(jobs)])


class Sora(Protocol):
    """OpenAI videos API, listed at GET /v1/videos."""

    name = "sora"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("moderation_blocked", "Your request was blocked by our moderation system."),
        "other": ("video_generation_failed", "Video generation failed."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (
            429,
            {
                "error": {
                    "message": "You exceeded your current quota, please check your plan and "
                    "billing details.",
                    "type": "insufficient_quota",
                    "param": None,
                    "code": "insufficient_quota",
                }
            },
        )
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/v1/videos/([^/]+)/content", path):
            return "media", m[1]
        if m := _match(r"/v1/videos/([^/]+)", path):
            return ("cancel" if method == "DELETE" else "status"), m[1]
        if path == "/v1/videos":
            return ("listing" if method == "GET" else "submit"), None
        return None

    def video(self, job: RemoteJob, url: str) -> dict[str, Any]:
        """A Video object as the openai SDK types it."""
        status = {"running": "in_progress", "failed": "failed", "done": "completed"}[job.state]
        out: dict[str, Any] = {
            "id": job.id,
            "object": "video",
            "created_at": int(job.created),
            "status": status,
            "model": job.body.get("model"),
            "progress": 100 if status == "completed" else 50,
            "prompt": job.body.get("prompt"),
            "seconds": job.body.get("seconds"),
            "size": job.body.get("size"),
        }
        if status == "failed" and job.failure:
            out["error"] = {"code": job.failure[0], "message": job.failure[1]}
        if status == "completed":
            out["expires_at"] = int(job.created) + 3600
        return out

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json={**self.video(job, url), "status": "queued", "progress": 0})

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json=self.video(job, url))

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        data = [self.video(j, url) for j in reversed(jobs)]
        first, last = (data[0]["id"], data[-1]["id"]) if data else (None, None)
        return Answer(
            json={
                "object": "list",
                "data": data,
                "first_id": first,
                "last_id": last,
                "has_more": False,
            }
        )

    def media_url(self, job: RemoteJob, url: str) -> str:
        return f"{url}/v1/videos/{job.id}/content"


class ElevenLabs(Protocol):
    """ElevenLabs text-to-speech: the answer to the submission is the audio."""

    name = "elevenlabs"
    media_type = "audio/mpeg"
    synchronous = True
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "moderation": (
            400,
            {
                "detail": {
                    "status": "bad_prompt",
                    "message": "Your prompt appears to have violated our Terms of Service.",
                }
            },
        ),
        "quota": (
            401,
            {
                "detail": {
                    "status": "quota_exceeded",
                    "message": "This request exceeds your quota of 10000. You have 0 credits"
                    " remaining, while 45 credits are required for this request.",
                }
            },
        ),
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if method == "POST" and _match(r"/v1/text-to-speech/[^/]+", path):
            return "submit", None
        return None

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(body=self.media, content_type=self.media_type)

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(404, {"error": "no such endpoint"})


class OpenAIImages(Protocol):
    """OpenAI images: the answer carries the image as data[0].b64_json."""

    name = "openai"
    media_type = "image/png"
    synchronous = True
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "moderation": (
            400,
            {
                "error": {
                    "code": "moderation_blocked",
                    "message": "Your request was rejected by the safety system.",
                    "type": "image_generation_user_error",
                    "param": None,
                }
            },
        ),
        "quota": Sora.submit_errors["quota"],
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if method == "POST" and path in ("/v1/images/generations", "/v1/images/edits"):
            return "submit", None
        return None

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        b64 = base64.b64encode(self.media).decode()
        return Answer(
            json={
                "created": int(job.created),
                "data": [{"b64_json": b64}],
                "usage": {"input_tokens": 10, "output_tokens": 100, "total_tokens": 110},
            }
        )

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(404, {"error": "no such endpoint"})


PROTOCOLS: dict[str, type[Protocol]] = {
    p.name: p for p in (Fal, Runway, Luma, Replicate, Veo, SyncSo, Sora, ElevenLabs, OpenAIImages)
}
