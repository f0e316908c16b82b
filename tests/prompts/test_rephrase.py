"""`rephrase` reads rough instructions into shot fields and compiles them per model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.prompts import parse_instruction, rephrase
from shotrelay.spec import CameraMove, Framing, Lens, Stage
from shotrelay.spec.vocabulary import Task

MakeModel = Callable[..., ModelProfile]


@pytest.mark.parametrize(
    ("instruction", "framing", "lens", "camera", "lighting", "subject"),
    [
        (
            "slow push on the laptop, moody blue light, close",
            Framing.CLOSE_UP,
            None,
            CameraMove.PUSH_IN,
            "moody blue light",
            "the laptop",
        ),
        (
            "wide establishing shot of a foggy harbour at dawn, drone orbit",
            Framing.WIDE,
            None,
            CameraMove.ORBIT_RIGHT,
            "dawn light",
            "a foggy harbour",
        ),
        (
            "handheld, medium close on Ana laughing, tungsten light, 85mm",
            Framing.MEDIUM_CLOSE,
            Lens.PORTRAIT,
            CameraMove.HANDHELD,
            "tungsten light",
            "Ana",
        ),
        (
            "Static wide of the empty office; neon glow through the blinds",
            Framing.WIDE,
            None,
            CameraMove.STATIC,
            "neon glow through the blinds",
            "the empty office",
        ),
        (
            "macro on the coffee beans, pull back slowly",
            None,
            Lens.MACRO,
            CameraMove.PULL_OUT,
            "",
            "the coffee beans",
        ),
    ],
)
def test_instruction_parses_into_shot_fields(
    instruction: str,
    framing: Framing | None,
    lens: Lens | None,
    camera: CameraMove | None,
    lighting: str,
    subject: str,
) -> None:
    parsed = parse_instruction(instruction)
    assert parsed.framing == framing
    assert parsed.lens == lens
    assert parsed.camera == camera
    assert parsed.lighting == lighting
    assert parsed.subject == subject


def test_a_name_then_a_verb_splits_into_subject_and_action() -> None:
    parsed = parse_instruction("tracking, Ana walks through the rain, neon glow")
    assert (parsed.subject, parsed.action) == ("Ana", "walks through the rain")
    assert parsed.camera is CameraMove.TRACKING
    assert parse_instruction("The keys on the table").subject == "The keys on the table"


def test_longer_synonyms_win_over_their_prefixes() -> None:
    assert parse_instruction("extreme close on the eye").framing is Framing.EXTREME_CLOSE_UP
    assert parse_instruction("medium close on her").framing is Framing.MEDIUM_CLOSE
    assert parse_instruction("pan left across the room").camera is CameraMove.PAN_LEFT


def test_rephrase_compiles_into_each_models_dialect(make_model: MakeModel) -> None:
    rough = "slow push on the laptop, moody blue light, close"
    runway = rephrase(rough, Stage.GENERATE, make_model("runway"))
    hailuo = rephrase(rough, Stage.GENERATE, make_model("hailuo"))
    kling = rephrase(rough, Stage.GENERATE, make_model("kling"))
    assert runway.text.startswith("The camera slowly pushes in on the laptop.")
    assert hailuo.text.startswith("The laptop [Push in].")
    assert kling.text.startswith("The laptop. Slow push-in. Close-up, 50mm lens. Moody blue light.")
    assert {runway.dialect, hailuo.dialect, kling.dialect} == {"runway", "hailuo", "kling"}
    assert runway.parts["lighting"] == "moody blue light"


def test_rephrase_for_a_keyframe_has_no_camera_move(make_model: MakeModel) -> None:
    still = rephrase("slow push on the laptop, close", Stage.KEYFRAME, make_model("flux"))
    assert "push" not in still.text.lower()
    assert "close-up" in still.text.lower()


def test_a_quoted_line_that_led_into_says_ends_as_spoken() -> None:
    from shotrelay.catalog.loader import load_catalog
    from shotrelay.prompts import rephrase
    from shotrelay.spec.vocabulary import Stage

    tts = next(m for m in load_catalog(use_env=False).models if m.id == "local-tts")
    said = rephrase('"We ship on Friday," she says warmly', Stage.TTS, tts)
    assert said.text == "We ship on Friday." and said.parts["voice"] == "warmly"
    asked = rephrase('"Are we live?" he asks, nervous', Stage.TTS, tts)
    assert asked.text == "Are we live?" and asked.parts["voice"] == "nervous"


def test_a_camera_target_never_leads_a_verbless_sentence() -> None:
    """ "slow push on the laptop ... the founder smiles": the laptop leads only where the
    dialect opens with the camera moving onto it; elsewhere the founder smiles first."""
    from shotrelay.catalog.loader import load_catalog
    from shotrelay.prompts import rephrase
    from shotrelay.prompts.dialect import dialect
    from shotrelay.spec.vocabulary import Stage

    note = "slow push on the laptop, moody blue light, the founder smiles"
    seen: set[str] = set()
    for model in load_catalog(use_env=False).models:
        if not model.does(Task.IMAGE_TO_VIDEO) or model.dialect in seen:
            continue
        seen.add(model.dialect)
        text = rephrase(note, Stage.GENERATE, model).text
        assert "laptop" in text and "founder smiles" in text, (model.dialect, text)
        if dialect(model.dialect).joiner("camera", "subject"):
            continue
        assert not text.lower().startswith("the laptop as"), (model.dialect, text)
        assert "The founder smiles" in text, (model.dialect, text)
    assert len(seen) >= 5
