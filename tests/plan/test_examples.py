"""The example projects load, keep their promises, and compile for every catalog model."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.continuity import ContinuityLedger
from shotrelay.prompts import compile_prompt
from shotrelay.spec import Role, Stage, Transition, load_project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = ["startup-ad.yaml", "moody-reveal.yaml", "two-hander.yaml"]


@pytest.mark.parametrize("name", FILES)
def test_example_loads_and_durations_sum_to_the_target(name: str) -> None:
    project = load_project(EXAMPLES / name)
    assert project.shots
    assert project.target_length is not None
    assert project.length == pytest.approx(project.target_length, abs=0.1)
    text = (EXAMPLES / name).read_text()
    assert text.count("duration:") == len(project.shots)  # every shot states its duration


def test_startup_ad_keeps_its_brief() -> None:
    p = load_project(EXAMPLES / "startup-ad.yaml")
    roles = [s.role for s in p.shots]
    assert len(p.shots) == 6 and p.length == pytest.approx(20)
    assert {Role.HERO, Role.PRODUCT, Role.DIALOGUE} <= set(roles)
    assert (p.format.aspect, p.format.resolution, p.format.fps) == ("16:9", "1080p", 24)
    assert p.style.palette and 1 <= len(p.characters) <= 2 and p.budget_usd
    assert sum(s.continues_previous for s in p.shots) == 1
    assert any(s.transition is Transition.CROSSFADE for s in p.shots)
    assert len({s.camera for s in p.shots}) >= 4


def test_moody_reveal_is_three_low_key_shots_with_a_push_and_dip() -> None:
    p = load_project(EXAMPLES / "moody-reveal.yaml")
    assert len(p.shots) == 3
    assert any(s.transition is Transition.DIP_TO_BLACK for s in p.shots)
    assert any(s.camera.value == "push-in" for s in p.shots)
    assert "low-key" in p.style.lighting


def test_two_hander_has_two_speakers() -> None:
    p = load_project(EXAMPLES / "two-hander.yaml")
    assert 3 <= len(p.shots) <= 5 and len(p.characters) == 2
    assert {d.speaker for s in p.shots for d in s.dialogue} == {"Rosa", "Ines"}


@pytest.mark.parametrize("name", FILES)
def test_every_shot_compiles_for_every_builtin_model_within_limits(name: str) -> None:
    project = load_project(EXAMPLES / name)
    ledger = ContinuityLedger(project)
    for model in builtin_models():
        stages = [s for s in Stage if any(model.does(t) for t in s.tasks)]
        for shot in project.shots:
            for stage in stages:
                compiled = compile_prompt(stage, shot, project, model, ledger.packet(shot.id))
                assert len(compiled.text) <= model.prompt_limit
                assert compiled.dialect == model.dialect
