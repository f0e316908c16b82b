"""`rephrase`: a rough instruction ("slow push on the laptop, moody blue light") -> a prompt.

The instruction is read into camera move, framing, lens, subject, action, setting, lighting,
mood, a spoken line and keep / fix intents; anything it cannot place is kept verbatim.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.prompts.assemble import cut_words
from shotrelay.prompts.compiler import CompiledPrompt, compile_prompt
from shotrelay.prompts.dialect import dialect
from shotrelay.prompts.english import sentence, split_subject
from shotrelay.prompts.words import words
from shotrelay.spec.models import DialogueLine, Project, Shot
from shotrelay.spec.vocabulary import CameraMove, Framing, Lens, Stage

__all__ = ["ParsedInstruction", "parse_instruction", "rephrase"]


class ParsedInstruction(BaseModel):
    """What a rough instruction says, by field; empty where it said nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    framing: Framing | None = None
    lens: Lens | None = None
    camera: CameraMove | None = None
    lighting: str = ""
    subject: str = ""
    action: str = ""
    setting: str = ""
    mood: str = ""
    line: str = Field("", description="A spoken line (quoted, or after a speech verb).")
    voice: str = Field("", description="How the line is said (tts voice direction).")
    keep: list[str] = Field(default_factory=list)
    fix: list[str] = Field(default_factory=list)
    verbatim: list[str] = Field(default_factory=list, description="Phrases not placed.")


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
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
_SPEECH = re.compile(
    r"^(?:(.*?)\s+)?(?:says|say|said|asks|whispers|shouts|tells us)\s*:?\s*(.*)$", re.I
)
_CLAUSES = re.compile(
    r"[,;]|\band then\b|\bthen\b|\s+and\s+(?=(?:keep|fix|preserve|maintain|remove|correct)\b)", re.I
)


def _any(words_list: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words_list, key=len, reverse=True))


def _strip_filler(text: str) -> str:
    filler = _any(words().filler)
    text = " ".join(text.split())
    text = re.sub(rf"^(?:(?:{filler})\b\s*)+", "", text, flags=re.I)
    # Also trailing filler ("the laptop, slowly").
    text = re.sub(rf"(?:\s+(?:{filler}))+$", "", text, flags=re.I)
    return text.strip(" ,.;-")


def _is_lighting(clause: str) -> bool:
    # Short clauses naming light are lighting ("moody blue light"); longer ones are a subject
    # that happens to mention light.
    lowered = clause.lower()
    named = any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words().lighting)
    return named and len(lowered.split()) <= 5


def _is_mood(clause: str) -> bool:
    tokens = re.findall(r"[a-z-]+", clause.lower())
    allowed = {*words().mood, "mood", "feel", "vibe", "tone", "and", "a", "very", "bit"}
    return (
        bool(tokens)
        and all(t in allowed for t in tokens)
        and any(t in words().mood for t in tokens)
    )


def _intent(clause: str) -> tuple[str, str] | None:
    """("keep" | "fix", item) for a keep / fix clause."""
    table = words()
    keep = re.match(rf"^(?:{_any(table.keep)})\s+(.+)$", clause, re.I)
    if keep:
        return "keep", keep.group(1).strip()
    fix = re.match(rf"^(?:{_any(table.fix)})\s+(.+)$", clause, re.I)
    if fix:
        return "fix", fix.group(1).strip()
    if re.match(rf"^(?:{_any(table.fix_kept)})\b", clause, re.I):
        return "fix", clause
    return None


def _camera_fields(text: str, found: dict[str, str]) -> tuple[str, bool]:
    """``text`` without its framing, lens and camera phrases (read into ``found``)."""
    moved = False
    for pattern, field, value in _phrases():
        match = pattern.search(text)
        if match:
            # A second synonym of a field already read is consumed, not re-read.
            found.setdefault(field, value)
            moved = moved or field == "camera"
            text = text[: match.start()] + " " + text[match.end() :]
    return text, moved


def parse_instruction(instruction: str) -> ParsedInstruction:
    """Read a rough instruction into shot fields, intents, a spoken line and verbatim rest."""
    found: dict[str, str] = {}
    out: dict[str, list[str]] = {
        k: [] for k in ("lighting", "mood", "keep", "fix", "rest", "place")
    }
    quotes = [m.group(1).strip() for m in _QUOTE.finditer(instruction)]
    text = _QUOTE.sub(" ", instruction)
    actor: tuple[str, str] | None = None
    target = ""
    for clause in _CLAUSES.split(text):
        clause = " ".join(clause.split()).strip(" .")
        if not clause:
            continue
        intent = _intent(clause)
        if intent:
            out[intent[0]].append(intent[1])
            continue
        clause, moved = _camera_fields(clause, found)
        time = _TIME_OF_DAY.search(clause)
        if time:
            out["lighting"].append(time.group(1).lower() + " light")
            clause = clause[: time.start()] + " " + clause[time.end() :]
        clause = _strip_filler(clause)
        if not clause:
            continue
        if _is_mood(clause):
            out["mood"].append(clause)
        elif _is_lighting(clause):
            out["lighting"].append(clause)
        elif (
            re.match(rf"^(?:{_any(words().places)})\s+(?:a|an|the)\s+", clause, re.I) and not moved
        ):
            out["place"].append(clause.split(" ", 1)[1])
        else:
            subject, action = split_subject(clause)
            if moved and not target and not action:
                target = subject
            elif action and subject and actor is None:
                actor = (subject, action)
            else:
                out["rest"].append(clause)
    subject, action = _subject_action(actor, target, out["rest"])
    return ParsedInstruction(
        framing=Framing(found["framing"]) if "framing" in found else None,
        lens=Lens(found["lens"]) if "lens" in found else None,
        camera=CameraMove(found["camera"]) if "camera" in found else None,
        lighting=", ".join(out["lighting"]),
        subject=subject,
        action=action,
        setting=", ".join(out["place"]),
        mood=", ".join(out["mood"]),
        line=" ".join(quotes),
        keep=out["keep"],
        fix=out["fix"],
        verbatim=out["rest"],
    )


