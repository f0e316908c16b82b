"""A run under a deadline: fit the routed plan to it, then grant slots by least slack.

The scheduling itself lives in ``shotrelay.schedule``; this is the engine's side of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import Journal
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project

if TYPE_CHECKING:
    from shotrelay.schedule.deadline import DeadlineFit, GraphSlots

__all__ = ["DeadlineRun"]


class DeadlineRun:
    """Deadline handling for one run; does nothing when there is no deadline."""

    def __init__(self, when: datetime | None) -> None:
        from shotrelay.schedule.deadline import GraphSlots

        self.when = when if when is None or when.tzinfo else when.replace(tzinfo=UTC)
        self.slots: GraphSlots | None = GraphSlots() if when is not None else None
        self.fitted: DeadlineFit | None = None

    def fit(
        self,
        project: Project,
        plan: RoutePlan,
        models: Mapping[str, ModelProfile],
        journal: Journal,
        on_event: EventCallback | None,
    ) -> RoutePlan:
        """The plan traded to fit the deadline; each line journalled and reported."""
        if self.when is None:
            return plan
        from shotrelay.schedule.deadline import fit_deadline

        self.fitted = fit_deadline(project, plan, models, self.when)
        for line in self.fitted.lines():
            journal.event("deadline", line)
            if on_event is not None:
                on_event(EngineEvent(kind="note", message=line))
        return self.fitted.plan

    def track(self, graph: JobGraph, models: Mapping[str, ModelProfile]) -> None:
        """Prioritise ``graph``'s jobs by least slack to the deadline from now."""
        if self.slots is None or self.when is None:
            return
        from shotrelay.schedule.priority import ProjectTerms

        left = (self.when - datetime.now(UTC)).total_seconds()
        self.slots.use(graph, models, ProjectTerms(deadline=left, shots=len(graph.shots)))

    def summary(self) -> dict[str, Any] | None:
        """Predicted finish, first preview, trades and their lines, for RunResult."""
        if self.fitted is None:
            return None
        return {**self.fitted.summary(), "lines": self.fitted.lines()}
