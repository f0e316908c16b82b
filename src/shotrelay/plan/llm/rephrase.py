"""Reading a rough instruction with a language model: the same fields the rules find (camera,
framing, lens, subject, action, setting, lighting, mood, a line and its voice, keep/fix), as
structured output validated like a shot list, with the target dialect's guides in the request.

The model only sorts the words; the prompt itself is still written by the dialect compiler, so
the target model's language and limits hold whichever way the instruction was read. Every
content word of the instruction must land in some field: an answer that drops one is sent
back for repair.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import ValidationError

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm.base import LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.plan.llm.schema import closed_schema
from shotrelay.plan.llm.validate import BadAnswer
from shotrelay.prompts.dialect import dialect
from shotrelay.prompts.rephrase import ParsedInstruction
from shotrelay.prompts.words import words
from shotrelay.spec.vocabulary import Stage

__all__ = ["instruction_prompt", "read_instruction"]

_SYSTEM = (
    "You read a rough direction for one shot of an AI-generated film and sort its words into "
    "fields. Answer with one JSON object matching the given schema, and nothing else. Use the "
    "direction's own words; do not invent content. framing, lens and camera take only the "
    "listed values, or null when the direction does not say. Put a spoken line in `line` and "
    "how it is said in `voice`. Put what must stay as it is in `keep` and what must change in "
    "`fix`. Any phrase that fits no field goes, whole, into `verbatim`: every word of the "
    "direction must land somewhere."
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_FILLER = {"please", "make", "with", "that", "this", "then", "into", "from", "some", "just"}


def instruction_prompt(instruction: str, stage: Stage, target: ModelProfile) -> PlanPrompt:
    """The conversation's opening: the direction, its stage, and the target's guides."""
    spoken = dialect(target.dialect)
    guides = "; ".join(f"{g.title} ({g.date}): {g.follows}" for g in spoken.guides)
    lines = [
        f"Stage: {stage.value}. Target model: {target.name} ({spoken.name} dialect)",
        f"Its prompting guides: {guides}" if guides else "",
        f"Direction: {instruction.strip()}",
    ]
    return PlanPrompt(system=_SYSTEM, user=".\n".join(x for x in lines if x), target=0.0)


def read_instruction(
    planner: LLMPlanner,
    instruction: str,
    stage: Stage,
    target: ModelProfile,
    models: Sequence[ModelProfile] = (),
) -> ParsedInstruction:
    """The instruction's fields as ``planner``'s model reads them (repaired when invalid or
    when it drops a word); raises ``PlanError`` after ``planner.attempts`` answers."""
    wanted = _content_words(instruction)

    def parse(content: str) -> ParsedInstruction:
        try:
            parsed = ParsedInstruction.model_validate(json.loads(content))
        except (ValueError, ValidationError) as exc:
            raise BadAnswer([f"not a valid answer for the schema: {_first_line(exc)}"]) from None
        placed = _content_words(" ".join(_texts(parsed)))
        lost = [w for w in wanted if w not in placed]
        if lost:
            raise BadAnswer(
                [
                    f"these words of the direction are in no field: {', '.join(lost)}; put "
                    "each where it belongs, or in verbatim"
                ]
            )
        return parsed

    schema = closed_schema(ParsedInstruction)
    prompt = instruction_prompt(instruction, stage, target)
    return planner.ask(prompt, schema, parse, models, what="reading of the direction")


def _texts(parsed: ParsedInstruction) -> list[str]:
    """Every word the reading holds, with the phrases that name its camera, framing and lens
    (and speed words: "slow push" is a push-in), which the rules read the same way."""
    data = parsed.model_dump(mode="json")
    out: list[str] = ["slow slowly quick quickly fast gentle gently"]
    for value in data.values():
        if isinstance(value, str):
            out.append(value.replace("-", " "))
        elif isinstance(value, list):
            out.extend(str(v) for v in value)
    table = words()
    if parsed.camera is not None:
        out.extend(table.camera.get(parsed.camera, []))
    if parsed.framing is not None:
        out.extend(table.framing.get(parsed.framing, []))
    if parsed.lens is not None:
        out.extend(table.lens.get(parsed.lens, []))
    return out


def _content_words(text: str) -> list[str]:
    words = [w.lower().strip("'-") for w in _WORD.findall(text)]
    return list(dict.fromkeys(w for w in words if w not in _FILLER))


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]
