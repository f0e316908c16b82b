"""The end of a job for this run, in a state other than success."""

from __future__ import annotations

from shotrelay.engine.journal import JobStateName

__all__ = ["Stop"]


class Stop(Exception):
    """Raised inside a job's call chain; the chain journals ``state`` with ``reason``."""

    def __init__(self, state: JobStateName, message: str, reason: str) -> None:
        self.state = state
        self.reason = reason
        super().__init__(message)
