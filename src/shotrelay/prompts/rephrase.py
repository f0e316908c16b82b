"""`rephrase`: a rough instruction ("slow push on the laptop, moody blue light") -> a prompt."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.prompts.compiler import CompiledPrompt, compile_prompt
from shotrelay.prompts.words import words
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import CameraMove, Framing, Lens, Stage

__all__ = ["ParsedInstruction", "parse_instruction", "rephrase"]


class ParsedInstruction(BaseModel):
    """The shot fields read from an instruction; None where it said nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    framing: Framing | None = None
    lens: Lens | None = None
    camera: CameraMove | None = None
    lighting: str = ""
    subject: str = ""
    action: str = ""


@cache
def _phrases() -> list[tuple[re.Pattern[str], str, str]]:
    """(pattern, field, value) for every synonym, longest phrase first."""
    table = words()
    rows: list[tuple[str, str, str]] = []
    for field, mapping in (("framing", table.framing), ("lens", table.lens)):
        rows += [(p, field, v.value) for v, ps in mapping.items() for p in ps]
    rows += [(p, "camera", v.value) for v, ps in table.camera.items() for p in ps]
    rows.sort(key=lambda r: (-len(r[0]), r[0]))
    return [
        (re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])", re.IGNORECASE), f, v) for p, f, v in rows
    ]


_TIME_OF_DAY = re.compile(
    r"\b(?:at|during|in the|by)\s+(dawn|dusk|sunset|sunrise|golden hour|night|twilight)\b",
    re.IGNORECASE,
)


def _strip_filler(text: str) -> str:
    filler = sorted(words().filler, key=len, reverse=True)
    pattern = re.compile(rf"^(?:(?:{'|'.join(map(re.escape, filler))})\b\s*)+", re.IGNORECASE)
    text = " ".join(text.split())
    text = pattern.sub("", text)
    # Also trailing filler ("the laptop, slowly").
    tail = re.compile(rf"(?:\s+(?:{'|'.join(map(re.escape, filler))}))+$", re.IGNORECASE)
    return tail.sub("", text).strip(" ,.;-")


# "Ana walks ...", "a woman walking ...": a name then a verb-like word, or an article and a
# noun then an -ing word ("the coffee beans" stays whole: a plural is not a verb).
_SUBJECT_VERB = (
    re.compile(
        r"^(?!(?:A|An|The|His|Her|Their|Our)\b)([A-Z][\w-]*)\s+([\w-]+(?<!ss)(?:s|ing|ed)\b.*)$"
    ),
    re.compile(r"^((?:a|an|the|his|her|their|our)\s+[\w-]+)\s+([\w-]+ing\b.*)$", re.I),
)


def _split_action(text: str) -> tuple[str, str]:
    for pattern in _SUBJECT_VERB:
        match = pattern.match(text)
        if match:
            return match.group(1), match.group(2)
    return text, ""


def _is_lighting(clause: str) -> bool:
    # Short clauses naming light are lighting ("moody blue light"); longer ones are a subject
    # that happens to mention light.
    lowered = clause.lower()
    named = any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words().lighting)
    return named and len(lowered.split()) <= 5


def parse_instruction(instruction: str) -> ParsedInstruction:
    """Read framing, lens, camera move, lighting and subject/action from a rough instruction."""
    found: dict[str, str] = {}
    lighting: list[str] = []
    rest: list[str] = []
    for clause in re.split(r"[,;]|\band then\b|\bthen\b", instruction):
        text = clause.strip()
        for pattern, field, value in _phrases():
            match = pattern.search(text)
            if match:
                # A second synonym of a field already read is consumed, not re-read.
                found.setdefault(field, value)
                text = text[: match.start()] + " " + text[match.end() :]
        time = _TIME_OF_DAY.search(text)
        if time:
            lighting.append(time.group(1).lower() + " light")
            text = text[: time.start()] + " " + text[time.end() :]
        text = _strip_filler(text)
        if not text:
            continue
        (lighting if _is_lighting(text) else rest).append(text)
    subject, action = _split_action(rest[0]) if rest else ("", "")
    return ParsedInstruction(
        framing=Framing(found["framing"]) if "framing" in found else None,
        lens=Lens(found["lens"]) if "lens" in found else None,
        camera=CameraMove(found["camera"]) if "camera" in found else None,
        lighting=", ".join(lighting),
        subject=subject,
        action=", ".join(a for a in [action, *rest[1:]] if a),
    )


def rephrase(
    instruction: str, stage: Stage, model: ModelProfile, project: Project | None = None
) -> CompiledPrompt:
    """The instruction as ``model``'s prompt for ``stage``: parsed into a Shot, then compiled."""
    parsed = parse_instruction(instruction)
    fields = {k: v for k, v in parsed.model_dump().items() if v not in (None, "")}
    shot = Shot(id="rephrase", duration=5.0, **fields)
    base = project or Project(name="rephrase")
    return compile_prompt(stage, shot, base.model_copy(update={"shots": [shot]}), model)
