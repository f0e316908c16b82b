"""Ranking: role weights, policy rules, presets and the quality-vs-cost knob decide the pick."""

from __future__ import annotations

import numpy as np
import pytest
from route_models import MakeModel, MakeProject

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import RoutingError
from shotrelay.route import route_project
from shotrelay.route.policy import load_settings
from shotrelay.route.scoring import rank, relative
from shotrelay.spec.vocabulary import AXES, Stage

BEAUTY = {"aesthetics": 0.95, "motion": 0.9, "geometry": 0.5, "continuity": 0.7, "control": 0.4}
PRECISE = {"aesthetics": 0.6, "motion": 0.4, "geometry": 0.95, "continuity": 0.85, "control": 0.95}


@pytest.fixture
def pair(mk: MakeModel, support: list[ModelProfile]) -> list[ModelProfile]:
    return [
        mk("beauty", scores=BEAUTY, usd=0.3),
        mk("precise", scores=PRECISE, usd=0.3),
        *support,
    ]


def generate_of(plan: object, i: int = 0) -> object:
    return plan.shots[i].stage(Stage.GENERATE)  # type: ignore[attr-defined]


def test_relative_maps_cheapest_to_one_and_dearest_to_zero() -> None:
    assert relative(np.array([0.0, 1.0, 4.0])).tolist() == [1.0, 0.75, 0.0]
    assert relative(np.array([2.0, 2.0])).tolist() == [1.0, 1.0]


def test_breakdown_adds_up_to_the_score() -> None:
    scores = np.array([[0.9, 0.5, 0.5, 0.5, 0.5], [0.4, 0.6, 0.6, 0.6, 0.6]])
    r = rank(
        np.array([0, 1]),
        scores,
        np.ones(len(AXES)),
        0.5,
        np.array([1.0, 0.0]),
        np.array([10.0, 10.0]),
    )
    assert np.allclose(r.breakdown.sum(axis=1), r.score)
    assert r.idx.tolist() == [1, 0]  # the free one wins on cost at equal weights


def test_hero_and_product_shots_go_to_different_models_for_stated_reasons(
    pair: list[ModelProfile], project: MakeProject
) -> None:
    p = project([{"duration": 5, "role": "hero"}, {"duration": 5, "role": "product"}])
    plan = route_project(p, pair)
    hero, product = generate_of(plan, 0), generate_of(plan, 1)
    assert hero.model == "beauty" and hero.runner_up == "precise"  # type: ignore[attr-defined]
    assert product.model == "precise"  # type: ignore[attr-defined]
    hero_why = hero.reasons[0]  # type: ignore[attr-defined]
    product_why = product.reasons[0]  # type: ignore[attr-defined]
    assert hero_why.startswith("chosen over precise: better on aesthetics")
    assert "geometry" in product_why or "control" in product_why
    assert "precise is better on" in hero.reasons[1]  # type: ignore[attr-defined]
    assert "costs $1.50 ($0.3/s x 5 s (Beauty)), about 60 s" in hero.reasons  # type: ignore[attr-defined]


def test_knob_at_one_ignores_cost_and_at_zero_takes_the_cheapest(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [
        mk("best", scores={a: 0.9 for a in BEAUTY}, usd=1.0),
        mk("budget", scores={a: 0.5 for a in BEAUTY}, usd=0.05),
        *support,
    ]
    shot = [{"duration": 5, "role": "establishing"}]
    rich = route_project(project(shot, policy={"quality_vs_cost": 1.0}), models)
    poor = route_project(project(shot, policy={"quality_vs_cost": 0.0}), models)
    assert generate_of(rich).model == "best"  # type: ignore[attr-defined]
    assert generate_of(poor).model == "budget"  # type: ignore[attr-defined]


def test_text_only_model_loses_on_continuity_to_one_that_takes_the_keyframe(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    same = {a: 0.8 for a in BEAUTY}
    models = [mk("t2v", tasks=["text_to_video"], scores=same), mk("i2v", scores=same), *support]
    gen = generate_of(route_project(project([{"duration": 5}]), models))
    assert gen.model == "i2v" and gen.params.first_frame == "keyframe"  # type: ignore[attr-defined]
    assert "continuity" in gen.reasons[0]  # type: ignore[attr-defined]


def test_policy_rule_prefer_changes_the_choice_for_matching_shots_only(
    pair: list[ModelProfile], project: MakeProject
) -> None:
    rule = {
        "when": {"role": "product", "camera": "orbit-left"},
        "prefer": {"aesthetics": 1.0, "geometry": 0.0, "control": 0.0, "continuity": 0.0},
    }
    shots = [
        {"duration": 5, "role": "product", "camera": "orbit-left"},
        {"duration": 5, "role": "product"},
    ]
    plan = route_project(project(shots, policy={"rules": [rule]}), pair)
    assert generate_of(plan, 0).model == "beauty"  # type: ignore[attr-defined]
    assert generate_of(plan, 1).model == "precise"  # type: ignore[attr-defined]


def test_preset_changes_choices(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [
        mk("cloud", scores={a: 0.9 for a in BEAUTY}, usd=0.5, latency=120),
        mk(
            "home",
            provider="local",
            local=True,
            rule="free",
            scores={a: 0.5 for a in BEAUTY},
            latency=5,
        ),
        *support,
    ]
    shot = [{"duration": 5, "role": "establishing"}]
    quality = route_project(project(shot), models, preset="quality")
    previs = route_project(project(shot), models, preset="previs")
    assert generate_of(quality).model == "cloud"  # type: ignore[attr-defined]
    assert generate_of(previs).model == "home"  # type: ignore[attr-defined]
    assert quality.policy == "quality" and previs.policy == "previs"


def test_project_policy_preset_is_the_default(
    pair: list[ModelProfile], project: MakeProject
) -> None:
    plan = route_project(project([{"duration": 5}], policy={"preset": "fast"}), pair)
    assert plan.policy == "fast"


def test_unknown_preset_suggests_the_close_name(
    pair: list[ModelProfile], project: MakeProject
) -> None:
    with pytest.raises(RoutingError, match="did you mean 'cheap'"):
        route_project(project([{"duration": 5}]), pair, preset="chep")


def test_presets_file_defines_the_documented_presets() -> None:
    settings = load_settings()
    assert set(settings.presets) == {"balanced", "quality", "cheap", "fast", "previs"}
    assert (
        settings.role_importance[
            max(settings.role_importance, key=settings.role_importance.__getitem__)
        ]
        == 1.0
    )
