"""The tools' answers, built from what ``shotrelay.api`` returns."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from shotrelay import api
from shotrelay.agent.models import (
    DeadlineRow,
    RouteResult,
    RunOutcome,
    ShotRouteRow,
    StageRow,
    StatusResult,
    StuckJob,
)
from shotrelay.errors import SpecError

__all__ = ["deadline_of", "last_estimate", "route_answer", "run_answer", "status_answer"]


def deadline_of(text: str) -> datetime:
    """A deadline argument: an ISO date-time or a duration from now."""
    try:
        return api.parse_deadline(text)
    except SpecError as exc:  # the terminal's message names --deadline
        raise SpecError(exc.message, field="deadline", fix=exc.fix) from None


def route_answer(
    plan: api.RoutePlan, fitted: api.DeadlineFit | None, with_more_keys: str | None = None
) -> RouteResult:
    """A routed plan (fitted to a deadline when given), stage by stage."""
    shots = [
        ShotRouteRow(
            id=shot.id,
            role=shot.role.value,
            cost_usd=shot.cost_usd,
            stages=[
                StageRow(
                    stage=st.stage.value,
                    model=st.model,
                    provider=st.provider,
                    cost_usd=st.cost_usd,
                    seconds=st.seconds,
                    fallbacks=st.fallbacks,
                    reasons=st.reasons,
                )
                for st in shot.stages
            ],
        )
        for shot in plan.shots
    ]
    deadline = None
    if fitted is not None:
        deadline = DeadlineRow(
            deadline=fitted.deadline.isoformat(),
            predicted_finish=fitted.predicted_finish.isoformat(),
            first_preview=fitted.first_preview.isoformat(),
            met=fitted.met,
            trades=list(fitted.trades),
            lines=fitted.lines(),
        )
    return RouteResult(
        project=plan.project,
        policy=plan.policy,
        budget_usd=plan.budget_usd,
        total_cost_usd=plan.total_cost_usd,
        total_seconds=plan.total_seconds,
        spends_money=plan.total_cost_usd > 0,
        shots=shots,
        notes=plan.notes,
        trades=plan.trades,
        deadline=deadline,
        with_more_keys=with_more_keys,
    )


def run_answer(file: Path, given: str, result: api.RunResult, before: float) -> RunOutcome:
    """A run's result with what it spent (``before``: the project's actual spend before it)
    and the next step; at the gate, the estimate and the approve call to make."""
    after = api.status(file)
    estimated = result.plan.total_cost_usd if result.plan is not None else 0.0
    gated = result.status == "awaiting_approval"
    if gated:
        step = (
            f"nothing paid ran. Show the animatic ({result.animatic}) and the estimate "
            f"(${estimated:.2f}) to the person you work for; if they agree, call approve "
            f"with project={given!r}, then run again."
        )
    elif result.status == "done":
        step = "the final cut is ready: rate, pick or redo shots, or call report or export"
    else:
        step = "some shots did not finish: see failures; status lists jobs that need a person"
    return RunOutcome(
        status=result.status,
        message=result.message,
        approval_needed=gated,
        estimated_usd=estimated,
        spent_usd=max(after.actual_usd - before, 0.0),
        reserved_usd=after.reserved_usd,
        actual_usd=after.actual_usd,
        animatic=_text(result.animatic),
        final=_text(result.final),
        partial=_text(result.partial),
        manifest=_text(result.manifest),
        failures=result.failures,
        ran=result.ran,
        cached=result.cached,
        next=step,
    )


def status_answer(found: api.StatusReport) -> StatusResult:
    """The journal's summary, flat."""
    return StatusResult(
        project=found.project,
        workspace=str(found.workspace),
        jobs=found.jobs,
        reserved_usd=found.reserved_usd,
        actual_usd=found.actual_usd,
        approved=found.approved,
        picks=found.picks,
        outputs={k: _text(v) for k, v in found.outputs.items()},
        stuck=[
            StuckJob(
                key=row.key,
                shot_id=row.shot_id,
                stage=row.stage,
                model=row.model,
                state=row.state.value,
                message=row.error_message or "left in flight by an earlier run; run resumes it",
            )
            for row in found.stuck
        ],
        events=[" ".join(x for x in (e.kind, e.shot_id, e.message) if x) for e in found.events],
    )


def last_estimate(file: Path) -> float | None:
    """The estimate of the route the last run wrote (None before any run routed it)."""
    routed = api.paths(file).route
    if not routed.is_file():
        return None
    return api.RoutePlan.model_validate(json.loads(routed.read_text("utf-8"))).total_cost_usd


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None
