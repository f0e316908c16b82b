"""Every dialect exists as data, orders its parts, honours limits and handles negatives."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.catalog.profile import ModelProfile
from shotrelay.prompts import compile_prompt, dialects
from shotrelay.prompts.dialect import PARTS, NegativeMode, dialect
from shotrelay.spec import CameraMove, Project, Stage

MakeModel = Callable[..., ModelProfile]

NAMES = [
    "runway", "veo", "sora", "kling", "luma", "hailuo", "pixverse", "seedance", "wan", "pika",
    "flux", "gpt-image", "finishing", "llm", "local", "plain",
]  # fmt: skip


def test_every_dialect_name_is_defined() -> None:
    assert sorted(dialects()) == sorted(NAMES)


def test_every_dialect_in_the_builtin_catalog_exists() -> None:
    used = {m.dialect for m in builtin_models()}
    assert used <= set(dialects()), used - set(dialects())


def test_unknown_dialect_falls_back_to_plain() -> None:
    assert dialect("no-such-dialect").name == "plain"


@pytest.mark.parametrize("name", NAMES)
def test_dialect_orders_name_known_parts_and_every_camera_move(name: str) -> None:
    d = dialect(name)
    assert set(d.order) <= set(PARTS)
    assert "subject" not in d.drop_order
    assert set(d.camera) == set(CameraMove)


@pytest.mark.parametrize("name", ["veo", "sora", "kling", "luma", "hailuo", "plain"])
def test_generate_parts_follow_the_dialect_order(
    name: str, project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2")
    compiled = compile_prompt(Stage.GENERATE, shot, project, make_model(name))
    positions = {
        p: compiled.text.lower().find(compiled.parts[p].lower())
        for p in ("subject", "setting", "lighting")
    }
    expected = sorted(positions, key=dialect(name).order.index)
    assert all(p >= 0 for p in positions.values()), positions
    assert sorted(positions, key=lambda p: positions[p]) == expected


def test_runway_leads_with_the_camera_as_one_sentence(
    project: Project, make_model: MakeModel
) -> None:
    text = compile_prompt(Stage.GENERATE, project.shot("s2"), project, make_model("runway")).text
    assert text.startswith("The camera slowly pushes in as Maya types a note on her laptop.")


def test_kling_leads_with_the_action_then_one_camera_move_in_sentences(
    project: Project, make_model: MakeModel
) -> None:
    # Kling's camera-control guide: subject and one motion, one camera move, then lens and light.
    text = compile_prompt(Stage.GENERATE, project.shot("s2"), project, make_model("kling")).text
    assert text.startswith("Maya types a note on her laptop. Slow push-in. Medium close-up, ")


def test_every_provider_dialect_names_a_dated_guide() -> None:
    generic = {"finishing", "llm", "local", "plain", "pika"}
    for name, d in dialects().items():
        if name in generic:
            continue
        assert d.guides, f"{name} cites no prompting guide"
        for guide in d.guides:
            assert guide.url.startswith("https://") and guide.follows
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", guide.date)


def test_flux_leads_a_keyframe_with_the_subject_and_gpt_image_with_the_scene(
    project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2")
    flux = compile_prompt(Stage.KEYFRAME, shot, project, make_model("flux")).text
    assert flux.startswith("Maya.") or flux.startswith("Maya ")
    gpt = compile_prompt(Stage.KEYFRAME, shot, project, make_model("gpt-image")).text
    assert gpt.startswith("Set in a sunlit loft office.")


@pytest.mark.parametrize(
    ("move", "command"),
    [
        (CameraMove.PUSH_IN, "[Push in]"),
        (CameraMove.PAN_LEFT, "[Pan left]"),
        (CameraMove.TRACKING, "[Tracking shot]"),
        (CameraMove.STATIC, "[Static shot]"),
    ],
)
def test_hailuo_uses_bracket_camera_commands(
    move: CameraMove, command: str, project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2").model_copy(update={"camera": move})
    text = compile_prompt(Stage.GENERATE, shot, project, make_model("hailuo")).text
    assert f"on her laptop {command}." in text
    assert len(re.findall(r"\[[^\]]+\]", text)) == 1


def test_field_dialect_sends_avoid_as_negative_prompt(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(
        Stage.GENERATE, project.shot("s1"), project, make_model("kling", negative_prompt=True)
    )
    assert compiled.negative == "text overlays, watermarks"
    assert "watermarks" not in compiled.text


def test_inline_dialect_folds_avoid_into_the_text(project: Project, make_model: MakeModel) -> None:
    compiled = compile_prompt(Stage.KEYFRAME, project.shot("s1"), project, make_model("gpt-image"))
    assert dialect("gpt-image").negative is NegativeMode.INLINE
    assert compiled.text.endswith("No text overlays, no watermarks.")
    assert compiled.negative == ""


@pytest.mark.parametrize("name", ["runway", "hailuo", "luma", "sora", "flux", "plain"])
def test_dialects_without_negatives_drop_avoid_and_say_so(
    name: str, project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.GENERATE, project.shot("s1"), project, make_model(name))
    assert compiled.negative == ""
    assert "watermark" not in compiled.text
    assert "watermarks" in compiled.parts["note"]


def test_model_with_negative_input_gets_a_field_whatever_the_dialect(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(
        Stage.GENERATE, project.shot("s1"), project, make_model("plain", negative_prompt=True)
    )
    assert compiled.negative == "text overlays, watermarks"


def test_field_dialect_on_a_model_without_the_input_drops(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.GENERATE, project.shot("s1"), project, make_model("kling"))
    assert compiled.negative == ""
    assert "note" in compiled.parts
