"""The planning conversation's opening and repair messages."""

from __future__ import annotations

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm.prompt import build_prompt, repair_message
from shotrelay.spec.models import Project

from .helpers import project


def test_user_message_carries_brief_length_cast_and_clip_lengths(
    models: list[ModelProfile],
) -> None:
    prompt = build_prompt(project(target=30.0), models)
    assert "note-taking startup" in prompt.user
    assert "exactly 30 seconds" in prompt.user and prompt.target == 30.0
    assert "Maya: a product designer" in prompt.user
    assert "Video models make clips of these lengths best" in prompt.user
    assert "JSON Schema" not in prompt.user  # the schema travels as structured output
    assert '{"shots": [...]}' in prompt.system


def test_default_length_when_the_project_sets_none() -> None:
    prompt = build_prompt(Project(name="x", brief="a coffee spot"), [])
    assert prompt.target == 20.0 and "Video models" not in prompt.user


def test_repair_message_lists_each_problem() -> None:
    text = repair_message(["shots[0].lens: bad", "shots[2].role: bad"])
    assert "- shots[0].lens: bad\n- shots[2].role: bad" in text
