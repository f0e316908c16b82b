"""Reading an answer: each problem named by place, so it can go back to the model."""

from __future__ import annotations

import json

import pytest

from shotrelay.plan.llm.validate import BadAnswer, parse_shots

from .helpers import good_plan, project, shot


def test_json_text_and_decoded_objects_both_read() -> None:
    plan = good_plan()
    assert parse_shots(json.dumps(plan), project()) == parse_shots(plan, project())


def test_fenced_json_and_a_bare_list_are_accepted() -> None:
    fenced = "```json\n" + json.dumps(good_plan()) + "\n```"
    assert len(parse_shots(fenced, project())) == 4
    assert len(parse_shots(good_plan()["shots"], project())) == 4


def test_ids_and_orders_are_renumbered() -> None:
    plan = {"shots": [shot(id="hero", order=9), shot()]}
    assert [(s.id, s.order) for s in parse_shots(plan, project())] == [("s1", 1), ("s2", 2)]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("", "empty"),
        ("{'shots': []}", "not valid JSON"),
        ({"shots": []}, "shot list is empty"),
        ({"plan": "x"}, '{"shots": [...]}'),
        ({"shots": ["a shot"]}, "shots[0]: must be an object"),
        ({"shots": [shot(mood="sad")]}, "shots[0].mood: Extra inputs are not permitted"),
        ({"shots": [shot(), shot(duration=0)]}, "shots[1].duration"),
        (
            {"shots": [shot(dialogue=[{"speaker": "Bob", "line": "hi"}])]},
            "shots[0].dialogue[0].speaker: 'Bob' is not in the cast",
        ),
    ],
)
def test_problems_name_their_place(answer: object, expected: str) -> None:
    with pytest.raises(BadAnswer) as caught:
        parse_shots(answer, project())
    assert any(expected in p for p in caught.value.problems), caught.value.problems


def test_narrator_may_speak_without_being_cast() -> None:
    plan = {"shots": [shot(dialogue=[{"speaker": "narrator", "line": "Remember more."}])]}
    assert parse_shots(plan, project())[0].dialogue[0].speaker == "narrator"


def test_many_problems_are_capped() -> None:
    plan = {"shots": [shot(framing="x", lens="y") for _ in range(10)]}
    with pytest.raises(BadAnswer) as caught:
        parse_shots(plan, project())
    assert len(caught.value.problems) == 13
    assert caught.value.problems[-1] == "... and 8 more problems"
