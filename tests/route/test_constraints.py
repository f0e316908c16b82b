"""Hard constraints: each excludes a model with the right constraint name and reason."""

from __future__ import annotations

from typing import Any

import pytest
from route_models import MakeModel, MakeProject, make_model

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import RoutingError
from shotrelay.route import Exclusion, route_project
from shotrelay.spec.vocabulary import Stage

SHOT: dict[str, Any] = {"duration": 7}


def exclusion_of(plan: Any, model: str, stage: Stage = Stage.GENERATE) -> Exclusion:
    st = plan.shots[-1].stage(stage)
    return next(e for e in st.excluded if e.model == model)


CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    # (name, bad model overrides, project overrides, constraint, words in the reason)
    ("task", {"tasks": ["upscale"]}, {}, "task", "does not do image_to_video"),
    ("duration", {"durations": [4, 6]}, {}, "duration", "longest clip 6 s, shot is 7 s"),
    ("range", {"durations": [], "min_duration": 2, "max_duration": 6}, {}, "duration", "6 s"),
    ("aspect", {"aspect_ratios": ["9:16"]}, {}, "aspect", "not 16:9"),
    ("retired", {"status": "retired"}, {}, "status", "retired"),
    (
        "deny",
        {"provider": "shady"},
        {"policy": {"deny_providers": ["shady"]}},
        "provider",
        "deny_providers",
    ),
    (
        "allow",
        {"provider": "other"},
        {"policy": {"allow_providers": ["acme", "local"]}},
        "provider",
        "allow_providers",
    ),
    (
        "avoid_providers",
        {"provider": "pricey"},
        {"policy": {"rules": [{"when": {"role": "b-roll"}, "avoid_providers": ["pricey"]}]}},
        "rule",
        "avoids provider pricey",
    ),
    (
        "avoid_models",
        {},
        {"policy": {"rules": [{"when": {"stage": "generate"}, "avoid_models": ["bad"]}]}},
        "rule",
        "avoids this model",
    ),
    (
        "require_models",
        {},
        {"policy": {"rules": [{"when": {}, "require_models": ["good"]}]}},
        "rule",
        "requires good",
    ),
    (
        "references",
        {"inputs": {"reference_images": 1}},
        {"shots": [{"duration": 7, "references": ["a.png", "b.png"]}]},
        "references",
        "takes 1 reference image(s), the shot has 2",
    ),
    ("pin", {}, {"shots": [{"duration": 7, "models": {"generate": "good"}}]}, "pin", "pins good"),
]


@pytest.mark.parametrize(
    ("bad", "proj", "constraint", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_constraint_excludes_with_its_reason(
    project: MakeProject,
    support: list[ModelProfile],
    bad: dict[str, Any],
    proj: dict[str, Any],
    constraint: str,
    words: str,
) -> None:
    models = [make_model("good", inputs={"reference_images": 3}), make_model("bad", **bad)]
    p = project(proj.pop("shots", [SHOT]), **proj)
    plan = route_project(p, [*models, *support], explain=True)
    gen = plan.shots[0].stage(Stage.GENERATE)
    assert gen is not None and gen.model == "good"
    found = exclusion_of(plan, "bad")
    assert found.constraint == constraint
    assert words in found.reason


def test_unavailable_provider_is_excluded(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [mk("cloud", provider="cloudco", scores={"aesthetics": 1}), mk("home"), *support]
    asked: list[str] = []

    def available(provider: str) -> bool:
        asked.append(provider)
        return provider != "cloudco"

    plan = route_project(project([SHOT]), models, available=available, explain=True)
    assert plan.shots[0].stages[1].model == "home"
    assert exclusion_of(plan, "cloud").constraint == "available"
    assert sorted(asked) == sorted(set(asked))  # asked once per provider


def test_lipsync_needs_audio_and_video_inputs(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    mute = mk("mute", tasks=["lipsync"], durations=(), inputs={"audio": False})
    p = project([{"duration": 3, "dialogue": [{"speaker": "Ana", "line": "Go."}]}])
    plan = route_project(p, [mk("gen"), mute, *support], explain=True)
    assert exclusion_of(plan, "mute", Stage.LIPSYNC).constraint == "inputs"


def test_low_res_model_is_excluded_only_without_an_upscaler(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    sd = mk("sd", resolutions=["720p"], scores={"aesthetics": 1.0})
    no_up = [m for m in support if m.id != "up"]
    plan = route_project(project([SHOT]), [mk("hd"), sd, *no_up], explain=True)
    assert plan.shots[0].stages[1].model == "hd"
    found = exclusion_of(plan, "sd")
    assert found.constraint == "resolution" and "no upscaler" in found.reason
    plan = route_project(project([SHOT]), [mk("hd"), sd, *support])
    assert plan.shots[0].stages[1].model in {"hd", "sd"}


def test_low_fps_model_is_excluded_without_an_interpolator(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    no_interp = [m for m in support if m.id != "interp"]
    p = project([SHOT], format={"fps": 30})
    plan = route_project(p, [mk("smooth"), mk("choppy", fps=24), *no_interp], explain=True)
    assert exclusion_of(plan, "choppy").constraint == "fps"


def test_deprecated_model_is_only_a_last_fallback(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    old = mk("old", status="deprecated", scores={"aesthetics": 1, "motion": 1}, usd=0.0)
    plan = route_project(project([SHOT]), [old, mk("new"), mk("newer"), *support])
    gen = plan.shots[0].stages[1]
    assert gen.model != "old"
    assert gen.fallbacks[-1] == "old"


def test_only_deprecated_models_left_is_an_error(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    with pytest.raises(RoutingError, match=r"status: old \(deprecated"):
        route_project(project([SHOT]), [mk("old", status="deprecated"), *support])


def test_pinned_deprecated_model_is_honoured(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([{"duration": 5, "models": {"generate": "old"}}])
    plan = route_project(p, [mk("old", status="deprecated"), mk("new"), *support])
    gen = plan.shots[0].stages[1]
    assert gen.model == "old" and any("pinned" in r for r in gen.reasons)


def test_pin_to_unknown_model_names_shot_stage_and_close_id(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([{"id": "intro", "duration": 5, "models": {"generate": "veo-31"}}])
    with pytest.raises(RoutingError) as info:
        route_project(p, [mk("veo-3.1"), mk("kling"), *support])
    text = str(info.value)
    assert "shot intro" in text and "stage generate" in text
    assert "'veo-31'" in text and "did you mean 'veo-3.1'" in text


def test_no_model_error_groups_exclusions_by_constraint(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    models = [
        mk("short-a", durations=[4]),
        mk("short-b", durations=[5]),
        mk("tall", aspect_ratios=["9:16"]),
        *support,
    ]
    with pytest.raises(RoutingError) as info:
        route_project(project([{"id": "long", "duration": 12}]), models)
    lines = str(info.value).splitlines()
    assert lines[0] == "shot long, stage generate: no model can do it."
    duration = next(line for line in lines if line.strip().startswith("duration:"))
    assert "short-a (longest clip 4 s, shot is 12 s)" in duration and "short-b" in duration
    assert any(line.strip().startswith("aspect: tall") for line in lines)
    assert any("task: 5 model(s) do not do" in line for line in lines)


def test_unknown_rule_key_is_an_error(
    mk: MakeModel, project: MakeProject, support: list[ModelProfile]
) -> None:
    p = project([SHOT], policy={"rules": [{"when": {"mood": "dark"}, "prefer": {"motion": 1}}]})
    with pytest.raises(RoutingError, match="tests 'mood'"):
        route_project(p, [mk("gen"), *support])
