"""Priorities: the latest start time of each task on the critical path to its deadline.

A task's *tail* is its own expected duration plus the longest chain of work after it. Its
latest start is ``deadline - tail``; the slack at time t is ``latest start - t``. Granting a
slot to the waiting task with the least slack starts long chains early and lets an early
deadline pass a late one. Shots later in the cut get a staggered, earlier-than-needed
deadline only for the preview: shot i of n is due by ``release + (i + 1) / n`` of the
window when ``preview`` is 1, so the first shots finish first and a preview cut can start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shotrelay.schedule.tasks import Task

__all__ = ["Key", "ProjectTerms", "edf_keys", "slack_keys", "tails"]

#: A sort key: smaller goes first.
Key = tuple[float, float, int, str]


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
    preview: float = 0.5,
    demoted: Sequence[str] = (),
) -> dict[str, Key]:
    """Least-slack-first keys: (demoted, latest start, shot order, id).

    Positive slack is divided by the project's weight and negative slack multiplied by it,
    so a heavier project goes earlier either way.

    ``preview`` (0..1) staggers per-shot due times so early shots lead; ``demoted`` projects
    (predicted to miss whatever happens) go after every project that can still make it.
    """
    tail = tails(tasks)
    out: dict[str, Key] = {}
    for t in tasks:
        p = terms.get(t.project, ProjectTerms())
        if p.deadline is None:
            lst = math.inf
        else:
            window = p.deadline - p.release
            share = (t.order + 1) / max(1, p.shots)
            due = p.deadline - preview * (1.0 - share) * window
            slack = due - tail[t.id] - p.release
            slack = slack / p.weight if slack >= 0 else slack * p.weight
            lst = p.release + slack
        rank = 1.0 if t.project in demoted else 0.0
        out[t.id] = (rank, lst, t.order, t.id)
    return out


def edf_keys(tasks: Sequence[Task], terms: Mapping[str, ProjectTerms]) -> dict[str, Key]:
    """Earliest-deadline-first keys: the project's deadline, then cut order (a baseline)."""
    out: dict[str, Key] = {}
    for t in tasks:
        p = terms.get(t.project, ProjectTerms())
        due = p.deadline if p.deadline is not None else math.inf
        out[t.id] = (0.0, due, t.order, t.id)
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
