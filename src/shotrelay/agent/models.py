"""What the agent interface's tools answer: typed, flat, and explicit about money."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.api import ModelRow

__all__ = [
    "ApproveResult",
    "DeadlineRow",
    "ExportResult",
    "FileResult",
    "InitResult",
    "MessageResult",
    "ModelsResult",
    "PlanResult",
    "RouteResult",
    "RunOutcome",
    "ShotRouteRow",
    "ShotRow",
    "StageRow",
    "StatusResult",
    "StuckJob",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class InitResult(_Out):
    """A new project."""

    project_file: str
    message: str


class ShotRow(_Out):
    """One planned shot."""

    id: str
    duration: float
    role: str
    framing: str
    camera: str
    subject: str
    action: str


class PlanResult(_Out):
    """The shot list, and whether the file was written."""

    project_file: str
    written: bool
    message: str
    shots: list[ShotRow]


class StageRow(_Out):
    """One stage of a shot's route: the model, its cost and time, and why."""

    stage: str
    model: str
    provider: str
    cost_usd: float
    seconds: float
    fallbacks: list[str]
    reasons: list[str]


class ShotRouteRow(_Out):
    """A shot's route."""

    id: str
    role: str
    cost_usd: float
    stages: list[StageRow]


class DeadlineRow(_Out):
    """The route fitted to a deadline."""

    deadline: str
    predicted_finish: str
    first_preview: str
    met: bool
    trades: list[str]
    lines: list[str]


class RouteResult(_Out):
    """Which model touches each shot at each stage, at what cost; routing writes nothing."""

    project: str
    policy: str
    budget_usd: float | None
    total_cost_usd: float = Field(description="Estimated money the routed plan would spend.")
    total_seconds: float
    spends_money: bool = Field(
        description="True when running it needs the approval gate (an explicit approve)."
    )
    shots: list[ShotRouteRow]
    notes: list[str]
    trades: list[str]
    deadline: DeadlineRow | None = None
    with_more_keys: str | None = Field(
        None, description="What keys for more providers would change (names, never values)."
    )


class RunOutcome(_Out):
    """What a run or redo did, what it spent, and what to do next."""

    status: Literal["done", "awaiting_approval", "incomplete"]
    message: str
    approval_needed: bool = Field(
        description="Stopped at the structure gate: nothing paid ran; call approve to go on."
    )
    estimated_usd: float = Field(description="What the routed plan is estimated to spend.")
    spent_usd: float = Field(description="Money this call spent (actual, all providers).")
    reserved_usd: float = Field(description="The project's reserved money, all runs.")
    actual_usd: float = Field(description="The project's actual spend, all runs.")
    animatic: str | None = None
    final: str | None = None
    partial: str | None = None
    manifest: str | None = None
    failures: list[str] = []
    ran: int = 0
    cached: int = 0
    next: str = Field(description="The next step, in words.")


class ApproveResult(_Out):
    """The structure approved, and what the approval lets the next run spend."""

    message: str
    estimated_usd: float | None = Field(
        description="The last routed plan's estimate (None before any run has routed it)."
    )
    next: str


class MessageResult(_Out):
    """A sentence saying what was done."""

    message: str


class StuckJob(_Out):
    """A job that needs a person."""

    key: str
    shot_id: str
    stage: str
    model: str
    state: str
    message: str


class StatusResult(_Out):
    """Jobs by state, money, approval, outputs, stuck jobs and the last events."""

    project: str
    workspace: str
    jobs: dict[str, int]
    reserved_usd: float
    actual_usd: float
    approved: bool
    picks: dict[str, int]
    outputs: dict[str, str | None]
    stuck: list[StuckJob]
    events: list[str]


class FileResult(_Out):
    """A file written."""

    path: str


class ExportResult(_Out):
    """The files written, by format."""

    files: dict[str, str]


class ModelsResult(_Out):
    """The catalog's models, one row each."""

    models: list[ModelRow]
