"""One project against its deadline: parse it, fit the plan, and the slots that run it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.jobs import JobNode
from shotrelay.errors import SpecError
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.fit import Entry, fit
from shotrelay.schedule.priority import Key, ProjectTerms, slack_keys
from shotrelay.schedule.slots import PrioritySlots, SlotQueue
from shotrelay.schedule.tasks import graph_tasks
from shotrelay.spec.models import Project

__all__ = ["DeadlineFit", "GraphSlots", "fit_deadline", "parse_deadline"]

_NUM = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"^(?:{_NUM}d)?(?:{_NUM}h)?(?:{_NUM}m)?(?:{_NUM}s)?$")


def parse_deadline(text: str, now: datetime | None = None) -> datetime:
    """An ISO datetime (UTC when it names no zone), or a duration from now: 6h, 90m, 1h30m, 2d."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(text.strip().replace(" ", ""))
    if match and any(match.groups()):
        days, hours, minutes, seconds = (float(g or 0) for g in match.groups())
        try:
            return now + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        except OverflowError:
            raise SpecError(
                f"{text!r} is too far away to be a deadline",
                file="--deadline",
                fix="give a duration under a few years (e.g. 6h, 2d) or an ISO date-time",
            ) from None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise SpecError(
            f"{text!r} is neither a date-time nor a duration",
            file="--deadline",
            fix="give an ISO date-time (2026-11-27T18:00, 2026-11-27T18:00+01:00) "
            "or a duration from now (6h, 90m, 1h30m, 2d, 45s)",
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class DeadlineFit(BaseModel):
    """The plan fitted to a deadline, its predicted finish and what was traded."""

    model_config = ConfigDict(frozen=True)

    plan: RoutePlan
    now: datetime
    deadline: datetime
    predicted_finish: datetime
    first_preview: datetime
    trades: list[str]

    @property
    def met(self) -> bool:
        """Whether the predicted finish is by the deadline."""
        return self.predicted_finish <= self.deadline

    def lines(self) -> list[str]:
        """The fit in words: prediction, first preview, then each trade."""
        return [*self.forecast_lines(), *(f"traded: {t}" for t in self.trades)]

    def forecast_lines(self) -> list[str]:
        """The prediction and first preview in words (and "nothing traded" if so)."""
        slack = (self.deadline - self.predicted_finish).total_seconds()
        verdict = (
            f"{_span(slack)} before the deadline"
            if slack >= 0
            else f"{_span(-slack)} after the deadline"
        )
        out = [
            f"deadline {_at(self.deadline)}: predicted finish {_at(self.predicted_finish)} "
            f"({verdict})",
            f"first preview (shot 1 done) predicted {_at(self.first_preview)}, "
            f"{_span((self.first_preview - self.now).total_seconds())} from now",
        ]
        if not self.trades:
            out.append("nothing traded: the routed plan fits")
        return out

    def summary(self) -> dict[str, object]:
        """The stable object `--json` prints under "deadline"."""
        return {
            "deadline": self.deadline.isoformat(),
            "predicted_finish": self.predicted_finish.isoformat(),
            "first_preview": self.first_preview.isoformat(),
            "met": self.met,
            "trades": list(self.trades),
        }


def fit_deadline(
    project: Project,
    plan: RoutePlan,
    models: Mapping[str, ModelProfile],
    deadline: datetime,
    *,
    now: datetime | None = None,
    budget_usd: float | None = None,
    inflate: float = 1.0,
    frozen: frozenset[str] = frozenset(),
) -> DeadlineFit:
    """Predict the finish against provider concurrency and trade until it fits (see fit).

    The budget is a hard cap on every trade: ``budget_usd``, else the plan's own (what
    ``route --budget`` routed under), else the project's.
    """
    now = now or datetime.now(UTC)
    window = (deadline - now).total_seconds()
    terms = ProjectTerms(deadline=window, shots=len(project.shots))
    # The cap the plan was routed under (`--budget` overrides the file), then the file's.
    budget = next(
        (b for b in (budget_usd, plan.budget_usd, project.budget_usd) if b is not None), None
    )
    # Room before the deadline buys hero takes within the budget; with no budget set, only
    # with what the trades saved (never new spending nobody capped).
    fitted = fit(
        [Entry(project, plan, terms, budget, frozen)],
        models,
        inflate=inflate,
        cost_neutral=budget is None,
    )
    name = project.name
    traded = fitted.plans[name]
    words = fitted.trades[name]
    if words:
        traded = traded.model_copy(update={"trades": [*traded.trades, *words]})
    finish = fitted.forecast.projects.get(name, 0.0)
    first = fitted.forecast.first_preview(name, project.shots[0].id) if project.shots else 0.0
    return DeadlineFit(
        plan=traded,
        now=now,
        deadline=deadline,
        predicted_finish=now + timedelta(seconds=finish),
        first_preview=now + timedelta(seconds=first),
        trades=words,
    )


class GraphSlots(PrioritySlots):
    """PrioritySlots for one project whose graph is known only later (see :meth:`use`).

    Several projects' GraphSlots may share one ``queue`` (a studio): give their terms in
    the same clock (e.g. Unix time) so their keys compare. Jobs of a graph not yet in use
    go after those of graphs in use, first come, first served among themselves.
    """

    def __init__(self, queue: SlotQueue | None = None) -> None:
        self._keys: dict[str, Key] = {}
        super().__init__(queue or SlotQueue(), self._key)

    def use(self, graph: JobGraph, models: Mapping[str, ModelProfile], terms: ProjectTerms) -> None:
        """Prioritise this graph's jobs: its deadline, then least slack within it."""
        tasks = graph_tasks(graph, models, project="")
        self._keys = slack_keys(tasks, {"": terms})

    def _key(self, node: JobNode) -> Key:
        return self._keys.get(f":{node.id}", (0.0, math.inf, 0.0, math.inf, 0, node.id))


def _span(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _at(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M %Z").strip()
