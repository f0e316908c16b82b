"""Planning a project file: write the planner's shots, keep a written list, or re-plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import PlanError, RemoteFailure, TransientError, Unreachable
from shotrelay.plan.planner import Planner, RulePlanner, plan_project
from shotrelay.plan.registry import get_planner
from shotrelay.spec.loader import dump_project, load_project
from shotrelay.spec.models import Project

__all__ = ["PlanOutcome", "plan_project_file"]

#: Failures of a model-backed planner after which the rule planner writes the shots instead.
_FALL_BACK = (PlanError, TransientError, Unreachable, RemoteFailure)


class PlanOutcome(BaseModel):
    """What planning a file did: the project, whether the file was written, and why."""

    model_config = ConfigDict(frozen=True)

    project: Project
    path: Path
    written: bool
    message: str
    backup: Path | None = None


def _kept(project: Project, file: Path) -> str:
    n = len(project.shots)
    if project.planned_by:
        return (
            f"{file}: {n} shots planned by the {project.planned_by} planner, kept; "
            "`shotrelay plan --replan` plans again from the brief"
        )
    return (
        f"{file}: {n} shots written by hand, kept as they are; "
        "`shotrelay plan --replan` replaces them (a copy is kept)"
    )


def plan_project_file(
    file: Path,
    models: Sequence[ModelProfile],
    planner: Planner | str | None = None,
    *,
    replan: bool = False,
) -> PlanOutcome:
    """Plan ``file``'s shot list from its brief and write it back.

    A file with shots is kept unless ``replan``; re-planning over shots written by hand first
    copies the file to ``<file>.bak``. ``planner`` may be a name (``openai:gpt-6-luna``),
    looked up only when the file is planned (a kept file needs none). A model-backed planner
    that fails (bad answers, unreachable, transient errors) falls back to the rule planner,
    and the message says so.
    """
    project = load_project(file)
    if project.shots and not replan:
        return PlanOutcome(project=project, path=file, written=False, message=_kept(project, file))
    backup = None
    if project.shots and not project.planned_by:
        backup = file.with_name(file.name + ".bak")
        backup.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    blank = project.model_copy(update={"shots": [], "planned_by": ""})
    chosen = get_planner(planner) if isinstance(planner, str) else planner or RulePlanner()
    note = ""
    try:
        planned = plan_project(blank, models, chosen)
    except _FALL_BACK as exc:
        planned = plan_project(blank, models, RulePlanner())
        note = f" (the {chosen.name} planner failed: {exc}; the rules planner wrote them)"
    file.write_text(dump_project(planned), encoding="utf-8")
    verb = "re-planned" if project.shots else "wrote"
    saved = f"; your shots are in {backup}" if backup else ""
    message = (
        f"{file}: {verb} {len(planned.shots)} shots from the brief{note}{saved}; "
        "edit them, then `shotrelay route`"
    )
    return PlanOutcome(project=planned, path=file, written=True, message=message, backup=backup)
