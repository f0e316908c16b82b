"""Giving up on a paid job whose outcome is unknown (or that never finished), by a person.

An ``unknown`` job may have been accepted and billed, so the engine never resubmits it by
itself. After checking the provider's dashboard, a person either runs again with
``--resubmit-unknown`` (it was not there) or abandons it here: the job's model is skipped for
that job from now on, so the next run goes down the shot's fallback chain, and whatever was
reserved for it is counted as spent, since it may have been billed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shotrelay.engine.journal import JobRow, Journal
from shotrelay.engine.recovery import IN_FLIGHT
from shotrelay.engine.workspace import workspace_for
from shotrelay.errors import EngineError
from shotrelay.relay.wiring import locked_journal
from shotrelay.spec.loader import load_project

__all__ = ["abandon", "stuck_jobs"]


def stuck_jobs(journal: Journal) -> list[JobRow]:
    """Jobs an earlier run left in flight or unknown, oldest first."""
    return sorted(
        (row for row in journal.jobs() if row.state in IN_FLIGHT), key=lambda r: r.updated_at
    )


def abandon(
    project_path: Path | str,
    job: str,
    *,
    workdir: Path | str | None = None,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> str:
    """Abandon the stuck job whose key starts with ``job`` (or every stuck job of shot ``job``).

    Takes the project's lock like a run. Raises ``EngineError`` naming the stuck jobs when
    ``job`` matches none of them.
    """
    ws = workspace_for(project_path, workdir)
    project = load_project(ws.project_file)
    if not ws.journal.is_file():
        raise EngineError(f"{ws.project_file}: nothing has run yet, so nothing to abandon")
    with locked_journal(ws, project, "shotrelay abandon", wait=wait, on_wait=on_wait) as journal:
        stuck = stuck_jobs(journal)
        chosen = [r for r in stuck if r.shot_id == job or (len(job) >= 6 and r.key.startswith(job))]
        if not chosen:
            listed = ", ".join(
                f"{r.key[:12]} ({r.shot_id} {r.stage}, {r.state.value})" for r in stuck
            )
            raise EngineError(
                f"no stuck job matches {job!r}; "
                + (f"stuck jobs: {listed}" if stuck else "no job is stuck")
                + " (give a job key's first 6+ characters or a shot id)"
            )
        lines = [_abandon_one(journal, row) for row in chosen]
    return "\n".join(lines)


def _abandon_one(journal: Journal, row: JobRow) -> str:
    abandoned = sorted({*row.detail.get("abandoned", []), row.model})
    spent = row.actual_usd + row.reserved_usd
    message = (
        f"abandoned {row.model} for {row.shot_id} {row.stage} (job {row.key[:12]}, was "
        f"{row.state.value}); ${row.reserved_usd:.2f} reserved for it is counted as spent; "
        "the next run tries the shot's next model"
    )
    with journal.transaction():
        journal.update_job(
            row.key,
            state="failed",
            handle=None,
            reserved_usd=0.0,
            actual_usd=spent,
            error_class="Abandoned",
            error_message=message,
            detail={**row.detail, "abandoned": abandoned},
        )
        journal.event("abandoned", message, job_key=row.key, shot_id=row.shot_id, stage=row.stage)
    return message
