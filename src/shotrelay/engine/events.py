"""What the engine tells its caller while it works (the CLI renders these)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

__all__ = ["EngineEvent", "EventCallback"]


class EngineEvent(BaseModel):
    """One progress report: which shot and stage, which job, what state, how far."""

    model_config = ConfigDict(frozen=True)

    kind: str
    shot_id: str = ""
    stage: str = ""
    job: str = ""
    state: str = ""
    progress: float | None = None
    model: str = ""
    message: str = ""


EventCallback = Callable[[EngineEvent], None]
