"""The Provider protocol every adapter implements, local or cloud, and the data it exchanges."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import EngineError
from shotrelay.spec.vocabulary import Stage, Task

__all__ = [
    "Handle",
    "JobRequest",
    "JobState",
    "JobStatus",
    "Provider",
    "ProviderResult",
    "account_limit",
]


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JobRequest(_Msg):
    """One model call, fully resolved: everything a provider needs, nothing secret.

    ``inputs`` maps an input role to a local file: ``first_frame``, ``last_frame``,
    ``video``, ``audio``, ``reference_0``, ``reference_1``... Providers upload or inline them
    as their protocol requires.
    """

    job_id: str = Field(description="The job's cache key; stable across restarts.")
    shot_id: str
    stage: Stage
    task: Task
    model: ModelProfile
    prompt: str = ""
    negative_prompt: str = ""
    inputs: dict[str, Path] = Field(default_factory=dict)
    params: CallParams = Field(
        default_factory=CallParams,
        description="Fixed by the router and the project: clip and shot length, size, fps, "
        "aspect, resolution, and per-task extras (text for tts, target_fps, scale, ...).",
    )
    seed: int | None = None
    # The continuity packet as plain data (characters, palette, notes) for planners and
    # finishing models that read it; providers that cannot use it ignore it.
    context: dict[str, Any] = Field(default_factory=dict)


class Handle(_Msg):
    """What a provider answers on submit; persisted at once so a restart can resume."""

    provider: str
    remote_id: str
    data: dict[str, Any] = Field(
        default_factory=dict, description="Provider-specific resume data (never secrets)."
    )


class JobState(StrEnum):
    """Normalised remote job state."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobStatus(_Msg):
    """A poll answer."""

    state: JobState
    progress: float | None = Field(None, ge=0, le=1)
    message: str = ""


class ProviderResult(_Msg):
    """A finished job's output, downloaded to a local file the engine moves into the store."""

    path: Path
    media_type: str = Field(description="MIME type, e.g. video/mp4, image/png, audio/wav.")
    cost_usd: float | None = Field(None, description="Actual cost, when the provider says.")
    metadata: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class Provider(Protocol):
    """An adapter to one provider (a company's API, or the local renderers).

    Errors are raised as the classified subclasses of ``ProviderError``. An adapter may set
    ``poll_interval_s`` to the polling cadence it wants (default: the engine's RetryPolicy) and
    ``concurrency`` to an account-wide limit on jobs in flight across all its models (the
    per-model limit is ``ModelProfile.concurrency``).
    """

    name: str

    def available(self) -> tuple[bool, str]:
        """Whether this provider can be used now (credentials, installed engine) and why not."""
        ...

    async def submit(self, request: JobRequest) -> Handle:
        """Start the job; return as soon as the provider has accepted it."""
        ...

    async def poll(self, handle: Handle) -> JobStatus:
        """Ask once for the job's state."""
        ...

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Download the finished job's output into the folder ``dest``."""
        ...

    async def cancel(self, handle: Handle) -> None:
        """Cancel the job, if the provider allows it."""
        ...

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """Look for an already accepted job for this request in the provider's own listing.

        Used when a submission's outcome is unknown (a crash while "submitting", or an answer
        lost after the body went out): returns its handle if the provider has it, None if it
        is certainly absent; raises ``NotImplementedError`` when the provider offers no
        listing (then a person decides). ``since`` is the Unix time the submission started,
        from the journal: a listed job created well before it is not this request's.
        """
        ...


def account_limit(provider: object) -> int | None:
    """A provider's account-wide limit on jobs in flight, or None when only models limit."""
    limit = getattr(provider, "concurrency", None)
    if not limit:
        return None
    try:
        return max(1, int(limit))
    except (TypeError, ValueError):
        name = getattr(provider, "name", type(provider).__name__)
        raise EngineError(
            f"provider {name}: concurrency {limit!r} is not a whole number of jobs; "
            "fix the adapter or its SHOTRELAY_<NAME>_CONCURRENCY setting"
        ) from None
