"""Priorities: project deadline first, then least slack on the critical path within it.

Across projects the earliest deadline goes first (a heavier weight first on equal
deadlines): ordering single jobs by slack across projects let a long, late project hold back
short, early ones and lost deadlines in the benchmark (docs/scheduling.md). Within a
project, a job's *tail* is its expected duration plus the longest chain of work after it;
its latest start is ``due - tail`` and the least slack goes first, so long chains start
early. For the preview cut, shot i of n is due ``preview * (1 - (i + 1) / n)`` of the window
before the deadline, so the first shots lead. Projects the forecast gives up on (*demoted*)
go after all others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shotrelay.schedule.tasks import Task

__all__ = ["Key", "ProjectTerms", "edf_keys", "slack_keys", "tails"]

#: A sort key, smaller first: (demoted, deadline, -weight, latest start, cut order, id).
Key = tuple[float, float, float, float, int, str]


@dataclass(frozen=True)
class ProjectTerms:
    """What a project asks of the studio: a deadline (seconds on the clock) and a weight."""

    deadline: float | None = None
    release: float = 0.0
    weight: float = 1.0
    shots: int = 1


def tails(tasks: Sequence[Task]) -> dict[str, float]:
    """Each task's duration plus the longest chain of work depending on it."""
    succ: dict[str, list[str]] = {t.id: [] for t in tasks}
    for t in tasks:
        for d in t.deps:
            if d in succ:
                succ[d].append(t.id)
    by_id = {t.id: t for t in tasks}
    out: dict[str, float] = {}
    for t in reversed(_topological(tasks)):
        out[t.id] = t.seconds + max((out[s] for s in succ[t.id]), default=0.0)
    assert len(out) == len(by_id)
    return out


def slack_keys(
    tasks: Sequence[Task],
    terms: Mapping[str, ProjectTerms],
    *,
    preview: float = 0.25,
    demoted: Sequence[str] = (),
) -> dict[str, Key]:
    """Our keys: demoted last, then project deadline, weight, latest start, cut order.

    ``preview`` (0..1) staggers per-shot due times so early shots lead; ``demoted`` projects
    (predicted to miss whatever happens) go after every project that can still make it.
    """
    tail = tails(tasks)
    out: dict[str, Key] = {}
    for t in tasks:
        p = terms.get(t.project, ProjectTerms())
        rank = 1.0 if t.project in demoted else 0.0
        if p.deadline is None:
            out[t.id] = (rank, math.inf, -p.weight, math.inf, t.order, t.id)
            continue
        window = p.deadline - p.release
        share = (t.order + 1) / max(1, p.shots)
        due = p.deadline - preview * (1.0 - share) * window
        out[t.id] = (rank, p.deadline, -p.weight, due - tail[t.id], t.order, t.id)
    return out


def edf_keys(tasks: Sequence[Task], terms: Mapping[str, ProjectTerms]) -> dict[str, Key]:
    """Earliest-deadline-first keys: the project's deadline, then cut order (a baseline)."""
    out: dict[str, Key] = {}
    for t in tasks:
        p = terms.get(t.project, ProjectTerms())
        due = p.deadline if p.deadline is not None else math.inf
        out[t.id] = (0.0, due, 0.0, 0.0, t.order, t.id)
    return out


def _topological(tasks: Sequence[Task]) -> list[Task]:
    by_id = {t.id: t for t in tasks}
    seen: set[str] = set()
    order: list[Task] = []
    for root in tasks:
        stack: list[tuple[Task, bool]] = [(root, False)]
        while stack:
            t, expanded = stack.pop()
            if expanded:
                order.append(t)
                continue
            if t.id in seen:
                continue
            seen.add(t.id)
            stack.append((t, True))
            stack.extend((by_id[d], False) for d in t.deps if d in by_id and d not in seen)
    return order
