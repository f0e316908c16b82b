"""The VLM judge: a few frames of a take, the shot's intent and its neighbours, sent to a
configured language model with vision, answered as a JSON rubric (0..1 and a reason per axis).

It reuses a planner's conversation (``LLMPlanner.ask``: keys, retries, classified errors,
repairs of invalid answers) and only adds the frames to the opening, as each API takes
images: OpenAI ``image_url`` data URLs, Anthropic ``image`` base64 blocks, Gemini
``inlineData`` parts, Ollama ``images``. The judge (``shotrelay.judge``) never imports this:
the relay passes it in as a callable.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm.base import LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.plan.llm.validate import BadAnswer
from shotrelay.spec.models import Shot

__all__ = [
    "AXES",
    "IMAGE_PARTS",
    "Axis",
    "Rubric",
    "ShotJudge",
    "TakeBrief",
    "VLMJudge",
    "describe",
    "judge_prompt",
    "parse_rubric",
    "rubric_schema",
    "shot_judge",
]

#: The rubric's axes and what each asks of the frames (data: add an axis here).
AXES: dict[str, str] = {
    "intent": "the frames show what the shot asks: subject, action, setting, framing",
    "continuity": "the take fits the shots before and after it: same characters, wardrobe, "
    "place, light and palette",
    "aesthetics": "composition, light and detail are pleasing and free of artefacts "
    "(warped hands or faces, smeared text, melting objects)",
    "motion": "the camera move and the action progress as asked across the frames",
}

_SYSTEM = (
    "You are a film editor judging one generated take of a shot. You see a few frames of the "
    "take in order. Score each axis from 0 (fails) to 1 (excellent) and give a one-sentence "
    "reason naming what you see. Answer with one JSON object matching the given schema, and "
    "nothing else."
)

_MIME = "image/jpeg"


@dataclass(frozen=True)
class TakeBrief:
    """What the take was for: the shot's intent and its neighbours in the cut."""

    intent: str
    before: str = ""
    after: str = ""
    #: Names of the frames' positions, e.g. "start, middle, end" (told to the model).
    frames: str = ""


class Axis(BaseModel):
    """One rubric axis: a score 0..1 and the reason for it."""

    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0, le=1)
    reason: str = Field(min_length=1)


class Rubric(BaseModel):
    """The VLM's judgement of a take: one ``Axis`` per name in ``AXES``."""

    model_config = ConfigDict(frozen=True)

    axes: dict[str, Axis]
    model: str = ""


