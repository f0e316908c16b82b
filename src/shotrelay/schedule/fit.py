"""Fit a studio's plans to their deadlines: predict, trade when late, spend room on heroes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.predict import Forecast, list_schedule
from shotrelay.schedule.priority import Key, ProjectTerms, slack_keys
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
    #: Shots never traded (their clips are already made on their route).
    frozen: frozenset[str] = frozenset()


@dataclass
class Fitted:
    """The plans after trades, what was traded per project, and the forecast they give."""

    plans: dict[str, RoutePlan]
    trades: dict[str, list[str]]
    forecast: Forecast
    demoted: list[str] = field(default_factory=list)
    keys: dict[str, Key] = field(default_factory=dict)

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
    preview: float = 0.25,
    demoted: Sequence[str] = (),
    inflate: float = 1.0,
    start: float = 0.0,
) -> tuple[Forecast, dict[str, Key]]:
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
    preview: float = 0.25,
    inflate: float = 1.0,
    margin: float = 0.0,
    max_takes: int = 3,
    start: float = 0.0,
    cost_neutral: bool = False,
) -> Fitted:
    """Trade quality until every project is predicted on time, then spend room on heroes.

    A project is on time when predicted to finish ``margin`` of its window before its
    deadline. The late project with the earliest deadline goes first (it delays the ones
    after it): if even every trade would leave it late it is demoted behind the others,
    untouched; otherwise it gives up one thing at a time, in the order of ``TRADES``, on its
    last-finishing shot first (heroes last), keeping a trade only if it brings the predicted
    finish forward and keeps the plan within its budget (a hard cap: a faster model or an
    added upscale that costs more is skipped), until it fits. Then hero shots of projects that
    traded nothing get another take (up to ``max_takes``) while every on-time project stays
    on time, within its budget and, with ``cost_neutral``, within what the trades saved.
    """
    by_name = {e.project.name: e for e in entries}
    plans = {e.project.name: e.plan for e in entries}
    trades: dict[str, list[str]] = {n: [] for n in by_name}
    demoted: list[str] = []

    def run() -> tuple[Forecast, dict[str, Key]]:
        return forecast(
            entries, plans, models, preview=preview, demoted=demoted, inflate=inflate, start=start
        )

    def late(fc: Forecast) -> list[str]:
        out = [n for n in by_name if n not in demoted and _past(by_name[n], fc, margin)]
        return sorted(out, key=lambda n: by_name[n].terms.deadline or 0.0)

    fc, keys = run()
    checked: set[str] = set()
    useless: dict[str, set[tuple[str, str]]] = {n: set() for n in by_name}
    while todo := late(fc):
        name = todo[0]
        if name not in checked:  # first time late: could it make it at all?
            checked.add(name)
            before = plans[name]
            plans[name] = _all_trades(by_name[name], before, fc, models)
            whole, _ = run()
            plans[name] = before
            if _past(by_name[name], whole, margin):
                demoted.append(name)
                trades[name].append(
                    "predicted late even with every trade: left as routed (in a studio "
                    "queue it goes after the projects that can still make their deadlines)"
                )
                fc, keys = run()
                continue
        step = _next_trade(by_name[name], plans[name], fc, models, useless[name])
        if step is None:
            demoted.append(name)
            trades[name].append("still predicted late with nothing left to trade: demoted")
            fc, keys = run()
            continue
        before, (plans[name], words, tag) = plans[name], step
        if not _affordable(by_name[name], before, plans[name]):
            plans[name] = before  # faster, but over the budget: the budget is a hard cap
            useless[name].add(tag)
            continue
        trial, trial_keys = run()
        if trial.projects[name] < fc.projects[name] - 1e-6:
            fc, keys = trial, trial_keys
            trades[name].append(words)
            useless[name].clear()  # the bottleneck moved: what did not help may now
        else:  # it would not finish sooner (e.g. takes run side by side): keep the quality
            plans[name] = before
            useless[name].add(tag)
    saved = sum(plan_cost(e.plan) - plan_cost(plans[e.project.name]) for e in entries)
    room = saved if cost_neutral else float("inf")
    ok = {
        n
        for n in by_name
        if by_name[n].terms.deadline is not None and not _past(by_name[n], fc, margin)
    }
    for e in entries:
        name = e.project.name
        if name not in ok or trades[name]:
            continue
        for shot in e.project.shots:
            if shot.id in e.frozen:
                continue
            st = plans[name].shot(shot.id).stage(Stage.GENERATE)
            if shot.role != Role.HERO or st is None or st.takes >= max_takes:
                continue
            more = add_take(plans[name], shot.id, models, e.project.format)
            if more is None:
                continue
            extra = plan_cost(more[0]) - plan_cost(plans[name])
            if not _affordable(e, plans[name], more[0]) or extra > room + 1e-9:
                continue
            before = plans[name]
            plans[name] = more[0]
            trial, trial_keys = run()
            if all(not _past(by_name[n], trial, margin) for n in ok):
                fc, keys, room = trial, trial_keys, room - extra
                trades[name].append(more[1])
            else:
                plans[name] = before
    return Fitted(plans=plans, trades=trades, forecast=fc, demoted=demoted, keys=keys)


def _past(entry: Entry, fc: Forecast, margin: float) -> bool:
    t = entry.terms
    if t.deadline is None:
        return False
    return fc.projects.get(entry.project.name, t.release) > t.deadline - margin * (
        t.deadline - t.release
    )


def _affordable(entry: Entry, before: RoutePlan, after: RoutePlan) -> bool:
    """Whether ``after`` stays within the budget (or, over it already, costs no more)."""
    if entry.budget_usd is None:
        return True
    cost = plan_cost(after)
    return cost <= entry.budget_usd + 1e-9 or cost <= plan_cost(before) + 1e-9


def _all_trades(
    entry: Entry, plan: RoutePlan, fc: Forecast, models: Mapping[str, ModelProfile]
) -> RoutePlan:
    skip: set[tuple[str, str]] = set()
    while (step := _next_trade(entry, plan, fc, models, skip)) is not None:
        if _affordable(entry, plan, step[0]):
            plan = step[0]
        else:
            skip.add(step[2])
    return plan


def _next_trade(
    entry: Entry,
    plan: RoutePlan,
    fc: Forecast,
    models: Mapping[str, ModelProfile],
    skip: set[tuple[str, str]],
) -> tuple[RoutePlan, str, tuple[str, str]] | None:
    name = entry.project.name
    shots = sorted(
        (s for s in entry.project.shots if s.id not in entry.frozen),
        key=lambda s: (s.role == Role.HERO, -fc.shots.get((name, s.id), 0.0)),
    )
    for kind, trade in TRADES:
        for shot in shots:
            if (kind, shot.id) in skip:
                continue
            step = trade(plan, shot.id, models, entry.project.format)
            if step is not None:
                return step[0], step[1], (kind, shot.id)
    return None
