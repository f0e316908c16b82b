"""The rule planner writes a shot list by film grammar, timed to the target and the catalog."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.catalog.profile import Latency, ModelProfile, Pricing
from shotrelay.plan import (
    Planner,
    RulePlanner,
    clip_support,
    fit_durations,
    plan_project,
    read_brief,
)
from shotrelay.spec import Project, Role, Shot


def generator(model_id: str, **kw: Any) -> ModelProfile:
    return ModelProfile(
        id=model_id,
        provider="test",
        name=model_id,
        api_model=model_id,
        tasks=["image_to_video"],
        pricing=Pricing(rule="free"),
        latency=Latency(base_s=1),
        **kw,
    )


MODELS = [
    generator("k", durations=[5, 10]),
    generator("v", durations=[4, 6, 8]),
    generator("h", durations=[6, 10]),
    generator("l", durations=[5, 9]),
    generator("r", min_duration=2, max_duration=10),
]


def test_clip_support_counts_generators_per_length() -> None:
    support = clip_support(MODELS)
    assert support[5.0] == 3 and support[10.0] == 3 and support[3.0] == 1
    keyframer = generator("img", durations=[5]).model_copy(update={"tasks": ["text_to_image"]})
    assert clip_support([keyframer]) == {}


@pytest.mark.parametrize("target", [6, 8, 12.5, 15, 20, 27, 30, 45, 60])
def test_durations_total_the_target_and_can_be_generated(target: float) -> None:
    durations = fit_durations(target, 6, MODELS)
    support = clip_support(MODELS)
    assert sum(durations) == pytest.approx(target, abs=0.1)
    trimmed = [d for d in durations if d not in support]
    assert len(trimmed) <= 1  # at most one shot trimmed from a longer clip
    assert all(d <= max(support) for d in durations)


def test_durations_prefer_the_most_supported_length() -> None:
    assert fit_durations(20, 6, MODELS) == [5.0, 5.0, 5.0, 5.0]
    only_eights = [generator("a", durations=[8]), generator("b", durations=[4, 8])]
    assert fit_durations(16, 6, only_eights) == [8.0, 8.0]


def test_note_taking_brief_plans_establish_to_product() -> None:
    project = Project(name="ad", brief="20-second ad for a note-taking startup", target_length=20)
    shots = RulePlanner().plan(project, MODELS)
    assert sum(s.duration for s in shots) == pytest.approx(20, abs=0.1)
    roles = [s.role for s in shots]
    assert roles[0] is Role.ESTABLISHING
    assert Role.PRODUCT in roles
    product = next(s for s in shots if s.role is Role.PRODUCT)
    assert "note-taking" in product.subject
    assert "end card" in shots[-1].subject  # an ad closes on an end card
    assert all("startup" in s.setting for s in shots)
    cameras = [s.camera for s in shots]
    assert all(a != b for a, b in itertools.pairwise(cameras))  # no move twice running


def test_plan_is_deterministic() -> None:
    project = Project(name="ad", brief="30 s coffee spot in a rainy city", target_length=30)
    assert RulePlanner().plan(project, MODELS) == RulePlanner().plan(project, MODELS)


def test_speech_and_a_character_give_a_dialogue_shot_with_the_quoted_line() -> None:
    project = Project.model_validate(
        {
            "name": "cafe",
            "brief": 'A 15 s coffee spot in a rainy city where Ana says "Slow down."',
            "target_length": 15,
            "characters": [{"name": "Ana"}],
        }
    )
    shots = RulePlanner().plan(project, MODELS)
    talking = [s for s in shots if s.role is Role.DIALOGUE]
    assert len(talking) == 1
    assert talking[0].characters == ["Ana"]
    assert [(d.speaker, d.line) for d in talking[0].dialogue] == [("Ana", "Slow down.")]
    assert shots[0].setting == "a rainy city"


def test_no_product_words_no_product_shot() -> None:
    project = Project(name="x", brief="A quiet morning on a beach", target_length=10)
    shots = RulePlanner().plan(project, MODELS)
    assert Role.PRODUCT not in {s.role for s in shots}
    assert read_brief(project.brief).product is None
    assert all(s.setting == "a beach in the morning" for s in shots)


def test_default_length_is_twenty_seconds() -> None:
    planned = plan_project(Project(name="x", brief="an ad for a running app"), MODELS)
    assert planned.length == pytest.approx(20, abs=0.1)
    assert [s.id for s in planned.shots] == [f"s{i}" for i in range(1, len(planned.shots) + 1)]


def test_builtin_catalog_plans_within_its_clip_lengths() -> None:
    models = builtin_models()
    planned = plan_project(Project(name="x", brief="ad for a note app", target_length=20), models)
    support = clip_support(models)
    assert planned.length == pytest.approx(20, abs=0.1)
    assert all(s.duration in support for s in planned.shots)


def test_user_shots_are_kept_as_they_are() -> None:
    project = Project(
        name="mine",
        brief="20-second ad for a note-taking startup",
        target_length=20,
        shots=[Shot(duration=7.3, subject="my own shot")],
    )
    assert plan_project(project, MODELS) is project


def test_planned_shots_are_labelled_as_the_planners() -> None:
    planned = plan_project(Project(name="x", brief="an ad for a running app"), MODELS)
    assert planned.planned_by == "rules"
    assert plan_project(planned.model_copy(update={"shots": []}), MODELS).planned_by == "rules"


class FixedPlanner:
    name = "fixed"

    def plan(self, project: Project, models: object) -> list[Shot]:
        return [Shot(duration=2, subject="one"), Shot(duration=3, subject="two")]


def test_plan_project_uses_the_given_planner() -> None:
    planner = FixedPlanner()
    assert isinstance(planner, Planner) and isinstance(RulePlanner(), Planner)
    planned = plan_project(Project(name="x"), MODELS, planner)
    assert [s.subject for s in planned.shots] == ["one", "two"]
    assert [s.id for s in planned.shots] == ["s1", "s2"]
    assert planned.planned_by == "fixed"
