"""Fit a studio's plans to their deadlines: predict, trade when late, spend room on heroes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.predict import Forecast, list_schedule
from shotrelay.schedule.priority import ProjectTerms, slack_keys
from shotrelay.schedule.tasks import Task, plan_tasks
from shotrelay.schedule.trades import TRADES, add_take, plan_cost
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Role, Stage

__all__ = ["Entry", "Fitted", "fit", "forecast"]


@dataclass(frozen=True)
class Entry:
    """One project in the studio queue: its spec, routed plan and terms."""

    project: Project
    plan: RoutePlan
    terms: ProjectTerms
    budget_usd: float | None = None


@dataclass
class Fitted:
    """The plans after trades, what was traded per project, and the forecast they give."""

    plans: dict[str, RoutePlan]
    trades: dict[str, list[str]]
    forecast: Forecast
    demoted: list[str] = field(default_factory=list)
    keys: dict[str, tuple[float, float, int, str]] = field(default_factory=dict)

    def late(self, terms: Mapping[str, ProjectTerms]) -> list[str]:
        """Projects predicted to finish after their deadline."""
        return [
            p
            for p, at in self.forecast.projects.items()
            if terms[p].deadline is not None and at > (terms[p].deadline or 0.0)
        ]


def forecast(
    entries: Sequence[Entry],
    plans: Mapping[str, RoutePlan],
    models: Mapping[str, ModelProfile],
    *,
    preview: float = 0.5,
    demoted: Sequence[str] = (),
    inflate: float = 1.0,
    start: float = 0.0,
) -> tuple[Forecast, dict[str, tuple[float, float, int, str]]]:
    """List-schedule every project's tasks together under least-slack-first keys."""
    tasks: list[Task] = []
    for e in entries:
        tasks += plan_tasks(e.project, plans[e.project.name], models)
    terms = {e.project.name: e.terms for e in entries}
    keys = slack_keys(tasks, terms, preview=preview, demoted=demoted)
    capacity = {m.id: m.concurrency for m in models.values()}
    return list_schedule(tasks, capacity, keys, start=start, inflate=inflate), keys


def fit(
    entries: Sequence[Entry],
    models: Mapping[str, ModelProfile],
    *,
    preview: float = 0.5,
    inflate: float = 1.0,
    margin: float = 0.1,
    max_takes: int = 3,
    start: float = 0.0,
) -> Fitted:
    """Trade quality until every project is predicted on time, then spend room on heroes.

    A project is "on time" when predicted to finish ``margin`` of its window before its
    deadline. While some are late, each late project gives up one thing per round, in the
    order of ``TRADES``, on its last-finishing shot first (heroes last). A project that
    stays late with nothing left to trade is demoted behind the others. Then hero shots get
    another take (up to ``max_takes``) while every project stays on time and within budget.
    """
    names = [e.project.name for e in entries]
    by_name = {e.project.name: e for e in entries}
    plans = {e.project.name: e.plan for e in entries}
    trades: dict[str, list[str]] = {n: [] for n in names}
    demoted: list[str] = []

    def run() -> tuple[Forecast, dict[str, tuple[float, float, int, str]]]:
        return forecast(
            entries, plans, models, preview=preview, demoted=demoted, inflate=inflate, start=start
        )

    def due(name: str) -> float | None:
        t = by_name[name].terms
        if t.deadline is None:
            return None
        return t.deadline - margin * (t.deadline - t.release)

    fc, keys = run()
    while True:
        late = [
            n
            for n in names
            if n not in demoted and (d := due(n)) is not None and fc.projects[n] > d
        ]
        if not late:
            break
        moved = False
        for name in late:
            step = _next_trade(by_name[name], plans[name], fc, models)
            if step is None:
                demoted.append(name)
                trades[name].append(
                    "still predicted late with nothing left to trade: scheduled after "
                    "the projects that can make their deadlines"
                )
            else:
                plans[name], words = step
                trades[name].append(words)
            moved = True
        if not moved:
            break
        fc, keys = run()
    ok = {n for n in names if (d := due(n)) is not None and fc.projects[n] <= d}
    for e in entries:
        name = e.project.name
        if name not in ok or trades[name]:
            continue
        for shot in e.project.shots:
            st = plans[name].shot(shot.id).stage(Stage.GENERATE)
            if shot.role != Role.HERO or st is None or int(st.params.get("takes", 1)) >= max_takes:
                continue
            step = add_take(plans[name], shot.id, models, e.project.format)
            if step is None:
                continue
            cap = e.budget_usd
            if cap is not None and plan_cost(step[0]) > cap + 1e-9:
                continue
            before = plans[name]
            plans[name] = step[0]
            trial, trial_keys = run()
            still = {n for n in names if (d := due(n)) is not None and trial.projects[n] <= d}
            if ok <= still:
                fc, keys = trial, trial_keys
                trades[name].append(step[1])
            else:
                plans[name] = before
    return Fitted(plans=plans, trades=trades, forecast=fc, demoted=demoted, keys=keys)


def _next_trade(
    entry: Entry, plan: RoutePlan, fc: Forecast, models: Mapping[str, ModelProfile]
) -> tuple[RoutePlan, str] | None:
    name = entry.project.name
    shots = sorted(
        entry.project.shots,
        key=lambda s: (s.role == Role.HERO, -fc.shots.get((name, s.id), 0.0)),
    )
    for _, trade in TRADES:
        for shot in shots:
            step = trade(plan, shot.id, models, entry.project.format)
            if step is not None:
                return step
    return None
