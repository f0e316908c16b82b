"""The replaceable parts of a run (tests, benches and embedders swap them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.settings import Scorer
from shotrelay.relay.compile import CompileFn, PacketLike
from shotrelay.relay.output import Cutter
from shotrelay.spec.models import Project

__all__ = ["EngineHooks"]


@dataclass
class EngineHooks:
    """Replaceable parts of a run; None means the built-in implementation."""

    compile: CompileFn | None = None
    packets: Callable[[Project], Callable[[str], PacketLike]] | None = None
    cutter: Cutter | None = None
    extract_last_frame: Callable[[Path, Path], Path] | None = None
    #: Chooses among a shot's takes; None judges every take (shotrelay.judge) and cuts the best.
    scorer: Scorer | None = None
    sleep: Callable[[float], Awaitable[None]] | None = None
    rand: Callable[[], float] | None = None
    retry: RetryPolicy | None = None
    #: Rounds of new takes for a shot whose every take failed hard QC (within the budget);
    #: 0 stops such a shot for a person (pick or redo); None: the project's ``retakes``.
    retakes: int | None = None
