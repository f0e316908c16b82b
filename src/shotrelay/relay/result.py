"""What a run did and where its outputs are."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shotrelay.relay.output import MissingShot
from shotrelay.relay.uploads import Upload
from shotrelay.route.plan import RoutePlan

__all__ = ["RunResult"]


class RunResult(BaseModel):
    """What a run did and where its outputs are."""

    model_config = ConfigDict(frozen=True)

    status: Literal["done", "awaiting_approval", "incomplete"]
    message: str
    workspace: Path
    animatic: Path | None = None
    final: Path | None = None
    #: The cut of the shots that finished, when some did not (then ``final`` is None).
    partial: Path | None = None
    manifest: Path | None = None
    plan: RoutePlan | None = None
    failures: list[str] = []
    #: The shots left out of the cut, each with its jobs' own messages.
    missing: list[MissingShot] = []
    ran: int = 0
    cached: int = 0
    reserved_usd: float = 0.0
    actual_usd: float = 0.0
    deadline: dict[str, Any] | None = None
    uploads: list[Upload] = []
