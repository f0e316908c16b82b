"""A run's engine events as MCP progress notifications.

The run works in a worker thread; each notification is sent on the server's event loop
(``anyio.from_thread``). Progress counts finished jobs and phases begun, the total the
jobs queued so far and the two phases, so it only ever grows, as the protocol requires.
A notification that cannot be sent (the client went away) stops the reports, never the run.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import anyio.from_thread

from shotrelay.api import EngineEvent

__all__ = ["ProgressRelay"]

#: Sends one notification: progress, total, message.
Notify = Callable[[float, float | None, str | None], Coroutine[Any, Any, None]]

_FINAL_STATES = {"succeeded", "failed", "skipped"}
_PHASES = 2  # the animatic, then the relay


class ProgressRelay:
    """An engine event callback that reports progress through ``notify``."""

    def __init__(self, notify: Notify, redact: Callable[[str], str]) -> None:
        self.notify = notify
        self.redact = redact
        self.queued = 0
        self.done = 0
        self.sent = 0
        self.lost = False

    def __call__(self, event: EngineEvent) -> None:
        """Take one engine event (in the run's thread)."""
        if event.kind == "queued":
            self.queued += 1
            return
        finished = event.kind in {"cached", "skip", "error"} or (
            event.kind == "state" and event.state in _FINAL_STATES
        )
        if not (finished or event.kind in {"phase", "gate"}):
            return
        self.done += 1
        total = float(max(self.queued + _PHASES, self.done))
        parts = [event.kind if event.kind != "state" else "", event.shot_id, event.stage]
        parts += [event.model, event.state, event.message]
        message = self.redact(" ".join(p for p in parts if p))
        if self.done > self.sent and not self.lost:
            self.sent = self.done
            try:
                anyio.from_thread.run(self.notify, float(self.done), total, message)
            except Exception:  # the client went away: the run goes on, journalled, unreported
                self.lost = True
