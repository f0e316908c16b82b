"""Predicted finish: list-schedule tasks against per-model concurrency with mean durations."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shotrelay.schedule.priority import Key, tails
from shotrelay.schedule.tasks import Task

__all__ = ["Forecast", "capacity_bound", "critical_path", "list_schedule"]


@dataclass(frozen=True)
class Forecast:
    """When every task, shot and project is expected to finish (seconds on the clock)."""

    tasks: dict[str, float]
    shots: dict[tuple[str, str], float]
    projects: dict[str, float]

    @property
    def makespan(self) -> float:
        """When the last project finishes."""
        return max(self.projects.values(), default=0.0)

    def first_preview(self, project: str, first_shot: str) -> float:
        """When the first shot of the cut is done."""
        return self.shots.get((project, first_shot), 0.0)


def list_schedule(
    tasks: Sequence[Task],
    capacity: Mapping[str, int],
    keys: Mapping[str, Key],
    *,
    start: float = 0.0,
    inflate: float = 1.0,
) -> Forecast:
    """Simulate a work-conserving priority scheduler with each task's mean duration.

    ``inflate`` stretches every duration (e.g. 1 / (1 - failure rate) for retries).
    """
    by_id = {t.id: t for t in tasks}
    waiting = {t.id: sum(1 for d in t.deps if d in by_id) for t in tasks}
    succ: dict[str, list[str]] = {t.id: [] for t in tasks}
    for t in tasks:
        for d in t.deps:
            if d in by_id:
                succ[d].append(t.id)
    ready: dict[str, list[tuple[Key, str]]] = {}
    busy: dict[str, int] = {}
    running: list[tuple[float, str]] = []
    done: dict[str, float] = {}

    def release(tid: str, now: float) -> None:
        t = by_id[tid]
        if not t.model:
            finish(tid, now)
        else:
            heapq.heappush(ready.setdefault(t.model, []), (keys[tid], tid))

    def finish(tid: str, now: float) -> None:
        done[tid] = now
        for s in succ[tid]:
            waiting[s] -= 1
            if waiting[s] == 0:
                release(s, now)

    for t in tasks:
        if waiting[t.id] == 0:
            release(t.id, start)
    now = start
    while True:
        for model, queue in ready.items():
            cap = capacity.get(model, 1)
            while queue and busy.get(model, 0) < cap:
                _, tid = heapq.heappop(queue)
                busy[model] = busy.get(model, 0) + 1
                heapq.heappush(running, (now + by_id[tid].seconds * inflate, tid))
        if not running:
            break
        now, tid = heapq.heappop(running)
        busy[by_id[tid].model] -= 1
        finish(tid, now)
    shots: dict[tuple[str, str], float] = {}
    projects: dict[str, float] = {}
    for tid, at in done.items():
        t = by_id[tid]
        shots[(t.project, t.shot)] = max(shots.get((t.project, t.shot), start), at)
        projects[t.project] = max(projects.get(t.project, start), at)
    return Forecast(tasks=done, shots=shots, projects=projects)


def critical_path(tasks: Sequence[Task], durations: Mapping[str, float] | None = None) -> float:
    """The longest chain of work (a makespan lower bound with unlimited slots)."""
    if durations is not None:
        tasks = [
            Task(t.id, t.project, t.shot, t.order, t.model, durations.get(t.id, 0.0), t.deps)
            for t in tasks
        ]
    return max(tails(tasks).values(), default=0.0)


def capacity_bound(busy_seconds: Mapping[str, float], capacity: Mapping[str, int]) -> float:
    """The busiest model's work over its slots (a makespan lower bound with no deps)."""
    return max((s / capacity.get(m, 1) for m, s in busy_seconds.items()), default=0.0)
