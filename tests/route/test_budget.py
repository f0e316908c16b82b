"""Budget: the optimiser stays within budget, is exactly optimal, and reports its trades."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from route_models import MakeModel, MakeProject

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import BudgetError
from shotrelay.route import Group, Option, RoutePlan, minimum_cost, optimise, route_project
from shotrelay.route.policy import QUALITY_AXES, load_settings
from shotrelay.spec.models import Project
from shotrelay.spec.roles import effective_weights
from shotrelay.spec.vocabulary import Stage


def brute_force(groups: list[Group], budget: float) -> float:
    """Best total value over every assignment within budget, never dearer than preferred."""
    allowed = [
        [o for o in g.options if o.cost <= g.options[g.preferred].cost + 1e-9] for g in groups
    ]
    best = -np.inf
    for combo in itertools.product(*allowed):
        if sum(o.cost for o in combo) <= budget + 1e-9:
            best = max(best, sum(o.value for o in combo))
    return float(best)


def test_optimiser_matches_brute_force_on_random_small_cases() -> None:
    rng = np.random.default_rng(7)
    for _ in range(25):
        groups = []
        for g in range(4):
            n = int(rng.integers(1, 5))
            options = tuple(
                Option((i,), float(rng.uniform(0, 3)), float(rng.uniform(0, 1))) for i in range(n)
            )
            preferred = max(range(n), key=lambda i: options[i].cost)
            groups.append(Group(f"g{g}", options, preferred))
        floor = minimum_cost(groups)
        top = sum(g.options[g.preferred].cost for g in groups)
        budget = float(rng.uniform(floor, top))
        picks = optimise(groups, budget)
        assert sum(g.options[p].cost for g, p in zip(groups, picks, strict=True)) <= budget + 1e-6
        value = sum(g.options[p].value for g, p in zip(groups, picks, strict=True))
        assert value == pytest.approx(brute_force(groups, budget), abs=1e-9)


def test_optimiser_keeps_preferred_choices_when_they_fit() -> None:
    groups = [Group("a", (Option((0,), 1.0, 0.9), Option((1,), 0.1, 0.2)), 0)]
    assert optimise(groups, 5.0) == [0]


def test_budget_below_minimum_raises_with_the_minimum() -> None:
    groups = [
        Group("a", (Option((0,), 1.0, 0.9), Option((1,), 0.25, 0.2)), 0),
        Group("b", (Option((0,), 0.5, 0.9),), 0),
    ]
    with pytest.raises(BudgetError) as info:
        optimise(groups, 0.5)
    assert info.value.minimum_usd == pytest.approx(0.75)
    assert "$0.75" in str(info.value)


@pytest.fixture
def gens(mk: MakeModel, support: list[ModelProfile]) -> list[ModelProfile]:
    flat = dict.fromkeys(QUALITY_AXES, 0.0)
    return [
        mk("top", scores={**flat, "aesthetics": 0.95, "motion": 0.9}, usd=0.5),
        mk("mid", scores={**flat, "aesthetics": 0.75, "motion": 0.7}, usd=0.2),
        mk("low", scores={**flat, "aesthetics": 0.4, "motion": 0.4}, usd=0.04),
        *support,
    ]


SHOTS = [
    {"duration": 5, "role": "hero"},
    {"duration": 5, "role": "b-roll"},
    {"duration": 10, "role": "product"},
]


def plan_value(project: Project, plan: RoutePlan, models: list[ModelProfile]) -> float:
    """The optimiser's objective, recomputed from the spec: importance x seconds x quality."""
    settings = load_settings()
    by_id = {m.id: m for m in models}
    total = 0.0
    for shot, route in zip(project.shots, plan.shots, strict=True):
        w = effective_weights(shot)
        for st in route.stages:
            m = by_id[st.model]
            q = sum(w[a] * m.score(a) for a in QUALITY_AXES) / sum(w[a] for a in QUALITY_AXES)
            total += (
                settings.role_importance[shot.role]
                * shot.duration
                * settings.stage_importance[st.stage]
                * q
            )
    return total


def test_budget_below_best_sum_stays_within_budget_and_is_optimal(
    gens: list[ModelProfile], project: MakeProject
) -> None:
    p = project(SHOTS, policy={"quality_vs_cost": 1.0})
    best = route_project(p, gens)
    assert [s.stages[1].model for s in best.shots] == ["top", "top", "top"]
    budget = best.total_cost_usd * 0.6
    plan = route_project(p, gens, budget_usd=budget)
    assert plan.total_cost_usd <= budget + 1e-9
    assert plan.budget_usd == budget and plan.trades and plan.notes
    # Brute force every generate assignment (keyframes have one option).
    keyframes = sum(s.stages[0].cost.usd for s in plan.shots)
    by_id = {m.id: m for m in gens}
    best_value = -1.0
    for combo in itertools.product(["top", "mid", "low"], repeat=3):
        cost = keyframes + sum(
            by_id[m].pricing.estimate(seconds=by_id[m].clip_length(s["duration"]) or 0).usd
            for m, s in zip(combo, SHOTS, strict=True)
        )
        if cost > budget + 1e-9:
            continue
        trial = plan.model_copy(deep=True)
        for route, m in zip(trial.shots, combo, strict=True):
            object.__setattr__(route.stages[1], "model", m)
        best_value = max(best_value, plan_value(p, trial, gens))
    assert plan_value(p, plan, gens) == pytest.approx(best_value)


