"""The video providers' wire protocols as the fault server plays them (fal, Runway, Luma,
Replicate, Veo): paths, bodies, states, failure codes and listings, taken from the adapters,
their tests and the official SDKs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from .provider_server import Answer, Phase, Protocol, RemoteJob


def iso(ts: float) -> str:
    """An RFC 3339 timestamp as the JSON APIs write them."""
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def _match(pattern: str, path: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, path)


class Fal(Protocol):
    """fal queue API: submit answers status_url/response_url/cancel_url."""

    name = "fal"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": (
            "content_policy_violation",
            "The content could not be processed because it contained material flagged by a"
            " content checker.",
        ),
        "other": ("internal_server_error", "Unexpected error while generating the video."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (403, {"detail": "User is locked. Reason: Exhausted balance. Top up at fal.ai."})
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if method == "GET" and path == "/v1/models/requests/by-endpoint":
            return "listing", None  # the platform API (the adapter's platform_url + this)
        if m := _match(r"/media/([^/]+)", path):
            return "media", m[1]
        if m := _match(r"/.+/requests/([^/]+)/status", path):
            return "status", m[1]
        if m := _match(r"/.+/requests/([^/]+)/cancel", path):
            return "cancel", m[1]
        if m := _match(r"/.+/requests/([^/]+)", path):
            return "result", m[1]
        return ("submit", None) if method == "POST" else None

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        base = f"{url}/{job.path.strip('/').split('/')[0]}/{job.path.strip('/').split('/')[1]}"
        req = f"{base}/requests/{job.id}"
        return Answer(
            json={
                "request_id": job.id,
                "status": "IN_QUEUE",
                "queue_position": 0,
                "status_url": f"{req}/status",
                "response_url": req,
                "cancel_url": f"{req}/cancel",
            }
        )

    def status(self, job: RemoteJob, url: str) -> Answer:
        if job.state == "running":
            return Answer(json={"status": "IN_PROGRESS", "request_id": job.id})
        if job.state == "failed" and job.failure:
            code, message = job.failure
            return Answer(json={"status": "COMPLETED", "error": message, "error_type": code})
        return Answer(json={"status": "COMPLETED", "request_id": job.id})

    def result(self, job: RemoteJob, url: str) -> Answer:
        if job.state == "failed" and job.failure:
            code, message = job.failure
            return Answer(
                422,
                {"detail": [{"loc": ["body", "prompt"], "msg": message, "type": code}]},
                headers={"X-Fal-Error-Type": code, "X-Fal-Retryable": "false"},
            )
        if job.state == "running":
            return Answer(400, {"detail": "Request is still in progress"})
        return Answer(
            json={
                "video": {
                    "url": self.media_url(job, url),
                    "content_type": "video/mp4",
                    "file_size": len(self.media),
                }
            }
        )

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        items = [
            {
                "request_id": j.id,
                "endpoint_id": j.path.strip("/"),
                "sent_at": iso(j.created),
                "status_code": 200 if j.state == "done" else None,
                "json_input": {k: v for k, v in j.body.items() if k != "_query"},
            }
            for j in reversed(jobs)
            if j.state != "running"  # fal lists a request once it has ended
        ]
        return Answer(json={"items": items, "has_more": False, "next_cursor": None})


class Runway(Protocol):
    """Runway developer API: tasks polled at /v1/tasks/{id}; no listing."""

    name = "runway"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("SAFETY.INPUT.TEXT", "The prompt was flagged by content moderation."),
        "other": ("INTERNAL.BAD_OUTPUT.CODE01", "An unexpected error occurred."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (400, {"error": "You do not have enough credits to run this task."})
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/media/([^/]+)", path):
            return "media", m[1]
        if m := _match(r"/v1/tasks/([^/]+)", path):
            return ("cancel" if method == "DELETE" else "status"), m[1]
        if method == "POST" and path.startswith("/v1/"):
            return "submit", None
        return None

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json={"id": job.id})

    def status(self, job: RemoteJob, url: str) -> Answer:
        task = {"id": job.id, "createdAt": iso(job.created)}
        credits = 100  # 1 credit = $0.01: the catalog row's $1 a clip
        if job.state == "running":
            return Answer(
                json={
                    **task,
                    "status": "RUNNING",
                    "progress": 0.5,
                    "estimatedCost": {"credits": credits},
                }
            )
        if job.state == "failed" and job.failure:
            code, message = job.failure
            return Answer(
                json={
                    **task,
                    "status": "FAILED",
                    "failure": message,
                    "failureCode": code,
                    "cost": {"credits": 0},
                }
            )
        return Answer(
            json={
                **task,
                "status": "SUCCEEDED",
                "output": [self.media_url(job, url)],
                "cost": {"credits": credits},
            }
        )


class Luma(Protocol):
    """Luma Dream Machine: generations, listed at GET /generations."""

    name = "luma"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("failed to moderate image", "failed to moderate image"),
        "other": ("Job failed", "Job failed"),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (400, {"detail": "Insufficient credits: top up your Luma API balance."})
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/media/([^/]+)", path):
            return "media", m[1]
        if method == "POST" and path.startswith("/generations/"):
            return "submit", None
        if method == "GET" and path == "/generations":
            return "listing", None
        if m := _match(r"/generations/([^/]+)", path):
            return ("cancel" if method == "DELETE" else "status"), m[1]
        return None

    def generation(self, job: RemoteJob, url: str) -> dict[str, Any]:
        """A Generation object as the lumaai SDK types it."""
        state = {"running": "dreaming", "failed": "failed", "done": "completed"}[job.state]
        return {
            "id": job.id,
            "generation_type": "video",
            "state": state,
            "failure_reason": job.failure[0] if state == "failed" and job.failure else None,
            "created_at": iso(job.created),
            "assets": {"video": self.media_url(job, url)} if state == "completed" else None,
            "model": job.body.get("model"),
            "request": {k: v for k, v in job.body.items() if k != "_query"},
        }

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(201, {**self.generation(job, url), "state": "queued"})

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json=self.generation(job, url))

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        gens = [self.generation(j, url) for j in reversed(jobs)]
        return Answer(json={"generations": gens, "has_more": False, "count": len(gens)})


class Replicate(Protocol):
    """Replicate predictions, listed at GET /v1/predictions."""

    name = "replicate"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("E005", "The input or output was flagged as sensitive. (E005)"),
        "other": ("E6716", "Director: unexpected error handling prediction (E6716)"),
        "aborted": ("aborted", "The prediction was aborted before it started."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (
            402,
            {
                "title": "Insufficient credit",
                "detail": "You have insufficient credit to run this model.",
                "status": 402,
            },
        )
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/media/([^/]+)", path):
            return "media", m[1]
        if m := _match(r"/v1/predictions/([^/]+)/cancel", path):
            return "cancel", m[1]
        if m := _match(r"/v1/predictions/([^/]+)", path):
            return "status", m[1]
        if path == "/v1/predictions":
            return ("listing" if method == "GET" else "submit"), None
        if method == "POST" and _match(r"/v1/models/[^/]+/[^/]+/predictions", path):
            return "submit", None
        return None

    def prediction(self, job: RemoteJob, url: str) -> dict[str, Any]:
        """A Prediction object as the replicate SDK types it."""
        m = _match(r"/v1/models/([^/]+/[^/]+)/predictions", job.path)
        status = {"running": "processing", "failed": "failed", "done": "succeeded"}[job.state]
        error = None
        if status == "failed" and job.failure:
            code, error = job.failure
            status = "aborted" if code == "aborted" else status
        return {
            "id": job.id,
            "model": m[1] if m else "",
            "version": job.body.get("version", ""),
            "input": job.body.get("input", {}),
            "status": status,
            "output": [self.media_url(job, url)] if status == "succeeded" else None,
            "error": error,
            "logs": "",
            "metrics": {"predict_time": 1.5} if status == "succeeded" else {},
            "created_at": iso(job.created),
            "urls": {
                "get": f"{url}/v1/predictions/{job.id}",
                "cancel": f"{url}/v1/predictions/{job.id}/cancel",
            },
        }

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(201, {**self.prediction(job, url), "status": "starting"})

    def status(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json=self.prediction(job, url))

    def listing(self, jobs: list[RemoteJob], url: str) -> Answer | None:
        items = [self.prediction(j, url) for j in reversed(jobs)]
        return Answer(json={"next": None, "previous": None, "results": items})


class Veo(Protocol):
    """Gemini API long-running operations (predictLongRunning)."""

    name = "veo"
    failures: ClassVar[dict[str, tuple[str, str]]] = {
        "moderation": ("RAI", "The video was filtered by the responsible AI policy."),
        "other": ("13", "Internal error encountered."),
    }
    submit_errors: ClassVar[dict[str, tuple[int, Any]]] = {
        "quota": (
            429,
            {
                "error": {
                    "code": 429,
                    "message": "You exceeded your current quota. Quota exceeded for metric: "
                    "generate_requests_per_model_per_day",
                    "status": "RESOURCE_EXHAUSTED",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                            "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}],
                        }
                    ],
                }
            },
        )
    }

    def route(self, method: str, path: str) -> tuple[Phase, str | None] | None:
        if m := _match(r"/v1beta/files/([^/:]+):download", path):
            return "media", m[1]
        if m := _match(r"/v1beta/(?:models/[^/]+/)?operations/([^/:]+):cancel", path):
            return "cancel", m[1]
        if m := _match(r"/v1beta/(?:models/[^/]+/)?operations/([^/:]+)", path):
            return "status", m[1]
        if method == "POST" and _match(r"/v1beta/models/[^/]+:predictLongRunning", path):
            return "submit", None
        return None

    def operation_name(self, job: RemoteJob) -> str:
        model = job.path.split("/")[-1].split(":")[0]
        return f"models/{model}/operations/{job.id}"

    def accepted(self, job: RemoteJob, url: str) -> Answer:
        return Answer(json={"name": self.operation_name(job)})

    def status(self, job: RemoteJob, url: str) -> Answer:
        op: dict[str, Any] = {"name": self.operation_name(job)}
        if job.state == "running":
            return Answer(json=op)
        op["done"] = True
        kind = "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse"
        if job.state == "failed" and job.failure:
            code, message = job.failure
            if code == "RAI":
                op["response"] = {
                    "@type": kind,
                    "generateVideoResponse": {
                        "raiMediaFilteredCount": 1,
                        "raiMediaFilteredReasons": [message],
                    },
                }
            else:
                op["error"] = {"code": int(code), "message": message}
            return Answer(json=op)
        sample = {"video": {"uri": self.media_url(job, url)}}
        op["response"] = {"@type": kind, "generateVideoResponse": {"generatedSamples": [sample]}}
        return Answer(json=op)

    def media_url(self, job: RemoteJob, url: str) -> str:
        return f"{url}/v1beta/files/{job.id}:download?alt=media"
