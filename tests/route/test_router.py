"""route_project: costs, params, fallbacks, JSON shape, and the built-in catalog end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from route_models import MakeModel, MakeProject, make_project

from shotrelay.catalog import load_catalog
from shotrelay.catalog.profile import ModelProfile
from shotrelay.route import MAX_FALLBACKS, route_project
from shotrelay.spec.vocabulary import Stage

STAGE_KEYS = {
    "takes",
    "stage",
    "task",
    "model",
    "provider",
    "cost_usd",
    "cost_rule",
    "seconds",
    "score",
    "quality",
    "breakdown",
    "fallbacks",
    "runner_up",
    "reasons",
    "params",
}


def test_to_json_has_the_documented_keys(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    plan = route_project(project([{"duration": 4}], budget_usd=10), [mk("a"), mk("b"), *support])
    data = plan.to_json()
    assert set(data) == {
        "project",
        "policy",
        "budget_usd",
        "total_cost_usd",
        "total_seconds",
        "trades",
        "notes",
        "shots",
    }
    shot = data["shots"][0]
    assert set(shot) == {"id", "role", "cost_usd", "seconds", "stages"}
    for st in shot["stages"]:
        assert set(st) == STAGE_KEYS
    gen = shot["stages"][1]
    assert set(gen["breakdown"]) == {
        "aesthetics",
        "motion",
        "geometry",
        "continuity",
        "control",
        "speed",
        "cost",
    }
    assert {"clip_seconds", "width", "height", "fps", "aspect", "resolution"} <= set(gen["params"])


def test_costs_times_and_clip_lengths_come_from_the_profile(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    gen = mk("gen", durations=[4, 8], usd=0.25, latency=30)
    plan = route_project(project([{"duration": 5.5}], takes=2), [gen, *support])
    st = plan.shots[0].stage(Stage.GENERATE)
    assert st is not None
    assert st.params.clip_seconds == gen.clip_length(5.5) == 8
    assert st.cost.usd == pytest.approx(2 * gen.pricing.estimate(seconds=8).usd)
    assert st.cost.takes == 2 and st.cost.label.endswith("x 2 takes")
    assert st.seconds == pytest.approx(2 * gen.latency.estimate(8))
    assert plan.total_cost_usd == pytest.approx(sum(s.cost.usd for s in plan.shots[0].stages))


def test_fallbacks_are_the_next_ranked_candidates_up_to_three(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [mk(f"m{i}", scores={"aesthetics": i / 10}, usd=0.1) for i in range(6)]
    plan = route_project(project([{"duration": 4, "role": "hero"}]), [*models, *support])
    st = plan.shots[0].stage(Stage.GENERATE)
    assert st is not None and st.model == "m5"
    assert st.fallbacks == ["m4", "m3", "m2"] and len(st.fallbacks) == MAX_FALLBACKS
    assert st.runner_up == "m4"


def test_vertical_format_sets_width_and_height(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([{"duration": 4}], format={"aspect": "9:16", "resolution": "720p"})
    st = route_project(p, [mk("gen", resolutions=["720p"]), *support]).shots[0].stages[1]
    assert (st.params.width, st.params.height, st.params.aspect) == (720, 1280, "9:16")


BUILTIN_SHOTS = [
    {"duration": 5, "role": "hero", "camera": "push-in"},
    {"duration": 4, "role": "product", "continues_previous": True},
    {"duration": 3, "role": "dialogue", "dialogue": [{"speaker": "Ana", "line": "It works."}]},
    {"duration": 6, "role": "b-roll", "edit": "remove the street sign"},
]


@pytest.fixture(scope="module")
def builtin() -> list[ModelProfile]:
    return load_catalog(use_env=False).models


def test_builtin_catalog_routes_every_stage_to_a_model_that_does_it(
    builtin: list[ModelProfile],
) -> None:
    by_id = {m.id: m for m in builtin}
    plan = route_project(make_project(BUILTIN_SHOTS), builtin)
    for shot in plan.shots:
        for st in shot.stages:
            assert by_id[st.model].does(st.task) and st.task in st.stage.tasks
    # s2 continues s1: no keyframe of its own, it starts from s1's last frame. (A 720p model
    # may win it and add an upscale stage to reach the 1080p deliverable.)
    s2 = [s.stage for s in plan.shot("s2").stages]
    assert s2[0] is Stage.GENERATE and Stage.KEYFRAME not in s2
    assert plan.shot("s3").stage(Stage.LIPSYNC) is not None


def test_builtin_catalog_with_only_local_providers_uses_the_local_models(
    builtin: list[ModelProfile],
) -> None:
    plan = route_project(make_project(BUILTIN_SHOTS), builtin, available={"local"}.__contains__)
    used = {st.model for shot in plan.shots for st in shot.stages}
    assert used <= {
        "local-previs",
        "local-camera",
        "local-grade",
        "local-tts",
        "local-dub",
        "local-upscale",
        "local-interpolate",
    }
    assert plan.total_cost_usd == 0


def test_builtin_catalog_previs_preset_is_free(builtin: list[ModelProfile]) -> None:
    plan = route_project(make_project(BUILTIN_SHOTS), builtin, preset="previs")
    assert plan.total_cost_usd == 0


def test_builtin_catalog_respects_a_binding_budget(builtin: list[ModelProfile]) -> None:
    p = make_project(BUILTIN_SHOTS, policy={"preset": "quality"})
    best = route_project(p, builtin)
    plan = route_project(p, builtin, budget_usd=best.total_cost_usd / 2)
    assert plan.total_cost_usd <= best.total_cost_usd / 2 + 1e-9 and plan.trades


def test_policy_example_in_docs_routes_against_the_builtin_catalog(
    builtin: list[ModelProfile],
) -> None:
    from pathlib import Path

    from ruamel.yaml import YAML

    text = (Path(__file__).parents[2] / "docs" / "routing.md").read_text()
    policy = YAML(typ="safe").load(text.split("```yaml\n")[1].split("```")[0])["policy"]
    shots = [{"duration": 5, "role": "hero"}, {"duration": 4, "camera": "orbit-left"}]
    plan = route_project(make_project(shots, policy=policy), builtin)
    assert all(st.provider != "openai" for s in plan.shots for st in s.stages)
    assert plan.shots[1].stages[1].model == "luma-ray-2"


DRAFTS = {"local-previs", "local-camera"}


def test_draft_renderers_are_never_primary_when_a_real_model_can_do_the_stage(
    builtin: list[ModelProfile],
) -> None:
    from shotrelay.spec.loader import load_project

    ad = load_project(Path(__file__).parents[2] / "examples" / "startup-ad.yaml")
    plan = route_project(ad, builtin, explain=True)
    for shot in plan.shots:
        for st in shot.stages:
            assert st.model not in DRAFTS, (shot.id, st.stage, st.model)
            if st.stage in (Stage.KEYFRAME, Stage.GENERATE):
                # Kept back as a last resort, with the reason said.
                kept = [e for e in st.excluded if e.constraint == "draft"]
                assert len(kept) == 1 and kept[0].model in DRAFTS
                assert "previs" in kept[0].reason
                # ... and always at the end of the chain, so a shot never ends without a clip.
                assert st.fallbacks[-1] == kept[0].model
    roles = {s.role.value: s for s in plan.shots}
    hero = roles["hero"].stage(Stage.GENERATE)
    product = roles["product"].stage(Stage.GENERATE)
    assert hero is not None and product is not None
    assert hero.model != product.model and hero.reasons and product.reasons


def test_previs_preset_and_missing_keys_make_the_drafts_primary(
    builtin: list[ModelProfile],
) -> None:
    previs = route_project(make_project(BUILTIN_SHOTS), builtin, preset="previs")
    local = route_project(make_project(BUILTIN_SHOTS), builtin, available={"local"}.__contains__)
    for plan in (previs, local):
        gen = plan.shot("s1").stage(Stage.GENERATE)
        assert gen is not None and gen.model == "local-camera"


def test_native_voice_has_the_video_model_speak_without_tts_or_lip_sync(
    builtin: list[ModelProfile],
) -> None:
    from shotrelay.errors import RoutingError

    line = {"speaker": "Ana", "line": "We made it."}
    shots = [{"duration": 6, "role": "dialogue", "dialogue": [line], "voice": "native"}]
    plan = route_project(make_project(shots), builtin)
    stages = [st.stage for st in plan.shots[0].stages]
    assert Stage.TTS not in stages and Stage.LIPSYNC not in stages
    gen = plan.shots[0].stage(Stage.GENERATE)
    by_id = {m.id: m for m in builtin}
    assert gen is not None and by_id[gen.model].inputs.native_audio
    dubbed = route_project(make_project([{**shots[0], "voice": "dub"}]), builtin)
    assert Stage.LIPSYNC in [st.stage for st in dubbed.shots[0].stages]
    with pytest.raises(RoutingError, match="native_audio"):
        route_project(make_project(shots), builtin, available={"local"}.__contains__)
