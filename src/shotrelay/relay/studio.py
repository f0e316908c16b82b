"""Several projects run at once, sharing the providers: a studio queue.

Every project's jobs wait in one queue per model; a free slot goes to the project with the
earliest deadline (then the higher ``priority``, then the job with the least slack), so a
rush job is not stuck behind a long one that has days left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from shotrelay.engine.events import EventCallback
from shotrelay.engine.lock import ProjectLock
from shotrelay.engine.workspace import workspace_for
from shotrelay.errors import ShotrelayError
from shotrelay.relay.result import RunResult
from shotrelay.relay.run import run_async
from shotrelay.spec.loader import load_project

__all__ = ["run_studio_projects"]


def run_studio_projects(
    paths: Sequence[Path],
    *,
    on_event_for: Callable[[str], EventCallback | None] = lambda _name: None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    **run_kwargs: Any,
) -> list[RunResult | ShotrelayError]:
    """Run the projects together on one studio queue; a result or the error, per project.

    Every file is read first, so a bad one stops everything before any work starts; then
    every project's lock is taken (in path order), so a project another process is running
    stops the studio at once (or, with ``wait``, it waits for it).
    """
    from shotrelay.schedule.slots import SlotQueue

    names = [load_project(p).name for p in paths]
    if len(set(names)) != len(names):
        raise ShotrelayError(
            "two of the projects have the same name; a studio needs one name per project "
            "(set name: in each file)"
        )
    locks = _lock_all(paths, names, run_kwargs.get("workdir"), wait, on_wait)
    queue = SlotQueue()

    async def one(path: Path, name: str) -> RunResult | ShotrelayError:
        try:
            return await run_async(path, on_event=on_event_for(name), studio=queue, **run_kwargs)
        except ShotrelayError as exc:
            return exc

    async def every() -> list[RunResult | ShotrelayError]:
        return list(await asyncio.gather(*(one(p, n) for p, n in zip(paths, names, strict=True))))

    try:
        return asyncio.run(every())
    finally:
        for lock in reversed(locks):
            lock.release()


def _lock_all(
    paths: Sequence[Path],
    names: Sequence[str],
    workdir: Path | str | None,
    wait: bool,
    on_wait: Callable[[str], None] | None,
) -> list[ProjectLock]:
    wanted = sorted(
        (
            ProjectLock(workspace_for(p, workdir).root, n, "shotrelay studio")
            for p, n in zip(paths, names, strict=True)
        ),
        key=lambda lock: str(lock.path.absolute()),
    )
    taken: list[ProjectLock] = []
    try:
        for lock in wanted:
            taken.append(lock.acquire(wait=wait, on_wait=on_wait))
    except BaseException:
        for lock in reversed(taken):
            lock.release()
        raise
    return taken
