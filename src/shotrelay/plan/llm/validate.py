"""Reading a planning model's answer: JSON, then the shot schema, then the project's rules.

Every problem is a short line naming where it is (``shots[2].framing``) and what was wrong,
so it can go back to the model as a repair request and, in the end, to the user.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from shotrelay.errors import PlanError
from shotrelay.plan.llm.schema import NARRATOR
from shotrelay.spec.models import Project, Shot

__all__ = ["BadAnswer", "PlanError", "parse_shots"]

_MAX_PROBLEMS = 12


class BadAnswer(ValueError):
    """A model's answer is not a valid shot list; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:_MAX_PROBLEMS]
        if len(problems) > _MAX_PROBLEMS:
            self.problems.append(f"... and {len(problems) - _MAX_PROBLEMS} more problems")
        super().__init__("; ".join(self.problems))


def _where(index: int, loc: tuple[int | str, ...]) -> str:
    path = f"shots[{index}]"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _decode(content: str | Any) -> Any:
    if not isinstance(content, str):
        return content
    text = content.strip()
    if text.startswith("```"):
        # Some local models fence their JSON even in JSON mode.
        text = text.strip("`").removeprefix("json").strip()
    if not text:
        raise BadAnswer(["the answer was empty; reply with the JSON object"])
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadAnswer(
            [f"the answer is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"]
        ) from None


def parse_shots(content: str | Any, project: Project) -> list[Shot]:
    """The shots in a model's answer (JSON text or an already-decoded object), numbered s1..sN.

    Raises :class:`BadAnswer` listing every problem found.
    """
    data = _decode(content)
    items = data.get("shots") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BadAnswer(['the answer must be an object {"shots": [...]} holding a list of shots'])
    if not items:
        raise BadAnswer(["the shot list is empty; write at least one shot"])
    names = {c.name for c in project.characters}
    problems: list[str] = []
    shots: list[Shot] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"shots[{i}]: must be an object, got {type(item).__name__}")
            continue
        fields = {k: v for k, v in item.items() if k not in ("id", "order")}
        try:
            shot = Shot.model_validate({**fields, "id": f"s{i + 1}", "order": i + 1})
        except ValidationError as exc:
            problems.extend(f"{_where(i, err['loc'])}: {err['msg']}" for err in exc.errors())
            continue
        problems.extend(_cast_problems(i, shot, names))
        shots.append(shot)
    if problems:
        raise BadAnswer(problems)
    return shots


def _cast_problems(index: int, shot: Shot, names: set[str]) -> list[str]:
    allowed = ", ".join(sorted(names)) or "none"
    problems: list[str] = []
    for j, who in enumerate(shot.characters):
        if who not in names:
            problems.append(
                f"shots[{index}].characters[{j}]: {who!r} is not in the cast (cast: {allowed})"
            )
    for j, line in enumerate(shot.dialogue):
        if line.speaker not in names and line.speaker.lower() != NARRATOR:
            problems.append(
                f"shots[{index}].dialogue[{j}].speaker: {line.speaker!r} is not in the cast "
                f"(cast: {allowed}; use {NARRATOR!r} for voice-over)"
            )
    return problems
