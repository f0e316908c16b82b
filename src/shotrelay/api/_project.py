"""The project commands: schema, init, plan, route (and fitting a route to a deadline)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog import Catalog, load_catalog
from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.workspace import PROJECT_FILE, project_file
from shotrelay.errors import SpecError
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.loader import dump_project, load_project
from shotrelay.spec.models import Format, Project

if TYPE_CHECKING:
    from shotrelay.schedule.deadline import DeadlineFit

__all__ = [
    "PlanResult",
    "find_project_file",
    "fit_route_to_deadline",
    "init_project",
    "plan_file",
    "provider_ready",
    "route_file",
    "schema",
]


def find_project_file(path: Path | str) -> Path:
    """The project file for a command argument: a .yaml file, a folder with project.yaml, or a
    name whose .yaml file exists."""
    return project_file(path)


def schema() -> dict[str, Any]:
    """The JSON Schema of project files (for editor validation)."""
    return Project.model_json_schema()


def init_project(folder: Path, *, brief: str, length: float, aspect: str) -> Path:
    """Create ``folder/project.yaml`` with the brief and format; refuse to overwrite."""
    path = folder / PROJECT_FILE
    if path.exists():
        raise SpecError(
            "a project already exists here",
            file=str(path),
            fix="choose another name, or edit the file",
        )
    try:
        project = Project(
            name=folder.name,
            brief=brief,
            target_length=length,
            format=Format(aspect=aspect),
        )
    except ValueError as exc:
        raise SpecError(str(exc), file=str(path), fix="check --aspect and --length") from None
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_project(project), encoding="utf-8")
    return path


class PlanResult(BaseModel):
    """What `plan` did: the project with its shots, and a sentence saying so."""

    model_config = ConfigDict(frozen=True)

    project: Project
    path: Path
    written: bool
    message: str


def plan_file(
    path: Path, *, catalog_files: Sequence[Path] = (), planner: str | None = None
) -> PlanResult:
    """Plan the shot list of a project file; write it back if the file had no shots.

    ``planner`` is ``rules`` (the default) or ``name:model`` of a registered planner.
    """
    from shotrelay.plan import plan_project
    from shotrelay.plan.registry import get_planner

    file = find_project_file(path)
    project = load_project(file)
    if project.shots:
        return PlanResult(
            project=project,
            path=file,
            written=False,
            message=f"{file}: {len(project.shots)} shots written by hand, kept as they are",
        )
    planned = plan_project(project, load_catalog(catalog_files).models, get_planner(planner))
    file.write_text(dump_project(planned), encoding="utf-8")
    return PlanResult(
        project=planned,
        path=file,
        written=True,
        message=f"{file}: wrote {len(planned.shots)} shots; edit them, then `shotrelay route`",
    )


def provider_ready(model: ModelProfile) -> bool:
    """Whether a model's provider can be called now: local, or its key is in the environment."""
    return model.local or (bool(model.env) and all(os.environ.get(v) for v in model.env))


def route_file(
    path: Path,
    *,
    budget_usd: float | None = None,
    preset: str | None = None,
    available_only: bool = False,
    catalog_files: Sequence[Path] = (),
) -> RoutePlan:
    """Route a project file against the catalog.

    By default every provider in the catalog is considered (planning what keys would buy);
    with ``available_only`` only local providers and those whose keys are set.
    """
    from shotrelay.route import route_project

    project = load_project(find_project_file(path))
    catalog = load_catalog(catalog_files)
    available = _availability(catalog).__contains__ if available_only else None
    return route_project(
        project, catalog.models, budget_usd=budget_usd, available=available, preset=preset
    )


def fit_route_to_deadline(
    path: Path, plan: RoutePlan, deadline: datetime, *, catalog_files: Sequence[Path] = ()
) -> DeadlineFit:
    """Predict the routed plan's finish and trade it to fit ``deadline`` (docs/scheduling.md)."""
    from shotrelay.schedule.deadline import fit_deadline

    project = load_project(find_project_file(path))
    models = {m.id: m for m in load_catalog(catalog_files).models}
    return fit_deadline(project, plan, models, deadline)


def _availability(catalog: Catalog) -> set[str]:
    ready: dict[str, bool] = {}
    for m in catalog.models:
        ready[m.provider] = ready.get(m.provider, True) and provider_ready(m)
    return {p for p, ok in ready.items() if ok}
