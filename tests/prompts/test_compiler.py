"""Stage templates: keyframe stills, generation, edit and finishing instructions, tts, planning."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.continuity import build_packet
from shotrelay.prompts import compile_plan_prompt, compile_prompt
from shotrelay.prompts.dialect import dialects
from shotrelay.spec import Project, Shot, Stage

MakeModel = Callable[..., ModelProfile]

MOTION_WORDS = ("pushes", "pans", "tilts", "orbit", "tracks", "dolly", "handheld", "[", "types")


@pytest.mark.parametrize("name", ["runway", "veo", "kling", "flux", "gpt-image", "plain"])
def test_keyframe_is_a_still_without_motion_words(
    name: str, project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.KEYFRAME, project.shot("s2"), project, make_model(name))
    text = compiled.text.lower()
    assert not [w for w in MOTION_WORDS if w in text]
    for part in ("shot", "subject", "setting", "lighting", "palette", "style"):
        assert part in compiled.parts
    assert "medium close-up" in text and "85mm" in text
    assert "deep navy and amber" in text


def test_generate_carries_camera_action_wardrobe_and_style(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.GENERATE, project.shot("s2"), project, make_model("veo"))
    text = compiled.text
    for expected in (
        "Medium close-up, 85mm portrait lens",
        "Maya types a note on her laptop",
        "Camera: slow dolly-in",
        "Set in a sunlit loft office",
        "Lighting: soft window light",
        "mustard cardigan",
        "clean editorial, hopeful mood",
    ):
        assert expected in text


def test_dialogue_is_quoted_only_for_models_with_native_audio(
    project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2")
    spoken = compile_prompt(Stage.GENERATE, shot, project, make_model("veo", native_audio=True))
    silent = compile_prompt(Stage.GENERATE, shot, project, make_model("veo"))
    assert 'Maya says: "Never lose a thought." (no subtitles)' in spoken.text
    assert "Never lose" not in silent.text
    assert "Maya speaking" in silent.text


def test_handoff_shot_says_it_continues_the_previous_frame(
    project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2").model_copy(update={"continues_previous": True})
    packet = build_packet(project, shot)
    compiled = compile_prompt(Stage.GENERATE, shot, project, make_model("plain"), packet)
    assert "continues seamlessly from the previous shot's last frame" in compiled.text


def test_edit_prompt_preserves_corrects_and_matches(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.EDIT, project.shot("s2"), project, make_model("runway"))
    assert compiled.text.startswith("Preserve: the identity and look of Maya, framing")
    assert "Correct: remove the reflection in the window." in compiled.text
    assert "Match: palette deep navy and amber; lighting soft window light" in compiled.text
    assert "Maya in mustard cardigan" in compiled.text


@pytest.mark.parametrize(
    ("stage", "correction"),
    [
        (Stage.LIPSYNC, 'mouth shapes to the line Maya: "Never lose a thought."'),
        (Stage.UPSCALE, "fine detail and sharpness at 1920x1080"),
        (Stage.INTERPOLATE, "motion smoothness at 24 fps"),
    ],
)
def test_finishing_prompt_states_preserve_and_correct(
    stage: Stage, correction: str, project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(stage, project.shot("s2"), project, make_model("finishing"))
    assert compiled.text.startswith("Preserve: ")
    assert "identity and look of Maya" in compiled.parts["preserve"]
    assert "timing" in compiled.parts["preserve"]
    assert correction in compiled.parts["correct"]
    assert f"Correct: {compiled.parts['correct']}" in compiled.text
    assert compiled.stage is stage


def test_tts_prompt_is_the_spoken_text_with_the_voice_hint(
    project: Project, make_model: MakeModel
) -> None:
    compiled = compile_prompt(Stage.TTS, project.shot("s2"), project, make_model("plain"))
    assert compiled.text == "Never lose a thought."
    assert compiled.parts["voice"] == "warm alto"
    assert compiled.parts["speaker"] == "Maya"


def test_runway_keyframe_names_references_by_tag(project: Project, make_model: MakeModel) -> None:
    model = make_model("runway", reference_images=3)
    compiled = compile_prompt(Stage.KEYFRAME, project.shot("s2"), project, model)
    assert "@maya" in compiled.text
    assert "Maya" not in compiled.text
    assert compiled.parts["references"] == "@maya=/refs/maya.png"
    untagged = compile_prompt(Stage.KEYFRAME, project.shot("s2"), project, make_model("runway"))
    assert "@maya" not in untagged.text


LONG = Shot(
    id="long",
    duration=5,
    subject="a weathered lighthouse keeper with a salt-stained beard " * 3,
    action="climbs the spiral stairs with a brass lantern, pausing at every window " * 6,
    setting="a storm-lashed lighthouse on a basalt cliff at night " * 3,
    lighting="the sweep of the lamp cutting through rain, deep blue ambient " * 3,
    continuity=["lantern in his right hand", "rain-soaked oilskin coat"] * 5,
)


@pytest.mark.parametrize("name", sorted(dialects()))
@pytest.mark.parametrize("limit", [60, 150, 400])
def test_truncation_never_exceeds_the_limit_or_cuts_a_word(
    name: str, limit: int, project: Project, make_model: MakeModel
) -> None:
    shots = [LONG]
    big = project.model_copy(update={"shots": shots, "characters": []})
    compiled = compile_prompt(Stage.GENERATE, LONG, big, make_model(name, prompt_limit=limit))
    untruncated = compile_prompt(Stage.GENERATE, LONG, big, make_model(name))
    assert len(compiled.text) <= limit
    assert compiled.truncated
    assert len(untruncated.text) > limit

    def words(text: str) -> list[str]:
        return text.lower().replace(",", " ").replace(".", " ").split()

    vocabulary = set(words(untruncated.text))
    for word in words(compiled.text):
        assert word in vocabulary, word


def test_truncation_drops_least_important_parts_first(
    project: Project, make_model: MakeModel
) -> None:
    shot = project.shot("s2").model_copy(update={"continuity": ["mug on the left"] * 1})
    full = compile_prompt(Stage.GENERATE, shot, project, make_model("plain"))
    limit = len(full.text) - 10
    cut = compile_prompt(Stage.GENERATE, shot, project, make_model("plain", prompt_limit=limit))
    assert cut.truncated
    assert cut.parts["dropped"] == "continuity"
    assert "subject" in cut.parts and "camera" in cut.parts
    assert cut.text.endswith(".")


def test_dialect_limit_wins_when_smaller_than_the_model_limit(
    project: Project, make_model: MakeModel
) -> None:
    big = project.model_copy(update={"shots": [LONG], "characters": []})
    compiled = compile_prompt(Stage.GENERATE, LONG, big, make_model("runway", prompt_limit=5000))
    assert len(compiled.text) <= 1000 and compiled.truncated


def test_plan_prompt_gives_brief_length_format_cast_and_shot_schema(project: Project) -> None:
    compiled = compile_plan_prompt(project.model_copy(update={"target_length": 20.0}))
    text = compiled.text
    assert compiled.dialect == "llm" and compiled.stage is None
    assert "Brief: 20-second ad for a note-taking startup" in text
    assert "Target length: 20 seconds" in text
    assert "16:9, 1080p (1920x1080), 24 fps" in text
    assert "Maya: a founder in her thirties" in text
    assert "Avoid: text overlays, watermarks" in text
    schema = json.loads(compiled.parts["schema"].split("JSON Schema: ", 1)[1])
    assert "duration" in schema["items"]["properties"]
    assert "camera" in schema["items"]["properties"]


def test_compile_prompt_is_pure(project: Project, make_model: MakeModel) -> None:
    model = make_model("kling", negative_prompt=True)
    first = compile_prompt(Stage.GENERATE, project.shot("s2"), project, model)
    second = compile_prompt(Stage.GENERATE, project.shot("s2"), project, model)
    assert first == second
