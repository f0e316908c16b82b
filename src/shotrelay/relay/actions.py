"""What a person does between runs: approve the structure, redo a shot, pick a take, look.

Each is one journal write (and, for ``redo``, a run); none of them calls a provider itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.engine.events import EngineEvent
from shotrelay.engine.journal import EventRow, JobRow, Journal
from shotrelay.engine.lock import ProjectLock
from shotrelay.errors import SpecError
from shotrelay.relay.abandon import stuck_jobs
from shotrelay.relay.gate import structure_hash
from shotrelay.relay.judging import shot_scores
from shotrelay.relay.result import RunResult
from shotrelay.relay.run import run
from shotrelay.relay.wiring import locked_journal, open_project, shot_of
from shotrelay.spec.vocabulary import Stage

__all__ = ["StatusReport", "approve", "pick", "redo", "status"]


class StatusReport(BaseModel):
    """Jobs by state, money reserved and spent, approval, outputs and the last events."""

    model_config = ConfigDict(frozen=True)

    project: str
    workspace: Path
    jobs: dict[str, int]
    reserved_usd: float
    actual_usd: float
    approved: bool
    picks: dict[str, int]
    #: Judged takes by shot: score, failed checks, whether it was cut and why.
    scores: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    outputs: dict[str, Path | None]
    events: list[EventRow]
    stuck: list[JobRow] = Field(
        default_factory=list,
        description="Jobs left in flight or unknown: each message says what to check and run.",
    )


def approve(
    project_path: Path | str,
    *,
    workdir: Path | str | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> str:
    """Approve the project's structure (shots, order, durations, framing, camera, transitions).

    Takes the project's lock like a run (``wait``/``on_wait`` as in :class:`ProjectLock`).
    """
    ws, project = open_project(project_path, workdir)
    with locked_journal(ws, project, "shotrelay approve", wait=wait, on_wait=on_wait) as journal:
        digest = structure_hash(project)
        if journal.approved("structure", digest):
            return "the structure was already approved"
        journal.approve("structure", digest, note="approve")
        journal.event("approved", f"structure {digest[:12]} approved")
        return f"structure approved ({len(project.shots)} shots); `shotrelay run` goes on"


def redo(
    project_path: Path | str,
    shot_id: str,
    stage: Stage | str | None = None,
    **run_kwargs: Any,
) -> RunResult:
    """Invalidate a shot's job at ``stage`` (all its stages when None) and what follows; run.

    The project's lock is held from the first journal write to the end of the run.
    """
    ws, project = open_project(project_path, run_kwargs.get("workdir"))
    shot_of(project, shot_id)
    try:
        stages = [Stage(stage)] if stage is not None else list(Stage)
    except ValueError:
        raise SpecError(
            f"unknown stage {stage!r}",
            field="stage",
            fix="use one of " + ", ".join(s.value for s in Stage),
        ) from None
    on_event = run_kwargs.get("on_event")
    lock = ProjectLock(ws.root, project.name, "shotrelay redo")
    lock.acquire(
        wait=bool(run_kwargs.get("wait")),
        on_wait=(lambda line: on_event(EngineEvent(kind="note", message=line)))
        if on_event
        else None,
    )
    try:
        journal = Journal(ws.journal)
        try:
            with journal.transaction():
                for st in stages:
                    journal.bump_revision(shot_id, st.value)
                journal.event(
                    "redo", f"redo {shot_id} at {stage or 'every stage'}", shot_id=shot_id
                )
        finally:
            journal.close()
        return run(project_path, **run_kwargs)  # takes the same lock again: this process has it
    finally:
        lock.release()


def pick(
    project_path: Path | str,
    shot_id: str,
    take: int,
    *,
    workdir: Path | str | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> str:
    """Choose which take of a shot the cut uses (overrides the scorer on the next run).

    Takes the project's lock like a run (``wait``/``on_wait`` as in :class:`ProjectLock`).
    """
    ws, project = open_project(project_path, workdir)
    shot_of(project, shot_id)
    if take < 1:
        raise SpecError(
            "takes are numbered from 1", file=str(ws.project_file), field="take", fix="pass 1, 2"
        )
    with locked_journal(ws, project, "shotrelay pick", wait=wait, on_wait=on_wait) as journal:
        made = sorted(
            {
                r.take
                for r in journal.jobs(shot_id=shot_id, state="succeeded")
                if r.stage == Stage.GENERATE.value
            }
        )
        if take not in made:
            have = ", ".join(map(str, made)) or "none yet"
            raise SpecError(
                f"shot {shot_id} has no finished take {take} (finished takes: {have})",
                file=str(ws.project_file),
                field="take",
                fix=f"pick one of those, or run with --takes {max(take, 2)} first",
            )
        journal.set_pick(shot_id, take)
        journal.event("pick", f"take {take} picked", shot_id=shot_id)
    return f"{shot_id}: take {take} picked; `shotrelay run` recuts with it"


def status(
    project_path: Path | str, *, workdir: Path | str | None = None, last: int = 10
) -> StatusReport:
    """Jobs by state, costs reserved and actual, the approval, outputs and the last events."""
    ws, project = open_project(project_path, workdir)
    journal = Journal(ws.journal)
    try:
        reserved, actual = journal.costs()
        outputs = {
            p.name: (p if p.is_file() else None)
            for p in (ws.animatic, ws.final, ws.partial, ws.manifest)
        }
        return StatusReport(
            project=project.name,
            workspace=ws.root,
            jobs=journal.counts(),
            reserved_usd=reserved,
            actual_usd=actual,
            approved=journal.approved("structure", structure_hash(project)),
            picks=journal.picks(),
            scores=shot_scores(journal),
            outputs=outputs,
            events=journal.events(limit=last),
            stuck=stuck_jobs(journal),
        )
    finally:
        journal.close()


# -- wiring -------------------------------------------------------------------------------
