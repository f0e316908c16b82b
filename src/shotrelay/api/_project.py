"""The project commands: schema, init, plan, route (and fitting a route to a deadline)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shotrelay.catalog import load_catalog
from shotrelay.engine.workspace import PROJECT_FILE, project_file
from shotrelay.errors import SpecError
from shotrelay.plan.files import PlanOutcome
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.loader import load_project
from shotrelay.spec.models import Format, Project

if TYPE_CHECKING:
    from shotrelay.report.keys import KeyOffer
    from shotrelay.schedule.deadline import DeadlineFit

__all__ = [
    "PlanOutcome",
    "find_project_file",
    "fit_route_to_deadline",
    "init_project",
    "plan_file",
    "route_file",
    "schema",
    "what_keys_would_buy",
]


def find_project_file(path: Path | str) -> Path:
    """The project file for a command argument: a .yaml file, a folder with project.yaml, or a
    name whose .yaml file exists."""
    return project_file(path)


def schema() -> dict[str, Any]:
    """The JSON Schema of project files (for editor validation)."""
    return Project.model_json_schema()


def init_project(
    folder: Path | str,
    *,
    brief: str = "",
    length: float | None = None,
    aspect: str | None = None,
) -> Path:
    """Create ``folder/project.yaml`` with the brief and format; refuse to overwrite
    (``shotrelay init``). Length and aspect default to what the brief says, else 20 s, 16:9."""
    from shotrelay.plan import DEFAULT_LENGTH, read_brief

    folder = Path(folder)
    said = read_brief(brief) if brief else None
    length = length or (said.length if said else None) or DEFAULT_LENGTH
    aspect = aspect or (said.aspect if said else None) or "16:9"
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
    from shotrelay.plan.template import commented_project

    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(commented_project(project), encoding="utf-8")
    return path


def plan_file(
    path: Path | str,
    *,
    catalog_files: Sequence[Path] = (),
    planner: str | None = None,
    replan: bool = False,
) -> PlanOutcome:
    """Plan the shot list of a project file from its brief and write it back
    (``shotrelay plan``); a file with shots is kept unless ``replan``.

    ``planner`` is ``rules`` (the default) or ``name:model`` of a registered planner; a model
    planner that fails falls back to the rules, and the message says so.
    """
    from shotrelay.plan.files import plan_project_file

    models = load_catalog(catalog_files).models
    return plan_project_file(find_project_file(path), models, planner, replan=replan)


def route_file(
    path: Path,
    *,
    budget_usd: float | None = None,
    preset: str | None = None,
    available_only: bool = False,
    catalog_files: Sequence[Path] = (),
    priors_only: bool = False,
) -> RoutePlan:
    """Route a project file against the catalog (``shotrelay route``), on the posteriors
    learned from the user's outcomes unless ``priors_only``.

    By default every provider in the catalog is considered (planning what keys would buy);
    with ``available_only`` only the providers ``run`` would use now (installed, with their
    keys in the environment or ``.env``).
    """
    from shotrelay.learn import OutcomeStore, learn
    from shotrelay.providers.registry import load_providers, usable
    from shotrelay.route import route_project

    project = load_project(find_project_file(path))
    catalog = load_catalog(catalog_files)
    available = usable(load_providers()).__contains__ if available_only else None
    learned = None if priors_only else learn(OutcomeStore().read(), catalog.models)
    return route_project(
        project,
        catalog.models,
        budget_usd=budget_usd,
        available=available,
        preset=preset,
        learned=learned,
    )


def fit_route_to_deadline(
    path: Path, plan: RoutePlan, deadline: datetime, *, catalog_files: Sequence[Path] = ()
) -> DeadlineFit:
    """Predict the routed plan's finish and trade it to fit ``deadline`` (docs/scheduling.md)."""
    from shotrelay.schedule.deadline import fit_deadline

    project = load_project(find_project_file(path))
    models = {m.id: m for m in load_catalog(catalog_files).models}
    return fit_deadline(project, plan, models, deadline)


def what_keys_would_buy(
    path: Path | str,
    plan: RoutePlan,
    *,
    budget_usd: float | None = None,
    preset: str | None = None,
    catalog_files: Sequence[Path] = (),
    priors_only: bool = False,
) -> KeyOffer:
    """Beside ``plan`` (routed on the providers usable now), the plan on every provider of
    the catalog: which stages would move, at what cost, and the keys they need
    (``shotrelay route`` prints it under the plan)."""
    from shotrelay.errors import ShotrelayError
    from shotrelay.providers.registry import load_providers
    from shotrelay.report.keys import key_offer

    try:
        everywhere: RoutePlan | str = route_file(
            Path(path),
            budget_usd=budget_usd,
            preset=preset,
            catalog_files=catalog_files,
            priors_only=priors_only,
        )
    except ShotrelayError as exc:
        everywhere = str(exc)
    return key_offer(plan, everywhere, load_providers())
