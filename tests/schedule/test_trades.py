"""Deadline trades on a routed plan, and fitting plans to deadlines in the stated order."""

from __future__ import annotations

import pytest

from shotrelay.catalog import builtin_models
from shotrelay.catalog.calls import call_seconds
from shotrelay.catalog.profile import ModelProfile
from shotrelay.route import route_project
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.fit import Entry, fit
from shotrelay.schedule.priority import ProjectTerms
from shotrelay.schedule.tasks import plan_tasks
from shotrelay.schedule.trades import add_take, draft, faster_sibling, fewer_takes
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

MODELS = {m.id: m for m in builtin_models()}
USED = [MODELS[i] for i in ("veo-3.1", "veo-3.1-fast", "fal-video-upscaler", "flux-dev")]


def project(takes: int = 2) -> Project:
    return Project.model_validate(
        {
            "name": "t",
            "takes": takes,
            "policy": {"preset": "quality"},
            "shots": [
                {"duration": 4, "role": "hero", "subject": "a"},
                {"duration": 8, "subject": "b"},
            ],
        }
    )


@pytest.fixture(scope="module")
def plan() -> RoutePlan:
    p = route_project(project(), USED)
    assert p.shot("s2").stage(Stage.GENERATE).model == "veo-3.1"  # type: ignore[union-attr]
    return p


def gen(plan: RoutePlan, shot: str) -> ModelProfile:
    st = plan.shot(shot).stage(Stage.GENERATE)
    assert st is not None
    return MODELS[st.model]


def test_fewer_takes_drops_one_take_and_its_cost(plan: RoutePlan) -> None:
    out = fewer_takes(plan, "s2", MODELS, project().format)
    assert out is not None
    new, words = out
    st = new.shot("s2").stage(Stage.GENERATE)
    assert st is not None and st.takes == 1
    assert st.cost.usd == pytest.approx(plan.shot("s2").stage(Stage.GENERATE).cost.usd / 2)  # type: ignore[union-attr]
    assert words == "shot s2: takes 2 -> 1 (fewer takes; saves $3.20 and one veo-3.1 call)"
    assert fewer_takes(new, "s2", MODELS, project().format) is None  # never below one


def test_faster_sibling_swaps_to_the_same_familys_faster_model(plan: RoutePlan) -> None:
    out = faster_sibling(plan, "s2", MODELS, project().format)
    assert out is not None
    new, words = out
    st = new.shot("s2").stage(Stage.GENERATE)
    assert st is not None and st.model == "veo-3.1-fast" and st.fallbacks[0] == "veo-3.1"
    assert "faster model of the same family" in words and "156 s -> 78 s" in words
    assert faster_sibling(new, "s2", MODELS, project().format) is None  # already the fastest


def test_draft_renders_lower_then_adds_an_upscale(plan: RoutePlan) -> None:
    fmt = project().format
    out = draft(plan, "s2", MODELS, fmt)
    assert out is not None
    new, words = out
    st = new.shot("s2").stage(Stage.GENERATE)
    up = new.shot("s2").stage(Stage.UPSCALE)
    assert st is not None and up is not None
    assert st.params.resolution == "720p" and st.params.draft_from == "1080p"
    assert up.params.resolution == "1080p" and up.params.from_resolution == "720p"
    assert call_seconds(MODELS["veo-3.1"], st.params) == pytest.approx(156 * 720 / 1080)
    assert [s.stage for s in new.shot("s2").stages] == [
        Stage.KEYFRAME,
        Stage.GENERATE,
        Stage.UPSCALE,
    ]
    assert words.startswith("shot s2 generate: draft at 720p then upscale to 1080p")


def test_add_take_for_a_hero(plan: RoutePlan) -> None:
    out = add_take(plan, "s1", MODELS, project().format)
    assert out is not None
    assert out[0].shot("s1").stage(Stage.GENERATE).takes == 3  # type: ignore[union-attr]
    assert out[1] == "shot s1 (hero): takes 2 -> 3 (room before the deadline; +$1.60)"


