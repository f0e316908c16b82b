"""RoutePlan: for every shot and stage, the chosen model, fallbacks, reasons, cost and time."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import CostEstimate
from shotrelay.spec.vocabulary import Role, Stage, Task

__all__ = ["Candidate", "Exclusion", "RoutePlan", "ShotRoute", "StageRoute"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exclusion(_Out):
    """A model that could not serve a stage, and the hard constraint that excluded it."""

    model: str
    constraint: str = Field(description="e.g. duration, aspect, first_frame, provider.")
    reason: str


class Candidate(_Out):
    """A model that can serve a stage, with its score broken down."""

    model: str
    provider: str
    score: float = Field(description="Weighted total used for ranking (higher is better).")
    quality: float = Field(description="Weighted quality on the shot's axes, 0..1.")
    breakdown: dict[str, float] = Field(
        default_factory=dict, description="Contribution per axis (weight x score)."
    )
    cost: CostEstimate
    seconds: float = Field(ge=0, description="Estimated wall time of the call.")
    clip_seconds: float | None = Field(None, description="Length requested from the model.")


class StageRoute(_Out):
    """One stage of one shot: the choice, its fallbacks and why."""

    stage: Stage
    task: Task
    model: str
    provider: str
    cost: CostEstimate
    seconds: float
    score: float
    quality: float
    breakdown: dict[str, float] = Field(default_factory=dict)
    fallbacks: list[str] = Field(default_factory=list, description="Ranked model ids.")
    reasons: list[str] = Field(default_factory=list)
    runner_up: str | None = None
    excluded: list[Exclusion] = Field(default_factory=list)
    params: CallParams = Field(
        default_factory=CallParams,
        description="Request parameters the router fixed: clip_seconds, resolution, aspect.",
    )
    takes: int = Field(1, ge=1, description="Takes of this stage (generate stages only).")

    @model_validator(mode="before")
    @classmethod
    def _takes_out_of_params(cls, data: Any) -> Any:
        """Route files written before ``takes`` was a field kept it among the params."""
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            params = dict(data["params"])
            if "takes" in params:
                data = {**data, "params": params, "takes": data.get("takes", params.pop("takes"))}
        return data

    @property
    def cost_usd(self) -> float:
        """Estimated cost in USD."""
        return self.cost.usd


class ShotRoute(_Out):
    """Every stage of one shot, in execution order."""

    id: str
    role: Role
    stages: list[StageRoute]

    @property
    def cost_usd(self) -> float:
        """Estimated cost of the shot."""
        return sum(s.cost.usd for s in self.stages)

    @property
    def seconds(self) -> float:
        """Estimated wall time of the shot's stages run one after another."""
        return sum(s.seconds for s in self.stages)

    def stage(self, stage: Stage) -> StageRoute | None:
        """This shot's route for a stage, if the stage applies."""
        return next((s for s in self.stages if s.stage == stage), None)


class RoutePlan(_Out):
    """The whole routing decision for a project."""

    project: str
    policy: str
    budget_usd: float | None = None
    shots: list[ShotRoute]
    trades: list[str] = Field(
        default_factory=list, description="What the budget optimiser gave up, per change."
    )
    notes: list[str] = Field(default_factory=list)

    @property
    def total_cost_usd(self) -> float:
        """Estimated cost of every stage of every shot."""
        return round(sum(s.cost_usd for s in self.shots), 6)

    @property
    def total_seconds(self) -> float:
        """Estimated model time of every call, summed (not wall time under concurrency)."""
        return round(sum(s.seconds for s in self.shots), 3)

    def shot(self, shot_id: str) -> ShotRoute:
        """The route of one shot; KeyError if none."""
        for s in self.shots:
            if s.id == shot_id:
                return s
        raise KeyError(shot_id)

    def to_json(self) -> dict[str, Any]:
        """The stable object `shotrelay route --json` prints."""
        return {
            "project": self.project,
            "policy": self.policy,
            "budget_usd": self.budget_usd,
            "total_cost_usd": self.total_cost_usd,
            "total_seconds": self.total_seconds,
            "trades": list(self.trades),
            "notes": list(self.notes),
            "shots": [
                {
                    "id": shot.id,
                    "role": shot.role.value,
                    "cost_usd": round(shot.cost_usd, 6),
                    "seconds": round(shot.seconds, 3),
                    "stages": [
                        {
                            "stage": st.stage.value,
                            "task": st.task.value,
                            "model": st.model,
                            "provider": st.provider,
                            "cost_usd": st.cost.usd,
                            "cost_rule": st.cost.label,
                            "seconds": round(st.seconds, 3),
                            "score": round(st.score, 4),
                            "quality": round(st.quality, 4),
                            "breakdown": {k: round(v, 4) for k, v in st.breakdown.items()},
                            "fallbacks": list(st.fallbacks),
                            "runner_up": st.runner_up,
                            "reasons": list(st.reasons),
                            "params": st.params.fixed(),
                            "takes": st.takes,
                        }
                        for st in shot.stages
                    ],
                }
                for shot in self.shots
            ],
        }
