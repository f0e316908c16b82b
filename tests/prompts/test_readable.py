"""The table test: every example shot x every dialect x every stage, and twenty rough
instructions through `rephrase`, read as a person would read them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shotrelay.catalog.loader import builtin_models
from shotrelay.catalog.profile import Inputs, Latency, ModelProfile, Pricing
from shotrelay.plan import plan_project
from shotrelay.prompts import compile_prompt, dialects, rephrase
from shotrelay.prompts.english import english, is_verb
from shotrelay.spec import Project, Stage, load_project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BRIEFS = [
    "15-second teaser for an indie horror game: a lighthouse keeper hears knocking from below "
    "the floor, finds wet footprints leading to the sea",
    "30-second vertical ad for a reusable water bottle: a runner fills it at a mountain spring, "
    "it stays cold all day on the trail, end card with the logo",
    "Two-person dialogue scene, 20 seconds: in a cramped kitchen at night, Rosa asks Ines "
    'whether she is leaving; Ines looks away and says "Tomorrow."',
]


def _model(name: str) -> ModelProfile:
    return ModelProfile(
        id=f"test-{name}",
        provider="test",
        name=f"Test {name}",
        api_model=name,
        tasks=["text_to_image", "image_to_video", "video_to_video", "lipsync", "upscale", "tts"],
        pricing=Pricing(rule="free"),
        latency=Latency(base_s=1),
        dialect=name,
        prompt_limit=100_000,
        inputs=Inputs(negative_prompt=True, native_audio=True, reference_images=3),
    )


def _projects() -> list[Project]:
    found = [load_project(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    planned = [
        plan_project(Project(name=f"b{i}", brief=b), builtin_models()) for i, b in enumerate(BRIEFS)
    ]
    return found + planned


_DOUBLED = re.compile(
    r"\b(?:a|an|the) [\w'-]+ (?:a|an|the) [\w'-]+ \w+s\b|\b(a|an|the) (a|an|the)\b", re.I
)
_LOOK_OF = re.compile(r"\bthe look of ([\w'-]+)", re.I)
_SENTENCE_START = re.compile(r"^[A-Z0-9@\[\"“(]")
_SENTENCE_END = re.compile(r"[.!?][\"”)\]]?$")


def _problems(text: str, sentences: bool) -> list[str]:
    out: list[str] = []
    if _DOUBLED.search(text):
        out.append(f"doubled determiner: {_DOUBLED.search(text)!r}")
    for match in _LOOK_OF.finditer(text):
        word = match.group(1)
        if is_verb(word, plural_subject=True) or word.lower() in english().verbs:
            out.append(f"verb after 'the look of': {word}")
    units = re.split(r"(?<=[.!?])\s+(?=[A-Z@\[\"“])", text) if sentences else text.split(", ")
    seen: set[str] = set()
    for unit in units:
        key = unit.strip(" .,").lower()
        if key and key in seen:
            out.append(f"part repeated: {unit!r}")
        seen.add(key)
        if sentences and unit and not (_SENTENCE_START.match(unit) and _SENTENCE_END.search(unit)):
            out.append(f"not a sentence: {unit!r}")
    return out


@pytest.mark.parametrize("name", sorted(dialects()))
def test_every_example_shot_in_every_stage_reads_well(name: str) -> None:
    model = _model(name)
    d = dialects()[name]
    checked = 0
    for project in _projects():
        for shot in project.shots:
            for stage in Stage:
                compiled = compile_prompt(stage, shot, project, model)
                if not compiled.text:
                    assert stage is Stage.TTS and not shot.dialogue
                    continue
                writes = d.sentences or stage not in (Stage.KEYFRAME, Stage.GENERATE)
                sentences = writes and stage is not Stage.TTS
                problems = _problems(compiled.text, sentences)
                assert not problems, (
                    f"{project.name}/{shot.id}/{stage}: {problems}\n{compiled.text}"
                )
                checked += 1
    assert checked > 100


# (instruction, stage, key words every dialect's prompt must keep)
ROUGH: list[tuple[str, Stage, list[str]]] = [
    (
        "slow push on the laptop, moody blue light, the founder smiles",
        Stage.GENERATE,
        ["laptop", "moody blue light", "founder smiles"],
    ),
    (
        "wide establishing shot of a foggy harbour at dawn, drone orbit",
        Stage.GENERATE,
        ["foggy harbour", "dawn"],
    ),
    (
        "handheld, medium close on Ana laughing, tungsten light, 85mm",
        Stage.GENERATE,
        ["Ana laughing", "tungsten light"],
    ),
    (
        "static wide of the empty office; neon glow through the blinds",
        Stage.GENERATE,
        ["empty office", "neon glow through the blinds"],
    ),
    ("macro on the coffee beans, pull back slowly", Stage.GENERATE, ["coffee beans"]),
    (
        "tracking, Ana walks through the rain, neon glow",
        Stage.GENERATE,
        ["Ana walks through the rain", "neon glow"],
    ),
    (
        "close-up of her hands on the keyboard, warm lamp light, tense",
        Stage.GENERATE,
        ["her hands on the keyboard", "warm lamp light", "tense"],
    ),
    (
        "pan left across the kitchen, the kettle starts to steam",
        Stage.GENERATE,
        ["kitchen", "kettle starts to steam"],
    ),
    (
        "the dog runs across the beach at sunset, tracking shot, wide",
        Stage.GENERATE,
        ["dog runs across the beach", "sunset"],
    ),
    (
        "tilt up to the face of the detective, low-key light",
        Stage.GENERATE,
        ["face of the detective", "low-key light"],
    ),
    (
        "orbit around the bottle on a marble counter, bright soft light",
        Stage.GENERATE,
        ["bottle on a marble counter", "bright soft light"],
    ),
    (
        "in a rainy city street, a cyclist passes, telephoto",
        Stage.GENERATE,
        ["rainy city street", "cyclist passes"],
    ),
    (
        "dreamy mood, a girl spins in a field of sunflowers",
        Stage.GENERATE,
        ["dreamy", "girl spins in a field of sunflowers"],
    ),
    ("push in on the candle, it flickers, eerie", Stage.GENERATE, ["candle", "flickers", "eerie"]),
    ("extreme close on the eye, a tear rolls down", Stage.GENERATE, ["eye", "tear rolls down"]),
    (
        "static shot, two friends laugh at a kitchen table, golden hour",
        Stage.GENERATE,
        ["two friends laugh at a kitchen table", "golden hour"],
    ),
    (
        "fix the lip sync and keep her cardigan mustard",
        Stage.LIPSYNC,
        ["lip sync", "her cardigan mustard"],
    ),
    (
        "remove the reflection in the window, keep the framing",
        Stage.EDIT,
        ["remove the reflection in the window", "framing"],
    ),
    ("keep the grain, sharpen the faces", Stage.UPSCALE, ["grain", "sharpen the faces"]),
    ("smooth the motion, keep the colours", Stage.INTERPOLATE, ["smooth the motion", "colours"]),
]


@pytest.mark.parametrize(("instruction", "stage", "keys"), ROUGH, ids=[r[0][:40] for r in ROUGH])
def test_rough_instructions_read_well_and_keep_their_words_in_every_dialect(
    instruction: str, stage: Stage, keys: list[str]
) -> None:
    for name, d in sorted(dialects().items()):
        compiled = rephrase(instruction, stage, _model(name))
        sentences = d.sentences or stage is not Stage.GENERATE
        problems = _problems(compiled.text, sentences)
        assert not problems, f"{name}: {problems}\n{compiled.text}"
        for key in keys:
            assert key.lower() in compiled.text.lower(), f"{name} lost {key!r}: {compiled.text}"


def test_finishing_turns_fix_and_keep_into_correct_and_preserve() -> None:
    compiled = rephrase(
        "fix the lip sync and keep her cardigan mustard", Stage.LIPSYNC, _model("finishing")
    )
    assert compiled.parts["correct"] == "the lip sync"
    assert compiled.parts["preserve"].startswith("her cardigan mustard, ")
    assert "the look of fix" not in compiled.text


def test_tts_gives_the_spoken_line_and_its_voice_direction() -> None:
    compiled = rephrase(
        'Maya says "Never lose a thought", warm and unhurried', Stage.TTS, _model("plain")
    )
    assert compiled.text == "Never lose a thought"
    assert compiled.parts["voice"] == "warm and unhurried"
    assert compiled.parts["speaker"] == "Maya"
    plain = rephrase("we never lose a thought, slow and warm", Stage.TTS, _model("plain"))
    assert plain.text == "we never lose a thought, slow and warm"


def test_a_phrase_nothing_places_is_kept_whole() -> None:
    compiled = rephrase(
        "push in on the mug, steam curling, the founder smiles, lots of energy",
        Stage.GENERATE,
        _model("runway"),
    )
    assert compiled.text.endswith("Steam curling. Lots of energy.")
    assert compiled.parts["verbatim"] == "steam curling; lots of energy"