def test_a_take_keeps_the_pricing_rule_it_came_from(plan: RoutePlan) -> None:
    out = add_take(plan, "s1", MODELS, project().format)
    assert out is not None
    before = plan.shot("s1").stage(Stage.GENERATE)
    after = out[0].shot("s1").stage(Stage.GENERATE)
    assert before is not None and after is not None
    # The takes are data: one call's rule ("$0.10/s x 4 s (...)") survives whole.
    assert after.cost.takes == 3 and after.cost.rule == before.cost.rule
    assert after.cost.label == f"{before.cost.rule} x 3 takes"
    assert after.cost.usd == pytest.approx(before.cost.per_take().usd * 3)


def predicted(p: Project, plan: RoutePlan) -> float:
    from shotrelay.schedule.fit import forecast

    fc, _ = forecast([Entry(p, plan, ProjectTerms(deadline=1e9, shots=2))], {"t": plan}, MODELS)
    return fc.projects["t"]


def test_fit_takes_fewer_takes_first_when_takes_share_one_slot(plan: RoutePlan) -> None:
    # veo-3.1 with one slot: keyframes 6 s, then 108 + 108 + 156 + 156 s in a row -> 534 s.
    # One take fewer on s2 (the last to finish, not a hero) -> 378 s: fits 400.
    one_slot = {**MODELS, "veo-3.1": MODELS["veo-3.1"].model_copy(update={"concurrency": 1})}
    entry = Entry(project(), plan, ProjectTerms(deadline=400, shots=2))
    fitted = fit([entry], one_slot)
    assert fitted.trades["t"] == [
        "shot s2: takes 2 -> 1 (fewer takes; saves $3.20 and one veo-3.1 call)"
    ]
    assert fitted.forecast.projects["t"] == pytest.approx(378)


def test_fit_keeps_takes_that_run_side_by_side_and_trades_the_model(plan: RoutePlan) -> None:
    # Ten slots: s2's two takes run together, so dropping one would not finish sooner
    # (162 s either way); the faster sibling does: 6 + 78 = 84 s. Then s1 (6 + 108 = 114 s)
    # is the late one: its faster sibling makes it 60 s. Heroes go last, takes stay.
    p = project()
    assert predicted(p, plan) == pytest.approx(162)
    entry = Entry(p, plan, ProjectTerms(deadline=100, shots=2))
    fitted = fit([entry], MODELS)
    assert fitted.trades["t"] == [
        "shot s2 generate: veo-3.1 -> veo-3.1-fast (faster model of the same family; "
        "about 156 s -> 78 s a take, $6.40 -> $2.40)",
        "shot s1 generate: veo-3.1 -> veo-3.1-fast (faster model of the same family; "
        "about 108 s -> 54 s a take, $3.20 -> $1.20)",
    ]
    assert fitted.plans["t"].shot("s2").stage(Stage.GENERATE).takes == 2  # type: ignore[union-attr]
    assert fitted.forecast.projects["t"] == pytest.approx(84)
    assert fitted.late({"t": entry.terms}) == []


def test_fit_spends_room_on_hero_takes_within_the_budget(plan: RoutePlan) -> None:
    p = project()
    roomy = Entry(p, plan, ProjectTerms(deadline=10_000, shots=2), budget_usd=1_000)
    fitted = fit([roomy], MODELS)
    assert fitted.trades["t"] == ["shot s1 (hero): takes 2 -> 3 (room before the deadline; +$1.60)"]
    tight = Entry(p, plan, ProjectTerms(deadline=10_000, shots=2), budget_usd=plan.total_cost_usd)
    assert fit([tight], MODELS).trades["t"] == []


def test_fit_demotes_a_project_that_cannot_make_it(plan: RoutePlan) -> None:
    p = project()
    fitted = fit([Entry(p, plan, ProjectTerms(deadline=1, shots=2))], MODELS)
    assert fitted.demoted == ["t"]
    assert fitted.trades["t"] == [
        "predicted late even with every trade: left as routed (in a studio queue it goes "
        "after the projects that can still make their deadlines)"
    ]
    assert fitted.plans["t"] == plan


def test_plan_tasks_mirror_the_graph_shape(plan: RoutePlan) -> None:
    tasks = {t.id: t for t in plan_tasks(project(), plan, MODELS)}
    assert tasks["t:s2/generate/t2"].deps == ("t:s2/keyframe",)
    assert tasks["t:s2/generate"].deps == ("t:s2/generate/t1", "t:s2/generate/t2")
    assert tasks["t:s2/generate"].model == "" and tasks["t:s1/keyframe"].hero
