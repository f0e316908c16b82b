"""The outcomes store: one JSON-lines file per user, so evidence carries across projects.

Its path is ``$SHOTRELAY_OUTCOMES``, else ``$XDG_DATA_HOME/shotrelay/outcomes.jsonl``, else
``~/.local/share/shotrelay/outcomes.jsonl``. ``export``/``import_`` share it within a team.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shotrelay.errors import SpecError

__all__ = ["ENV", "Outcome", "OutcomeStore", "default_path"]

#: The environment variable naming the outcomes file.
ENV = "SHOTRELAY_OUTCOMES"


class Outcome(BaseModel):
    """One piece of evidence about a model on a class of shot, on one axis (0..1)."""

    model_config = ConfigDict(frozen=True)

    model: str
    #: The model's version (its API model id): a new version starts from its prior.
    version: str
    shot_class: str
    axis: str
    value: float = Field(ge=0, le=1)
    #: judged: measured (CPU checks, learned scorers); vlm: a VLM's rubric; rating: a person.
    kind: Literal["judged", "vlm", "rating"]
    at: float = Field(default_factory=time.time)
    project: str = ""
    take: str = Field("", description="The job key or take the evidence is about.")

    @property
    def id(self) -> str:
        """A stable id, so importing the same evidence twice counts it once."""
        text = f"{self.model}|{self.version}|{self.shot_class}|{self.axis}|{self.kind}|{self.take}"
        return hashlib.sha256(f"{text}|{self.at:.3f}".encode()).hexdigest()[:20]


def default_path() -> Path:
    """Where the user's outcomes live (see the module docstring)."""
    if env := os.environ.get(ENV):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shotrelay" / "outcomes.jsonl"


class OutcomeStore:
    """Append-only evidence in a JSON-lines file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()

    def add(self, outcomes: Iterable[Outcome]) -> int:
        """Append outcomes; returns how many were written."""
        lines = [o.model_dump_json() for o in outcomes]
        if not lines:
            return 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        return len(lines)

    def read(self) -> list[Outcome]:
        """Every outcome, oldest first (an unreadable line is an error naming it)."""
        return _read(self.path) if self.path.is_file() else []

    def export(self, dest: Path) -> int:
        """Write every outcome to ``dest`` (JSON lines); returns the count."""
        outcomes = self.read()
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("".join(o.model_dump_json() + "\n" for o in outcomes), encoding="utf-8")
        return len(outcomes)

    def import_(self, src: Path) -> int:
        """Add the outcomes of ``src`` not already here; returns how many were new."""
        if not src.is_file():
            raise SpecError(
                f"no outcomes file {src}",
                file=str(src),
                fix="pass a file written by `shotrelay learn --export`",
            )
        have = {o.id for o in self.read()}
        new = [o for o in _read(src) if o.id not in have]
        return self.add(new)


def _read(path: Path) -> list[Outcome]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Outcome.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise SpecError(
                f"outcome on line {number} is not valid: {str(exc).splitlines()[0]}",
                file=str(path),
                line=number,
                fix="remove the line, or export the outcomes again",
            ) from None
    return out
