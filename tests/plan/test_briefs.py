"""Five briefs of different kinds: the rule planner keeps their setting, people, beats,
length and format, and writes no template text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.plan import clip_support, plan_project, read_brief
from shotrelay.spec import CameraMove, Project, Role, Transition
from shotrelay.spec.vocabulary import Lens


@dataclass(frozen=True)
class Brief:
    name: str
    text: str
    length: float
    aspect: str
    setting: str
    people: list[str]
    beats: list[str]  # words of each beat, which must appear in this order
    genre: str
    extra: dict[str, str] = field(default_factory=dict)


BRIEFS = [
    Brief(
        "horror-teaser",
        "15-second teaser for an indie horror game: a lighthouse keeper hears knocking from "
        "below the floor, finds wet footprints leading to the sea",
        15,
        "16:9",
        "lighthouse",
        ["lighthouse keeper"],
        ["knocking", "footprints"],
        "horror",
    ),
    Brief(
        "vertical-ad",
        "30-second vertical ad for a reusable water bottle: a runner fills it at a mountain "
        "spring, it stays cold all day on the trail, end card with the logo",
        30,
        "9:16",
        "mountain spring",
        ["runner"],
        ["fills", "stays cold", "end card"],
        "ad",
    ),
    Brief(
        "documentary-open",
        "Documentary-style open, a minute long: dawn over a fishing harbour, fishermen mend "
        "their nets, a boat leaves the quay",
        60,
        "16:9",
        "fishing harbour",
        ["fishermen"],
        ["dawn", "nets", "quay"],
        "documentary",
    ),
    Brief(
        "dialogue-scene",
        "Two-person dialogue scene, 20 seconds: in a cramped kitchen at night, Rosa asks Ines "
        'whether she is leaving; Ines looks away and says "Tomorrow."',
        20,
        "16:9",
        "cramped kitchen",
        ["Rosa", "Ines"],
        ["asks", "looks away"],
        "dialogue",
    ),
    Brief(
        "music-video",
        "12 s square music video fragment: a dancer spins under neon lights in an empty car "
        "park, rain falls, she looks straight into the lens",
        12,
        "1:1",
        "car park",
        ["dancer"],
        ["spins", "rain", "lens"],
        "music-video",
    ),
]

PLACEHOLDER = re.compile(
    r"\{|\}|\ba person\b|\bthe story\b|\bthe scene\b|studio space|\bat work on\b"
)


def _planned(brief: Brief) -> Project:
    return plan_project(Project(name=brief.name, brief=brief.text), builtin_models())


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda b: b.name)
def test_brief_length_format_and_genre_are_read(brief: Brief) -> None:
    reading = read_brief(brief.text)
    assert reading.length == brief.length
    assert (reading.aspect or "16:9") == brief.aspect
    assert reading.genre == brief.genre
    planned = _planned(brief)
    assert planned.target_length == brief.length
    assert planned.length == pytest.approx(brief.length, abs=0.1)
    assert planned.format.aspect == brief.aspect
    support = clip_support(builtin_models())
    assert sum(s.duration not in support for s in planned.shots) <= 1


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda b: b.name)
def test_planned_shots_keep_the_briefs_setting_people_and_beats_in_order(brief: Brief) -> None:
    planned = _planned(brief)
    texts = [f"{s.subject} {s.action}" for s in planned.shots]
    whole = " | ".join(texts)
    assert all(brief.setting in s.setting for s in planned.shots)
    for person in brief.people:
        assert person in whole
    positions = [next(i for i, t in enumerate(texts) if beat in t) for beat in brief.beats]
    assert positions == sorted(positions), whole


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda b: b.name)
def test_no_shot_text_is_a_template_placeholder(brief: Brief) -> None:
    for shot in _planned(brief).shots:
        for text in (shot.subject, shot.action, shot.setting, shot.lighting):
            assert text and not PLACEHOLDER.search(text), text
        assert not re.search(r"\b(a|an|the) (a|an|the)\b", f"{shot.subject} {shot.action}")


def test_horror_is_low_key_slow_and_dips_to_black() -> None:
    planned = _planned(BRIEFS[0])
    assert "low-key" in planned.style.lighting and planned.style.mood == "dread"
    assert "desaturated" in planned.style.look
    assert all(s.duration >= 5 for s in planned.shots)  # longer holds
    assert {s.camera for s in planned.shots} <= {
        CameraMove.STATIC,
        CameraMove.PUSH_IN,
        CameraMove.PULL_OUT,
        CameraMove.TILT_DOWN,
    }
    assert planned.shots[-1].transition is Transition.DIP_TO_BLACK


def test_an_ad_has_a_product_hero_and_ends_on_an_end_card() -> None:
    planned = _planned(BRIEFS[1])
    product = [s for s in planned.shots if s.role is Role.PRODUCT]
    assert any("reusable water bottle" in s.subject for s in product)
    assert planned.shots[-1].subject.startswith("an end card")
    # "it" in the brief is the product.
    assert any("fills the reusable water bottle" in s.action for s in planned.shots)


def test_a_dialogue_scene_casts_its_speakers_and_carries_the_quoted_line() -> None:
    planned = _planned(BRIEFS[3])
    assert [c.name for c in planned.characters] == ["Rosa", "Ines"]
    lines = [(d.speaker, d.line) for s in planned.shots for d in s.dialogue]
    assert lines == [("Ines", "Tomorrow.")]
    assert any(s.role is Role.DIALOGUE and "Rosa" in s.characters for s in planned.shots)
    assert all("at night" in s.setting for s in planned.shots)


def test_second_mentions_are_definite_and_pronouns_resolved() -> None:
    horror = _planned(BRIEFS[0])
    assert [s.subject for s in horror.shots if "keeper" in s.subject] == [
        "a lighthouse keeper",
        "the lighthouse keeper",
    ]
    dancer = _planned(BRIEFS[4])
    assert dancer.shots[-1].subject == "the dancer"  # "she looks straight into the lens"


def test_a_long_brief_fills_with_details_and_wide_views_not_repeats() -> None:
    planned = _planned(BRIEFS[2])
    texts = [f"{s.subject} {s.action}" for s in planned.shots]
    assert len(texts) == len(set(texts))
    assert any(s.lens is Lens.MACRO for s in planned.shots)
