"""The studio queue: one set of provider slots shared by several projects, three policies.

``slack`` is ours (project deadline, then least slack on the critical path, early shots
leading; see priority.py);
``edf`` (earliest project deadline first) and ``fifo`` (first come, first served, the
engine's default) are the baselines it is measured against.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.jobs import JobNode
from shotrelay.engine.slots import ModelSlots, Slots
from shotrelay.schedule.priority import Key, ProjectTerms, edf_keys, slack_keys
from shotrelay.schedule.slots import PrioritySlots, SlotQueue
from shotrelay.schedule.tasks import Task, graph_tasks

__all__ = ["POLICIES", "SlotsFactory", "studio_slots"]

#: All projects' graphs -> each project's Slots (one shared queue behind them).
SlotsFactory = Callable[[Mapping[str, JobGraph]], Mapping[str, Slots]]

POLICIES = ("slack", "edf", "fifo")


def studio_slots(
    policy: str,
    terms: Mapping[str, ProjectTerms],
    models: Mapping[str, ModelProfile],
    *,
    preview: float = 0.25,
    demoted: Sequence[str] = (),
) -> SlotsFactory:
    """A factory of per-project Slots sharing one queue, for a named policy."""
    if policy not in POLICIES:
        raise ValueError(f"unknown scheduling policy {policy!r}; use one of {', '.join(POLICIES)}")

    def make(graphs: Mapping[str, JobGraph]) -> Mapping[str, Slots]:
        if policy == "fifo":
            shared = ModelSlots()
            return {name: shared for name in graphs}
        tasks: list[Task] = []
        for name, graph in graphs.items():
            tasks += graph_tasks(graph, models, project=name)
        if policy == "edf":
            keys = edf_keys(tasks, terms)
        else:
            keys = slack_keys(tasks, terms, preview=preview, demoted=demoted)
        queue = SlotQueue()
        return {name: PrioritySlots(queue, _lookup(name, keys)) for name in graphs}

    return make


def _lookup(project: str, keys: Mapping[str, Key]) -> Callable[[JobNode], Key]:
    def key(node: JobNode) -> Key:
        return keys.get(f"{project}:{node.id}", (0.0, math.inf, 0.0, math.inf, 0, node.id))

    return key