def _subject_action(actor: tuple[str, str] | None, target: str, rest: list[str]) -> tuple[str, str]:
    """The subject and action, the camera's target first ("the laptop as the founder smiles")."""
    if target and actor:
        return target, f"as {actor[0]} {actor[1]}"
    if actor:
        return actor
    if target:
        return target, ""
    if rest:
        return rest.pop(0), ""
    return "", ""


def _for_dialect(parsed: ParsedInstruction, model: ModelProfile) -> ParsedInstruction:
    """The camera's target leads the subject ("the laptop as the founder smiles") only where
    the dialect opens with the camera moving onto it; elsewhere the actor leads and the target
    stays in focus ("The founder smiles, the laptop in focus."), never a verbless sentence."""
    if not parsed.action.startswith("as ") or dialect(model.dialect).joiner("camera", "subject"):
        return parsed
    actor, verb = split_subject(parsed.action.removeprefix("as "))
    if not actor or not verb:
        return parsed
    target = parsed.subject
    return parsed.model_copy(update={"subject": actor, "action": f"{verb}, {target} in focus"})


def _spoken_line(line: str) -> str:
    """A quoted line as it is spoken: a comma that led into "she says" becomes a full stop."""
    text = line.strip()
    if text.endswith((",", ";", ":")):
        text = text[:-1].rstrip() + "."
    return text


def _spoken(instruction: str, parsed: ParsedInstruction) -> tuple[str, str, str]:
    """(line, voice direction, speaker) of a tts instruction."""
    if parsed.line:
        rest = " ".join(_QUOTE.sub(" ", instruction).split())
        match = _SPEECH.match(rest)
        speaker = (match.group(1) or "").strip() if match else ""
        direction = match.group(2) if match else rest
        pieces = [p.strip(" .") for p in re.split(r"[,;]", direction) if p.strip(" .")]
        return _spoken_line(parsed.line), ", ".join(pieces), speaker
    head, _, tail = instruction.partition(",")
    match = _SPEECH.match(head.strip())
    if match and match.group(2):
        return match.group(2).strip(), tail.strip(" ."), (match.group(1) or "").strip()
    return instruction.strip(), "", ""


def rephrase(
    instruction: str,
    stage: Stage,
    model: ModelProfile,
    project: Project | None = None,
    parsed: ParsedInstruction | None = None,
) -> CompiledPrompt:
    """The instruction as ``model``'s prompt for ``stage``: parsed (by the rules, unless a
    reading is given, e.g. a language model's), then compiled in ``model``'s dialect."""
    parsed = parsed or parse_instruction(instruction)
    base = project or Project(name="rephrase")
    if stage is Stage.TTS:
        line, voice, speaker = _spoken(instruction, parsed)
        text = cut_words(line, dialect(model.dialect).limit)
        parts = {"text": line, "voice": voice, "speaker": speaker or "narrator"}
        return CompiledPrompt(
            text=text,
            dialect=dialect(model.dialect).name,
            stage=stage,
            truncated=text != line,
            parts=parts,
        )
    parsed = _for_dialect(parsed, model)
    fields = parsed.model_dump(
        include={"framing", "lens", "camera", "lighting", "subject", "action", "setting"}
    )
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    dialogue = [DialogueLine(speaker="narrator", line=parsed.line)] if parsed.line else []
    shot = Shot(id="rephrase", duration=5.0, dialogue=dialogue, **fields)
    style = base.style.model_copy(update={"mood": parsed.mood}) if parsed.mood else base.style
    project = base.model_copy(update={"shots": [shot], "style": style})
    # Framing the instruction did not name is not written (the Shot defaults are not its words).
    unsaid = [] if parsed.framing or parsed.lens else ["shot"]
    compiled = compile_prompt(
        stage, shot, project, model, keep=parsed.keep, fix=parsed.fix, omit=unsaid
    )
    return _with_verbatim(compiled, parsed.verbatim, model)


def _with_verbatim(
    compiled: CompiledPrompt, verbatim: list[str], model: ModelProfile
) -> CompiledPrompt:
    """The prompt with the phrases nothing placed, each kept whole."""
    if not verbatim:
        return compiled
    d = dialect(model.dialect)
    if d.sentences or compiled.stage not in (Stage.KEYFRAME, Stage.GENERATE):
        extra = " ".join(sentence(v) for v in verbatim)
        text = f"{compiled.text} {extra}".strip()
    else:
        text = ", ".join([compiled.text, *verbatim])
    limit = min(d.limit, model.prompt_limit)
    fitted = cut_words(text, limit)
    parts = {**compiled.parts, "verbatim": "; ".join(verbatim)}
    return compiled.model_copy(
        update={"text": fitted, "parts": parts, "truncated": compiled.truncated or fitted != text}
    )
