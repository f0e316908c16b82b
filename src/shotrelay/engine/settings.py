"""How an executor is set up: its policies (money, retries, clocks) and what its driver plugs
in (events, the take scorer, prompt recompiling, last frames, slots), each one typed object."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.events import EventCallback
from shotrelay.engine.jobs import JobNode
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.slots import Slots
from shotrelay.errors import EngineError

__all__ = [
    "ExecutorHooks",
    "ExecutorSettings",
    "Recompile",
    "Scorer",
    "TakeResult",
    "TakesRejected",
    "first_success",
]


class TakeResult(BaseModel):
    """A finished take, as the scorer sees it."""

    model_config = ConfigDict(frozen=True)

    take: int
    key: str
    artifact: str
    path: Path
    model: str


class TakesRejected(EngineError):
    """A scorer found no take fit to cut: the shot stops for a person (pick or re-take)."""


#: (shot id, successful takes in take order) -> chosen take number, or None for the first;
#: raises TakesRejected when no take may be cut. A scorer may return an awaitable (judging
#: in a thread), which the executor awaits so the run's other jobs keep moving.
Scorer = Callable[[str, list[TakeResult]], int | Awaitable[int | None] | None]
#: (node, fallback model) -> (prompt, negative prompt) in that model's dialect.
Recompile = Callable[[JobNode, ModelProfile], tuple[str, str]]


def first_success(shot_id: str, takes: list[TakeResult]) -> int | None:
    """The default scorer: the first take that succeeded."""
    return takes[0].take if takes else None


@dataclass(frozen=True)
class ExecutorSettings:
    """How an executor spends, retries and waits."""

    budget_usd: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: Submit again a job whose earlier submission's outcome is unknown (a person's decision).
    resubmit_unknown: bool = False
    #: Re-hash a cached artifact before trusting it.
    verify_cached: bool = True
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rand: Callable[[], float] = random.random
    #: How messages name the project in the commands they suggest.
    project_ref: str = "<project>"


@dataclass(frozen=True)
class ExecutorHooks:
    """What the executor's driver plugs in; None means "not used"."""

    on_event: EventCallback | None = None
    scorer: Scorer = first_success
    recompile: Recompile | None = None
    extract_last_frame: Callable[[Path, Path], Path] | None = None
    slots: Slots | None = None
