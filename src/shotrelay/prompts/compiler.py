"""The prompt compiler: one shot, one stage, one model -> that model's prompt."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.continuity import ContextPacket, build_packet
from shotrelay.prompts.assemble import cut_words, fit
from shotrelay.prompts.dialect import Dialect, NegativeMode, dialect
from shotrelay.prompts.stages import (
    FINISH_ORDER,
    apply_tags,
    finishing_parts,
    reference_tags,
    tts_parts,
    visual_parts,
)
from shotrelay.prompts.words import palette_words
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage

__all__ = ["CompiledPrompt", "compile_plan_prompt", "compile_prompt"]


class CompiledPrompt(BaseModel):
    """A prompt ready for one model call.

    ``parts`` holds the prompt's parts that made it into ``text``, by name, plus notes:
    ``note`` (what was left out and why), ``dropped`` (parts dropped to fit the limit),
    ``references`` (``@tag=path`` pairs for tagging dialects), ``voice`` / ``speaker``
    (tts). ``stage`` is None for a planning prompt, which belongs to no shot stage.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    negative: str = ""
    dialect: str
    stage: Stage | None
    truncated: bool = False
    parts: dict[str, str] = Field(default_factory=dict)


def _limit(d: Dialect, model: ModelProfile | None) -> int:
    return min(d.limit, model.prompt_limit) if model is not None else d.limit


def _negative(d: Dialect, model: ModelProfile, avoid: list[str]) -> tuple[str, str, str]:
    """(negative field, inline avoid text, note) for the avoid list."""
    if not avoid:
        return "", "", ""
    mode = NegativeMode.FIELD if model.inputs.negative_prompt else d.negative
    if mode is NegativeMode.FIELD and not model.inputs.negative_prompt and not model.local:
        # The dialect has a field but this model's catalog row says it takes none.
        mode = NegativeMode.DROP
    if mode is NegativeMode.FIELD:
        return ", ".join(avoid), "", ""
    if mode is NegativeMode.INLINE:
        return "", ", ".join(d.avoid_item.replace("{}", a) for a in avoid), ""
    return "", "", f"avoid list not sent: {model.id} takes no negative prompt ({', '.join(avoid)})"


def compile_prompt(
    stage: Stage,
    shot: Shot,
    project: Project,
    model: ModelProfile,
    packet: ContextPacket | None = None,
    *,
    keep: Sequence[str] = (),
    fix: Sequence[str] = (),
    omit: Sequence[str] = (),
) -> CompiledPrompt:
    """The prompt for ``stage`` of ``shot`` on ``model``, in the model's dialect (pure).

    ``keep`` and ``fix`` are a person's own preserve and correct items for finishing stages;
    parts named in ``omit`` are left out.
    """
    d = dialect(model.dialect)
    packet = packet if packet is not None else build_packet(project, shot)
    limit = _limit(d, model)
    if stage is Stage.TTS:
        parts = tts_parts(shot, project)
        text = cut_words(parts["text"], limit)
        return CompiledPrompt(
            text=text, dialect=d.name, stage=stage, truncated=text != parts["text"], parts=parts
        )
    negative, inline, note = _negative(d, model, packet.avoid)
    if stage in (Stage.KEYFRAME, Stage.GENERATE):
        raw = visual_parts(stage, shot, model, packet, d)
        raw["avoid"] = inline
        raw.update({name: "" for name in omit})
        tags = reference_tags(packet, d, model) if stage is Stage.KEYFRAME else {}
        order = d.still_order if stage is Stage.KEYFRAME else d.order
        named = [(n, apply_tags(d.wrap(n, raw[n]), tags)) for n in order if raw.get(n)]
        fitted = fit(d, named, limit, d.drop_order)
        extra = {"references": "; ".join(f"{t}={p}" for t, p in tags.values())} if tags else {}
    else:
        raw = finishing_parts(stage, shot, project, packet, keep, fix)
        raw["avoid"] = inline
        order = [*FINISH_ORDER, "avoid"]
        named = [(n, d.wrap(n, raw[n])) for n in order if raw.get(n)]
        # Instructions stay sentences even in comma dialects.
        fitted = fit(d, named, limit, ["avoid", "match", "preserve"], sentences=True)
        extra = {}
    parts = {n: raw[n] for n in fitted.kept}
    if note:
        parts["note"] = note
    if fitted.dropped:
        parts["dropped"] = ", ".join(fitted.dropped)
    return CompiledPrompt(
        text=fitted.text,
        negative=negative,
        dialect=d.name,
        stage=stage,
        truncated=fitted.truncated,
        parts={**parts, **extra},
    )


def _shot_schema() -> str:
    schema = Shot.model_json_schema()
    props = schema.get("properties", {})
    for name in ("weights", "models", "references", "edit", "order"):
        props.pop(name, None)
    return json.dumps({"type": "array", "items": schema}, separators=(",", ":"))


def compile_plan_prompt(project: Project, model: ModelProfile | None = None) -> CompiledPrompt:
    """The prompt asking a planning model for the project's shot list as JSON."""
    d = dialect(model.dialect if model is not None else "llm")
    length = project.target_length or project.length or 20.0
    fmt = project.format
    style = project.style
    style_bits = [style.look, style.mood and f"{style.mood} mood", style.lighting]
    if style.palette:
        style_bits.append(f"palette {palette_words(style.palette)} ({', '.join(style.palette)})")
    cast = "; ".join(
        f"{c.name}: {', '.join(x for x in (c.description, c.wardrobe, c.voice) if x)}"
        for c in project.characters
    )
    parts = {
        "role": "You are a director and editor planning the shot list of a short film",
        "brief": f"Brief: {project.brief or project.name}",
        "length": f"Target length: {length:g} seconds in total; shot durations must add up to it",
        "format": f"Format: {fmt.aspect}, {fmt.resolution} ({fmt.width}x{fmt.height}), "
        f"{fmt.fps} fps",
        "style": "Style: " + ", ".join(b for b in style_bits if b) if any(style_bits) else "",
        "cast": f"Cast (use these exact names): {cast}" if cast else "",
        "avoid": d.wrap("avoid", ", ".join(style.avoid)) if style.avoid else "",
        "grammar": "Use film grammar: establish, develop, detail, hero moment, close; "
        "vary framing and camera moves; give each shot a role",
        "schema": "Answer with JSON only: an array of shots matching this JSON Schema: "
        + _shot_schema(),
    }
    named = [(n, t) for n, t in parts.items() if t]
    fitted = fit(d, named, _limit(d, model), ["avoid", "grammar", "cast", "style"], True)
    return CompiledPrompt(
        text=fitted.text,
        dialect=d.name,
        stage=None,
        truncated=fitted.truncated,
        parts={n: parts[n] for n in fitted.kept},
    )