def rubric_schema() -> dict[str, Any]:
    """The answer's JSON schema (strict: every axis required, no other keys)."""
    axis = {
        "type": "object",
        "properties": {"score": {"type": "number"}, "reason": {"type": "string"}},
        "required": ["score", "reason"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {name: {**axis, "description": what} for name, what in AXES.items()},
        "required": list(AXES),
        "additionalProperties": False,
    }


def judge_prompt(brief: TakeBrief, count: int) -> PlanPrompt:
    """The opening: instructions, then the shot, its neighbours and the axes."""
    lines = [f"The shot: {brief.intent}"]
    if brief.before:
        lines.append(f"The shot before it: {brief.before}")
    if brief.after:
        lines.append(f"The shot after it: {brief.after}")
    where = f" ({brief.frames})" if brief.frames else ""
    lines.append(f"{count} frame(s) of the take follow{where}.")
    lines.append("Axes:")
    lines += [f"- {name}: {what}" for name, what in AXES.items()]
    return PlanPrompt(system=_SYSTEM, user="\n".join(lines), target=0.0)


def parse_rubric(content: str | Any) -> Rubric:
    """The rubric in an answer (JSON text or a decoded object); ``BadAnswer`` lists what is
    wrong so the model can repair it."""
    try:
        data = json.loads(content) if isinstance(content, str) else content
    except json.JSONDecodeError as exc:
        raise BadAnswer([f"the answer is not JSON ({exc.msg} at {exc.pos})"]) from None
    if not isinstance(data, dict):
        raise BadAnswer(["the answer must be one JSON object with a key per axis"])
    problems: list[str] = []
    axes: dict[str, Axis] = {}
    for name in AXES:
        item = data.get(name)
        if not isinstance(item, dict):
            problems.append(f"{name}: missing; give {{'score': 0..1, 'reason': '...'}}")
            continue
        score, reason = item.get("score"), item.get("reason")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            problems.append(f"{name}.score: {score!r} is not a number from 0 to 1")
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(f"{name}.reason: give one sentence saying why")
        else:
            axes[name] = Axis(score=float(score), reason=reason.strip())
    extra = sorted(set(data) - set(AXES))
    if extra:
        problems.append(f"unknown keys {extra}; use only {list(AXES)}")
    if problems:
        raise BadAnswer(problems)
    return Rubric(axes=axes)


def _b64(image: bytes) -> str:
    return base64.b64encode(image).decode("ascii")


def _openai(body: dict[str, Any], images: Sequence[bytes]) -> dict[str, Any]:
    fmt = body.get("response_format") or {}
    if "json_schema" in fmt:
        schema = {**fmt["json_schema"], "name": "take_rubric"}
        body = {**body, "response_format": {**fmt, "json_schema": schema}}
    *head, user = body["messages"]
    parts: list[dict[str, Any]] = [{"type": "text", "text": user["content"]}]
    parts += [
        {"type": "image_url", "image_url": {"url": f"data:{_MIME};base64,{_b64(i)}"}}
        for i in images
    ]
    return {**body, "messages": [*head, {**user, "content": parts}]}


def _anthropic(body: dict[str, Any], images: Sequence[bytes]) -> dict[str, Any]:
    *head, user = body["messages"]
    parts: list[dict[str, Any]] = [{"type": "text", "text": user["content"]}]
    parts += [
        {"type": "image", "source": {"type": "base64", "media_type": _MIME, "data": _b64(i)}}
        for i in images
    ]
    return {**body, "messages": [*head, {**user, "content": parts}]}


def _gemini(body: dict[str, Any], images: Sequence[bytes]) -> dict[str, Any]:
    *head, user = body["contents"]
    parts = [
        *user["parts"],
        *({"inlineData": {"mimeType": _MIME, "data": _b64(i)}} for i in images),
    ]
    return {**body, "contents": [*head, {**user, "parts": parts}]}


def _ollama(body: dict[str, Any], images: Sequence[bytes]) -> dict[str, Any]:
    *head, user = body["messages"]
    return {**body, "messages": [*head, {**user, "images": [_b64(i) for i in images]}]}


#: How each API carries images in the opening's last user turn (by planner name).
IMAGE_PARTS: dict[str, Callable[[dict[str, Any], Sequence[bytes]], dict[str, Any]]] = {
    "openai": _openai,
    "anthropic": _anthropic,
    "gemini": _gemini,
    "ollama": _ollama,
}


@dataclass
class VLMJudge:
    """Judges a take's frames (JPEG bytes) with ``planner``'s model; see ``__call__``."""

    planner: LLMPlanner
    models: Sequence[ModelProfile] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.planner.name not in IMAGE_PARTS:
            raise ValueError(
                f"--judge-with {self.planner.name}: this planner cannot send images; "
                f"use one of {sorted(IMAGE_PARTS)}"
            )

    @property
    def name(self) -> str:
        """``planner:model``, as the judge's checks name it."""
        return f"{self.planner.name}:{self.planner.resolve(self.models)[0]}"

    def __call__(self, frames: Sequence[bytes], brief: TakeBrief) -> Rubric:
        """The rubric for one take (invalid answers repaired up to the planner's attempts);
        raises the planner's errors (``ProviderError``, ``PlanError``) when it gives none."""
        if not frames:
            raise ValueError("the VLM judge needs at least one frame")
        seeing = copy.copy(self.planner)
        opening = self.planner.opening
        attach = IMAGE_PARTS[self.planner.name]

        def with_frames(model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
            return attach(opening(model, prompt, schema), frames)

        # The planner's own conversation, with the frames added to its opening.
        vars(seeing)["opening"] = with_frames
        rubric = seeing.ask(
            judge_prompt(brief, len(frames)),
            rubric_schema(),
            parse_rubric,
            self.models,
            what="rubric",
        )
        return rubric.model_copy(update={"model": self.name})


def describe(shot: Shot) -> str:
    """A shot's intent in one line, as the judge is told it."""
    who = f" with {', '.join(shot.characters)}" if shot.characters else ""
    what = ", ".join(x for x in (shot.subject, shot.action, shot.setting, shot.lighting) if x)
    move = shot.camera.value.replace("-", " ")
    return (
        f"{shot.duration:g} s {shot.role.value} shot, {shot.framing.value} framing, "
        f"{move} camera{who}: {what or 'no description'}"
    )


#: What the relay calls per take: the shot, the shots before and after it, and the take's
#: frames (RGB) -> {axis: (score, reason)}.
ShotJudge = Callable[
    [Shot, Shot | None, Shot | None, list[NDArray[np.uint8]]], dict[str, tuple[float, str]]
]


def shot_judge(judge: VLMJudge) -> ShotJudge:
    """``judge`` as the relay calls it: frames encoded as JPEG, the brief from the shots."""

    def see(
        shot: Shot, before: Shot | None, after: Shot | None, frames: list[NDArray[np.uint8]]
    ) -> dict[str, tuple[float, str]]:
        jpegs = [_jpeg(f) for f in frames]
        brief = TakeBrief(
            intent=describe(shot),
            before=describe(before) if before else "",
            after=describe(after) if after else "",
            frames="start, middle, end" if len(frames) == 3 else "",
        )
        return {k: (a.score, a.reason) for k, a in judge(jpegs, brief).axes.items()}

    return see


def _jpeg(rgb: NDArray[np.uint8]) -> bytes:
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90]
    )
    if not ok:  # pragma: no cover - OpenCV always encodes an RGB array
        raise ValueError("cannot encode a frame as JPEG")
    return bytes(data.tobytes())