def test_trades_name_shot_stage_models_savings_and_quality(
    gens: list[ModelProfile], project: MakeProject
) -> None:
    p = project(SHOTS, policy={"quality_vs_cost": 1.0})
    plan = route_project(p, gens, budget_usd=2.0)
    pattern = re.compile(
        r"^s\d generate: top -> (mid|low) saves \$\d+\.\d\d, quality 0\.\d\d -> 0\.\d\d$"
    )
    assert plan.trades and all(pattern.match(t) for t in plan.trades), plan.trades
    gen = next(s.stages[1] for s in plan.shots if s.stages[1].model != "top")
    assert any(r.startswith("budget: the ranking preferred top") for r in gen.reasons)
    # Under a binding budget, fallbacks are no dearer than the choice they stand in for.
    by_id = {m.id: m for m in gens}
    clip = gen.params.clip_seconds
    assert gen.fallbacks and "top" not in gen.fallbacks
    for f in gen.fallbacks:
        assert by_id[f].pricing.estimate(seconds=clip).usd <= gen.cost.usd


def test_budget_below_cheapest_plan_raises_budget_error_with_minimum(
    gens: list[ModelProfile], project: MakeProject
) -> None:
    p = project(SHOTS)
    # Cheapest: the keyframe (0.02 each) plus "low" at $0.04/s for its clip (5, 5, 10 s).
    minimum = 3 * 0.02 + 0.04 * (5 + 5 + 10)
    with pytest.raises(BudgetError) as info:
        route_project(p, gens, budget_usd=0.5)
    assert info.value.minimum_usd == pytest.approx(minimum)
    assert f"${minimum:.2f}" in str(info.value)


def test_project_budget_is_the_default(gens: list[ModelProfile], project: MakeProject) -> None:
    plan = route_project(project(SHOTS, budget_usd=1.5, policy={"quality_vs_cost": 1.0}), gens)
    assert plan.budget_usd == 1.5 and plan.total_cost_usd <= 1.5


def test_generate_option_pays_for_the_upscale_it_implies(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    flat = dict.fromkeys(QUALITY_AXES, 0.5)
    models = [
        mk("native", scores={**flat, "aesthetics": 0.9}, usd=0.3),
        mk("sd", resolutions=["720p"], scores=flat, usd=0.05),
        *support,
    ]
    p = project([{"duration": 5, "role": "hero"}], policy={"quality_vs_cost": 1.0})
    assert route_project(p, models).shots[0].stages[1].model == "native"
    plan = route_project(p, models, budget_usd=0.5)
    shot = plan.shots[0]
    assert [s.stage for s in shot.stages] == [Stage.KEYFRAME, Stage.GENERATE, Stage.UPSCALE]
    assert plan.trades == [
        "s1 generate: native -> sd saves $1.20, quality 0.64 -> 0.50 (adds upscale by up)"
    ]
    assert plan.total_cost_usd == pytest.approx(0.02 + 0.25 + 0.05)


def test_optimiser_is_exact_with_many_identical_groups() -> None:
    rng = np.random.default_rng(11)
    for _ in range(10):
        kinds = []
        for _k in range(2):
            options = tuple(
                Option((i,), float(rng.uniform(0, 2)), float(rng.uniform(0, 1))) for i in range(3)
            )
            kinds.append((options, max(range(3), key=lambda i: options[i].cost)))
        groups = [Group(f"g{i}", *kinds[i % 2]) for i in range(7)]
        top = sum(g.options[g.preferred].cost for g in groups)
        budget = float(rng.uniform(minimum_cost(groups), top))
        picks = optimise(groups, budget)
        assert sum(g.options[p].cost for g, p in zip(groups, picks, strict=True)) <= budget + 1e-6
        value = sum(g.options[p].value for g, p in zip(groups, picks, strict=True))
        assert value == pytest.approx(brute_force(groups, budget), abs=1e-9)


def test_budget_that_fits_changes_nothing(gens: list[ModelProfile], project: MakeProject) -> None:
    p = project(SHOTS)
    free = route_project(p, gens)
    plan = route_project(p, gens, budget_usd=free.total_cost_usd + 1)
    assert plan.trades == [] and plan.notes == []
    assert [st.model for s in plan.shots for st in s.stages] == [
        st.model for s in free.shots for st in s.stages
    ]


def test_trading_an_edit_stage_to_a_low_resolution_model_is_described(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    # An edit model below the project's resolution is still a plain option: only generate
    # options bundle an upscale, so the trade line must not look for one.
    models = [
        *support,
        mk("gen", usd=0.1),
        mk("ed-top", tasks=["video_to_video"], usd=1.0, scores={"aesthetics": 0.9}),
        mk(
            "ed-low",
            tasks=["video_to_video"],
            usd=0.1,
            resolutions=["720p"],
            scores={"aesthetics": 0.5},
        ),
    ]
    p = project(
        [{"duration": 5, "edit": "remove the street sign"}], policy={"quality_vs_cost": 1.0}
    )
    best = route_project(p, models)
    edit = best.shots[0].stage(Stage.EDIT)
    assert edit is not None and edit.model == "ed-top"
    plan = route_project(p, models, budget_usd=best.total_cost_usd - 1.0)
    assert plan.shots[0].stage(Stage.EDIT).model == "ed-low"  # type: ignore[union-attr]
    assert plan.trades == [plan.trades[0]] and plan.trades[0].startswith(
        "s1 edit: ed-top -> ed-low"
    )
