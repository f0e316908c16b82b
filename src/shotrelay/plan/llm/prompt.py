"""The planning conversation's opening: instructions, then the project and what models can make."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.durations import clip_support
from shotrelay.plan.planner import DEFAULT_LENGTH
from shotrelay.prompts import compile_plan_prompt
from shotrelay.spec.models import Project

__all__ = ["PlanPrompt", "build_prompt", "repair_message"]

_SYSTEM = (
    "You are a director and editor planning the shot list of a short film for AI video "
    'generation. Answer with one JSON object {"shots": [...]} matching the given schema, '
    "and nothing else. Shots are in cut order. Each shot is one continuous clip of one "
    "idea; keep subject, action, setting and lighting concrete and visual. Use only the "
    "cast's exact names; write dialogue only where the brief asks for speech, and use "
    '"narrator" for voice-over.'
)

_CLIP_LENGTHS = 6


class PlanPrompt(BaseModel):
    """The system instructions and the first user message of a planning conversation."""

    model_config = ConfigDict(frozen=True)

    system: str
    user: str
    target: float

    def chat_messages(self) -> list[dict[str, str]]:
        """The opening as chat messages (system, then user), as OpenAI and Ollama take it."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


def _clip_line(models: Sequence[ModelProfile], target: float) -> str:
    support = clip_support(models)
    if not support:
        return ""
    common = sorted(support, key=lambda d: (-support[d], -d))[:_CLIP_LENGTHS]
    usable = sorted(d for d in common if d <= target) or sorted(common)[:1]
    return (
        "Video models make clips of these lengths best (seconds): "
        + ", ".join(f"{d:g}" for d in usable)
        + "; prefer them for shot durations"
    )


def build_prompt(
    project: Project, models: Sequence[ModelProfile], model: ModelProfile | None = None
) -> PlanPrompt:
    """The opening of the conversation asking ``model`` to plan ``project``."""
    target = project.target_length or DEFAULT_LENGTH
    compiled = compile_plan_prompt(project.model_copy(update={"target_length": target}), model)
    # The schema travels as the API's structured-output schema, not in the text.
    parts = [text for name, text in compiled.parts.items() if name not in ("role", "schema")]
    shots = max(1, round(target / 5))
    parts.append(f"About {shots} shots (fewer, longer shots are fine for a slow mood)")
    clips = _clip_line(models, target)
    if clips:
        parts.append(clips)
    parts.append(f"The durations must add up to exactly {target:g} seconds")
    return PlanPrompt(system=_SYSTEM, user=".\n".join(parts) + ".", target=target)


def repair_message(problems: Sequence[str]) -> str:
    """The message asking the model to fix its previous answer."""
    listed = "\n".join(f"- {p}" for p in problems)
    return (
        "Your previous answer could not be used:\n"
        f"{listed}\n"
        "Reply with the whole corrected shot list as one JSON object matching the schema."
    )
