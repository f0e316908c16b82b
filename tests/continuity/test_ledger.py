"""The ledger builds each shot's packet: style, cast, carried continuity, references, hand-off."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.continuity import ContinuityLedger, build_packet
from shotrelay.spec import Project


@pytest.fixture
def project() -> Project:
    return Project.model_validate(
        {
            "name": "demo",
            "style": {
                "look": "clean editorial",
                "mood": "hopeful",
                "palette": ["#1b2a4a", "#f2a541"],
                "lighting": "soft window light",
                "film_stock": "Portra 400",
                "avoid": ["watermarks"],
                "references": ["/refs/look.png", "/refs/maya.png"],
            },
            "characters": [
                {
                    "name": "Maya",
                    "description": "a founder",
                    "wardrobe": "mustard cardigan",
                    "voice": "warm alto",
                    "references": ["/refs/maya.png", "/refs/maya-side.png"],
                },
                {"name": "Leo", "wardrobe": "navy overshirt", "references": ["/refs/leo.png"]},
            ],
            "shots": [
                {
                    "id": "a",
                    "duration": 4,
                    "setting": "the loft",
                    "lighting": "golden hour",
                    "characters": ["Maya"],
                    "continuity": ["phone in her left hand"],
                },
                {"id": "b", "duration": 3, "setting": "a street", "characters": ["Leo"]},
                {
                    "id": "c",
                    "duration": 3,
                    "setting": "The  Loft",
                    "characters": ["Leo"],
                    "dialogue": [{"speaker": "Maya", "line": "Hi."}],
                    "references": ["/refs/board.png"],
                    "continuity": ["laptop open"],
                },
                {"id": "d", "duration": 2, "continues_previous": True, "subject": "the laptop"},
            ],
        }
    )


def test_packet_carries_the_style_bible(project: Project) -> None:
    packet = build_packet(project, project.shot("b"))
    assert packet.project == "demo" and packet.shot_id == "b"
    assert (packet.look, packet.mood, packet.film_stock) == (
        "clean editorial",
        "hopeful",
        "Portra 400",
    )
    assert packet.palette == ["#1b2a4a", "#f2a541"]
    assert packet.avoid == ["watermarks"]
    assert packet.lighting == "soft window light"


def test_shot_lighting_overrides_the_style_lighting(project: Project) -> None:
    assert build_packet(project, project.shot("a")).lighting == "golden hour"


def test_packet_lists_characters_and_speakers_with_wardrobe(project: Project) -> None:
    packet = build_packet(project, project.shot("c"))
    assert [c.name for c in packet.characters] == ["Leo", "Maya"]
    maya = packet.character("Maya")
    assert maya is not None and maya.wardrobe == "mustard cardigan" and maya.voice == "warm alto"


def test_reference_images_are_shot_then_characters_then_style_deduplicated(
    project: Project,
) -> None:
    packet = build_packet(project, project.shot("c"))
    assert packet.reference_images == [
        Path("/refs/board.png"),
        Path("/refs/leo.png"),
        Path("/refs/maya.png"),
        Path("/refs/maya-side.png"),
        Path("/refs/look.png"),
    ]


def test_continuity_carries_wardrobe_set_and_props_from_earlier_shots(project: Project) -> None:
    notes = build_packet(project, project.shot("c")).continuity
    assert notes[0] == "laptop open"  # the shot's own notes first
    assert "Leo: same wardrobe as b (navy overshirt)" in notes
    assert "Maya: same wardrobe as a (mustard cardigan)" in notes
    assert "same set and lighting as a: The  Loft; golden hour" in notes
    assert "phone in her left hand (from a)" in notes


def test_first_appearance_carries_nothing(project: Project) -> None:
    assert build_packet(project, project.shot("b")).continuity == []
    assert build_packet(project, project.shot("a")).continuity == ["phone in her left hand"]


def test_handoff_flag_previous_shot_and_inherited_setting(project: Project) -> None:
    packet = build_packet(project, project.shot("d"))
    assert packet.handoff is True
    assert packet.previous_shot_id == "c"
    assert packet.setting == "The  Loft"
    first = build_packet(project, project.shot("a"))
    assert first.handoff is False and first.previous_shot_id is None


def test_ledger_builds_every_packet_once_and_matches_build_packet(project: Project) -> None:
    ledger = ContinuityLedger(project)
    assert [p.shot_id for p in ledger.packets()] == ["a", "b", "c", "d"]
    for shot in project.shots:
        assert ledger.packet(shot.id) == build_packet(project, shot)
    assert ledger.sets == {"the loft": "a", "a street": "b"}
    assert ledger.wardrobe["Leo"] == "navy overshirt"


def test_build_packet_uses_the_given_version_of_a_shot(project: Project) -> None:
    changed = project.shot("b").model_copy(update={"continues_previous": True, "setting": ""})
    packet = build_packet(project, changed)
    assert packet.handoff and packet.setting == "the loft"


def test_packet_is_frozen(project: Project) -> None:
    packet = build_packet(project, project.shot("a"))
    with pytest.raises(ValueError):
        packet.handoff = True  # type: ignore[misc]
