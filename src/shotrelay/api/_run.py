"""The running commands: run, studio, approve, redo, pick, abandon, status.

Each takes the project as a command argument would name it (a .yaml file, a folder holding
project.yaml, or a name) and returns data; nothing prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from shotrelay.api._judge import visual_judge
from shotrelay.api._project import find_project_file
from shotrelay.engine.events import EventCallback
from shotrelay.errors import ShotrelayError, SpecError
from shotrelay.relay import EngineHooks, RunResult, StatusReport
from shotrelay.relay import abandon as _abandon
from shotrelay.relay import approve as _approve
from shotrelay.relay import pick as _pick
from shotrelay.relay import redo as _redo
from shotrelay.relay import status as _status
from shotrelay.relay.studio import run_studio_projects
from shotrelay.spec.vocabulary import Stage

__all__ = [
    "WaitCallback",
    "abandon",
    "approve",
    "pick",
    "redo",
    "run_project",
    "run_studio",
    "status",
]

#: Told once, with a line naming the holder, when a command waits for a project's lock.
WaitCallback = Callable[[str], None]


def run_project(
    project: Path | str,
    *,
    auto_approve: bool = False,
    resubmit_unknown: bool = False,
    takes: int | None = None,
    deadline: datetime | None = None,
    on_event: EventCallback | None = None,
    wait: bool = False,
    priors_only: bool = False,
    judge_with: str | None = None,
    budget_usd: float | None = None,
    preset: str | None = None,
    catalog_files: Sequence[Path] = (),
    retakes: int | None = None,
) -> RunResult:
    """Animatic first, then (after approval) paid generation, finishing, the cut and the
    manifest (``shotrelay run``); ``priors_only`` routes without the learned posteriors;
    ``judge_with`` (a planner, ``name[:model]``) adds a VLM's view of every take;
    ``budget_usd``, ``preset`` and ``catalog_files`` route as ``route_file`` does;
    ``retakes`` overrides the file's re-take rounds for shots whose every take is defective."""
    from shotrelay import relay  # looked up per call: tests stand fakes in for relay.run
    from shotrelay.catalog import load_catalog

    return relay.run(
        find_project_file(project),
        catalog=load_catalog(catalog_files) if catalog_files else None,
        budget_usd=budget_usd,
        preset=preset,
        auto_approve=auto_approve,
        resubmit_unknown=resubmit_unknown,
        takes=takes,
        deadline=deadline,
        on_event=on_event,
        wait=wait,
        priors_only=priors_only,
        vlm=visual_judge(judge_with) if judge_with else None,
        hooks=EngineHooks(retakes=retakes) if retakes is not None else None,
    )


def run_studio(
    projects: Sequence[Path | str],
    *,
    auto_approve: bool = False,
    on_event_for: Callable[[str], EventCallback | None] = lambda _name: None,
    wait: bool = False,
    on_wait: WaitCallback | None = None,
) -> list[RunResult | ShotrelayError]:
    """Several projects at once on one queue of providers (``shotrelay studio``): a result
    or the error, per project, in the order given."""
    return run_studio_projects(
        [find_project_file(p) for p in projects],
        auto_approve=auto_approve,
        on_event_for=on_event_for,
        wait=wait,
        on_wait=on_wait,
    )


def approve(project: Path | str, *, wait: bool = False, on_wait: WaitCallback | None = None) -> str:
    """Lock the structure so the next run does paid generation (``shotrelay approve``)."""
    return _approve(find_project_file(project), wait=wait, on_wait=on_wait)


def redo(
    project: Path | str,
    shot_id: str,
    stage: Stage | str | None = None,
    *,
    auto_approve: bool = False,
    on_event: EventCallback | None = None,
    wait: bool = False,
) -> RunResult:
    """Invalidate a shot's stage (all its stages when None) and what follows, then run
    (``shotrelay redo``); a wait for the project's lock is told through ``on_event``.

    A stage the shot does not have (in the plan the last run used, else the plan usable now)
    is refused with SpecError listing the shot's stages: redoing it would do nothing.
    """
    file = find_project_file(project)
    if stage is not None:
        _check_stage(file, shot_id, stage)
    return _redo(
        file,
        shot_id,
        stage,
        auto_approve=auto_approve,
        on_event=on_event,
        wait=wait,
    )


def pick(
    project: Path | str,
    shot_id: str,
    take: int,
    *,
    wait: bool = False,
    on_wait: WaitCallback | None = None,
) -> str:
    """Use take ``take`` of a shot in the cut from the next run on (``shotrelay pick``)."""
    return _pick(find_project_file(project), shot_id, take, wait=wait, on_wait=on_wait)


def abandon(
    project: Path | str, job: str, *, wait: bool = False, on_wait: WaitCallback | None = None
) -> str:
    """Give up on a job whose submission's outcome is unknown; its shot falls back
    (``shotrelay abandon``)."""
    return _abandon(find_project_file(project), job, wait=wait, on_wait=on_wait)


def status(project: Path | str, *, last: int = 10) -> StatusReport:
    """Jobs by state, money, approval, outputs, jobs that need a person, the last events
    (``shotrelay status``)."""
    return _status(find_project_file(project), last=last)


def _check_stage(file: Path, shot_id: str, stage: Stage | str) -> None:
    from shotrelay.api._project import route_file
    from shotrelay.engine.workspace import workspace_for
    from shotrelay.relay.keep import read_route

    plan = read_route(workspace_for(file).route) or route_file(file, available_only=True)
    shot = next((s for s in plan.shots if s.id == shot_id), None)
    if shot is None:
        return  # the relay names an unknown shot, with the ones there are
    has = [st.stage.value for st in shot.stages]
    if str(stage) not in has:
        raise SpecError(
            f"shot {shot_id} has no {stage} stage; its stages are {', '.join(has)}",
            file=str(file),
            field="stage",
            fix=f"redo one of {', '.join(has)}, or leave --stage out to redo them all",
        )
