"""A run under a deadline: fit the routed plan to it, then grant slots by least slack.

The scheduling itself lives in ``shotrelay.schedule``; this is the relay's side of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import Journal
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.deadline import DeadlineFit, GraphSlots, fit_deadline
from shotrelay.schedule.priority import ProjectTerms
from shotrelay.schedule.slots import SlotQueue
from shotrelay.spec.models import Project

__all__ = ["DeadlineRun"]


class DeadlineRun:
    """Deadline handling for one run; does nothing without a deadline or a shared queue.

    ``queue`` is a studio's SlotQueue shared with other runs in the same process: their
    jobs then take the providers' slots by deadline, then least slack.
    """

    def __init__(self, when: datetime | None, queue: SlotQueue | None = None) -> None:
        self.when = when if when is None or when.tzinfo else when.replace(tzinfo=UTC)
        wanted = when is not None or queue is not None
        self.slots: GraphSlots | None = GraphSlots(queue) if wanted else None
        self.fitted: DeadlineFit | None = None

    def fit(
        self,
        project: Project,
        plan: RoutePlan,
        models: Mapping[str, ModelProfile],
        journal: Journal,
        on_event: EventCallback | None,
        frozen: set[str] | frozenset[str] = frozenset(),
    ) -> RoutePlan:
        """The plan traded to fit the deadline; each line journalled and reported.

        Shots in ``frozen`` (finished on their route) are never traded.
        """
        if self.when is None:
            return plan
        self.fitted = fit_deadline(project, plan, models, self.when, frozen=frozenset(frozen))
        for line in self.fitted.lines():
            journal.event("deadline", line)
            if on_event is not None:
                on_event(EngineEvent(kind="note", message=line))
        return self.fitted.plan

    def track(
        self, graph: JobGraph, models: Mapping[str, ModelProfile], weight: float = 1.0
    ) -> None:
        """Prioritise ``graph``'s jobs by deadline, then weight, then least slack (Unix time,
        so runs sharing a queue compare)."""
        if self.slots is None:
            return
        terms = ProjectTerms(
            deadline=self.when.timestamp() if self.when is not None else None,
            release=datetime.now(UTC).timestamp(),
            shots=len(graph.shots),
            weight=weight,
        )
        self.slots.use(graph, models, terms)

    def summary(self) -> dict[str, Any] | None:
        """Predicted finish, first preview, trades and their lines, for RunResult."""
        if self.fitted is None:
            return None
        return {**self.fitted.summary(), "lines": self.fitted.lines()}
