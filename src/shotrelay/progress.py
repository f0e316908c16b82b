"""Progress of a run on the command line: rich bars per stage on a terminal, plain lines else.

The engine reports through :class:`~shotrelay.engine.events.EngineEvent`: a ``phase`` event
starts the animatic or the relay, a ``queued`` event per job gives the totals, and ``state``,
``cached`` and ``skip``/``error`` events finish jobs. Everything a person should read
(retries, fallbacks, notes, the gate) is printed as a line above the bars.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from shotrelay.engine.events import EngineEvent

__all__ = ["RunView"]

_FINAL_STATES = {"succeeded", "failed", "skipped"}


class RunView:
    """Renders engine events; use as a context manager around the run."""

    def __init__(
        self,
        console: Console | None = None,
        plain: TextIO | None = None,
        *,
        show: bool = True,
        prefix: str = "",
    ) -> None:
        self.console = console or Console()
        self.plain = plain or sys.stdout
        self.show = show
        self.prefix = prefix
        # Bars need the terminal to themselves: several projects at once print lines.
        self.live = show and self.console.is_terminal and not prefix
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        self.phase = ""

    def __enter__(self) -> RunView:
        if self.live:
            self.progress = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[note]}", style="dim"),
                console=self.console,
            )
            self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, event: EngineEvent) -> None:
        """Take one engine event."""
        if event.kind == "phase":
            self.phase = event.message
            self.tasks.clear()
            self._say(f"{event.message}:")
            return
        if event.kind == "queued":
            self._queue(event)
            return
        final = event.kind in {"cached", "skip", "error"} or (
            event.kind == "state" and event.state in _FINAL_STATES
        )
        if final:
            self._finish(event)
        if event.kind == "progress":
            task = self.tasks.get(event.stage)
            if self.progress is not None and task is not None:
                self.progress.update(task, note=f"{event.shot_id}: {event.state}")
            return
        if event.kind == "state" and not final:
            return
        if self.live and event.kind in {"state", "cached"}:
            return  # the bars show it
        self._line(event)

    def _queue(self, event: EngineEvent) -> None:
        if self.progress is None:
            return
        task = self.tasks.get(event.stage)
        if task is None:
            label = f"{self.phase} {event.stage}".strip()
            self.tasks[event.stage] = self.progress.add_task(label, total=1, note="")
        else:
            total = self.progress.tasks[task].total or 0
            self.progress.update(task, total=total + 1)

    def _finish(self, event: EngineEvent) -> None:
        # Jobs are queued by node id and finish by cache key: count by stage.
        stage = event.stage
        if self.progress is None or stage not in self.tasks:
            return
        task = self.tasks[stage]
        note = f"{event.shot_id} {event.state or event.kind}"[:40]
        self.progress.update(task, advance=1, note=note)

    def _line(self, event: EngineEvent) -> None:
        state = event.state if event.kind in {"state", "cached"} else event.kind
        parts = [event.shot_id, event.stage, event.model, state, event.message]
        self._say(" ".join(p for p in parts if p))

    def _say(self, text: str) -> None:
        text = f"[{self.prefix}] {text}" if self.prefix else text
        if self.progress is not None:
            self.progress.console.print(text, style="dim", highlight=False, markup=False)
        else:
            self.plain.write(text + "\n")
            self.plain.flush()
