"""Progress of a run on the command line: rich bars per stage on a terminal, plain lines else.

The engine reports through :class:`~shotrelay.engine.events.EngineEvent`: a ``phase`` event
starts the animatic or the relay, a ``queued`` event per job gives the totals, and ``state``,
``cached`` and ``skip``/``error`` events finish jobs. Everything a person should read
(retries, fallbacks, notes, the gate) is printed as a line above the bars. Jobs answered from
the cache get no line each: every phase ends with one sum ("12 jobs: 0 ran, 12 cached"). The
cut's ``progress`` events drive a bar of their own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from shotrelay.engine.events import EngineEvent

__all__ = ["JobCount", "RunView"]

_FINAL_STATES = {"succeeded", "failed", "skipped"}


@dataclass
class JobCount:
    """Jobs finished in a phase (or a whole run): ran, answered from the cache, or not done."""

    ran: int = 0
    cached: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def jobs(self) -> int:
        """Every job counted."""
        return self.ran + self.cached + self.failed + self.skipped

    def add(self, other: JobCount) -> None:
        """Add another count to this one."""
        self.ran += other.ran
        self.cached += other.cached
        self.failed += other.failed
        self.skipped += other.skipped

    def sentence(self) -> str:
        """``20 jobs: 0 ran, 20 cached`` (failed and skipped only when there are some)."""
        words = [f"{self.ran} ran", f"{self.cached} cached"]
        words += [f"{n} {w}" for n, w in ((self.failed, "failed"), (self.skipped, "skipped")) if n]
        return f"{self.jobs} job{'' if self.jobs == 1 else 's'}: {', '.join(words)}"


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
        self.count = JobCount()  # this phase
        self.total = JobCount()  # every phase so far
        self._cached: set[tuple[str, str]] = set()  # (shot, stage) answered from the cache
        self._header = False

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
        self._sum_phase()
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, event: EngineEvent) -> None:
        """Take one engine event."""
        if event.kind == "phase":
            self._sum_phase()
            self.phase = event.message
            self.tasks.clear()
            self._cached.clear()
            self._header = True  # said before the phase's first line, or with its sum
            return
        if event.kind == "queued":
            self._queue(event)
            return
        if event.stage == "cut" and event.kind in {"progress", "state"}:
            self._cut(event)
            if event.kind == "progress" or event.state != "succeeded" or self.live:
                return
        final = event.kind in {"cached", "skip", "error"} or (
            event.kind == "state" and event.state in _FINAL_STATES
        )
        if final:
            self._tally(event)
            self._finish(event)
        if event.kind == "progress":
            task = self.tasks.get(event.stage)
            if self.progress is not None and task is not None:
                done = f" {event.progress:.0%}" if event.progress is not None else ""
                self.progress.update(task, note=f"{event.shot_id}: {event.state}{done}")
            return
        if event.kind == "state" and not final:
            return
        if event.kind == "cached" or (
            event.kind == "take" and (event.shot_id, event.stage) in self._cached
        ):
            return  # summed at the end of the phase
        if self.live and event.kind == "state":
            return  # the bars show it
        self._line(event)

    def _tally(self, event: EngineEvent) -> None:
        if event.stage == "cut":
            return  # the cut is not a job of the graph
        if event.kind == "cached":
            self.count.cached += 1
            self._cached.add((event.shot_id, event.stage))
        elif event.kind == "skip" or event.state == "skipped":
            self.count.skipped += 1
        elif event.kind == "error" or event.state == "failed":
            self.count.failed += 1
        else:
            self.count.ran += 1

    def _sum_phase(self) -> None:
        if self.count.jobs:
            self._header = False
            self._say(f"{self.phase or 'run'}: {self.count.sentence()}")
        self.total.add(self.count)
        self.count = JobCount()

    def _cut(self, event: EngineEvent) -> None:
        """The cut's own bar: started when the cut starts, advanced by its steps."""
        if self.progress is None:
            return
        task = self.tasks.get("cut")
        if task is None:
            label = f"{self.phase} cut".strip()
            task = self.tasks["cut"] = self.progress.add_task(label, total=None, note="")
        if event.kind == "progress" and event.progress is not None:
            # in percent: the step count stays in the note, never parsed back out of it
            note = f"{event.state} ({event.message} steps)" if event.message else event.state
            self.progress.update(task, total=100, completed=round(event.progress * 100), note=note)
        elif event.state == "succeeded":
            self.progress.update(task, total=100, completed=100, note="done")

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
        # a take's message says it all ("take 2 chosen by scorer")
        kind = "" if event.kind == "take" else event.kind
        state = event.state if event.kind in {"state", "cached"} else kind
        parts = [event.shot_id, event.stage, event.model, state, event.message]
        self._say(" ".join(p for p in parts if p))

    def _say(self, text: str) -> None:
        if not self.show:
            return
        if self._header:
            self._header = False
            self._say(f"{self.phase}:")
        text = f"[{self.prefix}] {text}" if self.prefix else text
        if self.progress is not None:
            self.progress.console.print(text, style="dim", highlight=False, markup=False)
        else:
            self.plain.write(text + "\n")
            self.plain.flush()
