"""The served projects and the runs the studio starts for them, each in its own thread.

A run started from the page calls the same ``shotrelay.api`` function as the CLI, in a
background thread of the server: closing the page does not stop it, it takes the project's
lock like any run (so ``shotrelay status`` and the CLI see it), and its journal is the one
the pages read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shotrelay import api
from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.workspace import Workspace, workspace_for
from shotrelay.errors import ShotrelayError
from shotrelay.relay import RunResult
from shotrelay.spec.loader import load_project

__all__ = ["Activity", "Served", "Studio"]


@dataclass(frozen=True)
class Served:
    """One project the studio serves: its short name in URLs and its project file."""

    slug: str
    file: Path

    @property
    def workspace(self) -> Workspace:
        """Where its journal, store and outputs live."""
        return workspace_for(self.file)


@dataclass
class Activity:
    """What the studio's own thread is doing for a project, and how its last one ended."""

    running: str = ""
    started: float | None = None
    last: str = ""
    failed: bool = False
    notes: list[str] = field(default_factory=list)
    version: int = 0


class Studio:
    """The projects being served and the runs started for them from the pages."""

    def __init__(self, files: Sequence[Path | str]) -> None:
        projects: dict[str, Served] = {}
        for given in files:
            file = api.find_project_file(given)
            name = load_project(file, check_files=False).name
            if name in projects:
                raise ShotrelayError(
                    f"two served projects are both named {name!r} ({projects[name].file} and "
                    f"{file}); set a different name: in one of the files"
                )
            projects[name] = Served(slug=name, file=file)
        if not projects:
            raise ShotrelayError("give at least one project file (or folder) to serve")
        self.projects = projects
        self._activity = {slug: Activity() for slug in projects}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def get(self, slug: str) -> Served | None:
        """A served project by its slug, or None."""
        return self.projects.get(slug)

    def activity(self, slug: str) -> Activity:
        """A copy of what the studio is doing for a project."""
        with self._lock:
            now = self._activity[slug]
            return Activity(
                now.running, now.started, now.last, now.failed, list(now.notes), now.version
            )

    def busy(self, slug: str) -> bool:
        """Whether a thread of this studio is running something for the project."""
        with self._lock:
            return bool(self._activity[slug].running)

    def start_run(self, slug: str, *, takes: int | None, auto_approve: bool) -> None:
        """Run a project (``shotrelay run``) in the background."""
        file = self.projects[slug].file
        self._start(
            [slug],
            f"run{f' --takes {takes}' if takes else ''}",
            lambda: [
                api.run_project(
                    file, takes=takes, auto_approve=auto_approve, on_event=self._noter(slug)
                )
            ],
        )

    def start_redo(self, slug: str, shot: str, stage: str | None) -> None:
        """Redo a shot's stage and run (``shotrelay redo``) in the background."""
        file = self.projects[slug].file
        self._start(
            [slug],
            f"redo {shot} {stage or 'every stage'}",
            lambda: [api.redo(file, shot, stage, on_event=self._noter(slug))],
        )

    def start_studio(self, *, auto_approve: bool) -> None:
        """Every served project on one studio queue (``shotrelay studio``), in the background."""
        slugs = list(self.projects)
        files = [self.projects[s].file for s in slugs]
        self._start(
            slugs,
            "studio run",
            lambda: api.run_studio(files, auto_approve=auto_approve, on_event_for=self._noter),
        )

    def join(self, timeout: float | None = None) -> None:
        """Wait for the studio's threads (tests and shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    # -- internals -----------------------------------------------------------------------

    def _noter(self, slug: str) -> EventCallback:
        def note(event: EngineEvent) -> None:
            if event.kind not in {"phase", "gate", "note"}:
                with self._lock:
                    self._activity[slug].version += 1
                return
            with self._lock:
                act = self._activity[slug]
                act.notes = [*act.notes, event.message][-8:]
                act.version += 1

        return note

    def _start(
        self,
        slugs: list[str],
        what: str,
        work: Callable[[], Sequence[RunResult | ShotrelayError]],
    ) -> None:
        with self._lock:
            taken = [s for s in slugs if self._activity[s].running]
            if taken:
                raise ShotrelayError(
                    f"{taken[0]}: this studio is already running {self._activity[taken[0]].running}"
                    "; wait for it to finish"
                )
            for s in slugs:
                act = self._activity[s]
                act.running, act.started, act.notes = what, time.time(), []
                act.version += 1
        thread = threading.Thread(
            target=self._work, args=(slugs, work), name=f"shotrelay {what}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _work(
        self, slugs: list[str], work: Callable[[], Sequence[RunResult | ShotrelayError]]
    ) -> None:
        try:
            results: Sequence[RunResult | ShotrelayError | BaseException] = work()
        except Exception as exc:  # a thread's last word: anything unexpected is shown, not lost
            results = [exc] * len(slugs)
        with self._lock:
            for slug, result in zip(slugs, results, strict=False):
                act = self._activity[slug]
                act.running, act.started = "", None
                act.failed = not isinstance(result, RunResult)
                act.last = result.message if isinstance(result, RunResult) else str(result)
                act.version += 1
