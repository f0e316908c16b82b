"""What a job's call path needs from its runner: the seam between the model chain
(``calls.py``) and the steps it drives (``submission``, ``collect``, ``recovery``).

``CallRunner`` implements it; the steps depend on this protocol, not on the runner, so the
call path has no import cycle.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import Job, JobNode
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.store import ArtifactStore
from shotrelay.providers.base import JobRequest, Provider

__all__ = ["Runner"]


class Runner(Protocol):
    """The journal, store, providers and policies of one executor, and how it reports."""

    journal: Journal
    store: ArtifactStore
    providers: Mapping[str, Provider]
    models: Mapping[str, ModelProfile]
    budget_usd: float | None
    retry: RetryPolicy
    resubmit_unknown: bool
    project_ref: str
    scratch: Path
    sleep: Callable[[float], Awaitable[None]]
    rand: Callable[[], float]

    def request(
        self, node: JobNode, job: Job, key: str, model: ModelProfile, paths: dict[str, Path]
    ) -> JobRequest:
        """The provider request for ``job`` on ``model``."""
        ...

    def record(
        self,
        key: str,
        node: JobNode,
        kind: str,
        message: str,
        *,
        data: dict[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        """Journal an event about a job, and set its columns in the same transaction."""
        ...

    def note(
        self,
        key: str,
        node: JobNode,
        kind: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Journal an event about a job and pass it to the caller."""
        ...

    def tell(self, node: JobNode, key: str, kind: str, **fields: Any) -> None:
        """Pass an event about a job to the caller."""
        ...

    def state(self, node: JobNode, key: str, model: ModelProfile, state: JobStateName) -> None:
        """Tell the caller a job's new state."""
        ...
