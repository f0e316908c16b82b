"""Commands on the project file: schema, init, plan, route, models, rephrase."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shotrelay._cli.app import (
    BudgetOpt,
    CatalogOpt,
    DeadlineOpt,
    JsonOpt,
    PresetOpt,
    PriorsOpt,
    ProjectArg,
    app,
    err,
    friendly,
    out,
    print_json,
)
from shotrelay._cli.views import print_key_offer
from shotrelay.spec.vocabulary import Stage, Task


@app.command()
@friendly
def schema() -> None:
    """Print the JSON Schema of project files (for editor validation)."""
    from shotrelay.spec.models import Project

    print_json(Project.model_json_schema())


@app.command()
@friendly
def init(
    name: Annotated[str, typer.Argument(help="Folder to create, holding project.yaml.")],
    brief: Annotated[str, typer.Option(help="What the film is, in a sentence.")] = "",
    length: Annotated[
        float | None, typer.Option(help="Target length in seconds (default: the brief's, or 20).")
    ] = None,
    aspect: Annotated[
        str | None, typer.Option(help="Aspect ratio, e.g. 16:9 or 9:16 (default: the brief's).")
    ] = None,
) -> None:
    """Create a project folder with a project.yaml to edit."""
    from shotrelay.api import init_project

    path = init_project(Path(name), brief=brief, length=length, aspect=aspect)
    out.print(f"created {path}\nnext: shotrelay plan {name}")


@app.command()
@friendly
def plan(
    project: ProjectArg,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
    planner: Annotated[
        str | None,
        typer.Option(
            help="Planner: rules (default) or name:model, e.g. anthropic or ollama:llama3.2."
        ),
    ] = None,
    replan: Annotated[
        bool, typer.Option("--replan", help="Plan again from the brief, replacing the shots.")
    ] = False,
) -> None:
    """Make the shot list from the brief (a written shot list is kept unless --replan)."""
    from shotrelay.api import plan_file
    from shotrelay.present import shots_table

    result = plan_file(project, catalog_files=catalog or [], planner=planner, replan=replan)
    if as_json:
        print_json([s.model_dump(mode="json") for s in result.project.shots])
        return
    out.print(shots_table(result.project))
    out.print(result.message)


@app.command()
@friendly
def route(
    project: ProjectArg,
    budget: BudgetOpt = None,
    preset: PresetOpt = None,
    all_providers: Annotated[
        bool,
        typer.Option(
            "--all-providers",
            help="Route on every provider in the catalog (what keys would buy), not only "
            "the ones `run` can use now.",
        ),
    ] = False,
    available_only: Annotated[
        bool, typer.Option("--available-only", hidden=True, help="The default; kept for scripts.")
    ] = False,
    priors_only: PriorsOpt = False,
    deadline: DeadlineOpt = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """The plan `run` will use, on the providers usable now, and what keys would buy.

    Which model touches each shot at each stage, why, at what cost and time.
    """
    from shotrelay.api import fit_route_to_deadline, route_file, what_keys_would_buy
    from shotrelay.present import route_report
    from shotrelay.schedule.deadline import parse_deadline

    files = catalog or []
    plan_ = route_file(
        project,
        budget_usd=budget,
        preset=preset,
        available_only=not all_providers,
        catalog_files=files,
        priors_only=priors_only,
    )
    offer = None
    if not all_providers:
        offer = what_keys_would_buy(
            project,
            plan_,
            budget_usd=budget,
            preset=preset,
            catalog_files=files,
            priors_only=priors_only,
        )
    fitted = None
    if deadline is not None:
        when = parse_deadline(deadline)
        fitted = fit_route_to_deadline(project, plan_, when, catalog_files=files)
        plan_ = fitted.plan
    if as_json:
        extra = {"deadline": fitted.summary()} if fitted else {}
        keyed = {"with_keys": offer.model_dump(mode="json")} if offer else {}
        print_json({**plan_.to_json(), **extra, **keyed})
        return
    route_report(out, plan_)
    for line in fitted.forecast_lines() if fitted else []:
        out.print(line, highlight=False)
    if offer is not None:
        print_key_offer(out, offer)


@app.command()
@friendly
def models(
    task: Annotated[Task | None, typer.Option(help="Only models doing this task.")] = None,
    provider: Annotated[str | None, typer.Option(help="Only this provider's models.")] = None,
    sources: Annotated[
        bool, typer.Option("--sources", help="Where each price, latency and score came from.")
    ] = False,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """List the catalog's models (with --sources: where their figures came from)."""
    from shotrelay.catalog import load_catalog, model_rows
    from shotrelay.catalog.listing import source_rows
    from shotrelay.present import models_table

    listing = source_rows if sources else model_rows
    rows = listing(load_catalog(catalog or []), task=task, provider=provider)
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    out.print(models_table(rows, width=out.width))


@app.command()
@friendly
def rephrase(
    instruction: Annotated[str, typer.Argument(help="A rough instruction, in your words.")],
    stage: Annotated[Stage, typer.Option(help="Stage the prompt is for.")] = Stage.GENERATE,
    model: Annotated[str, typer.Option(help="Catalog id of the target model.")] = "local-camera",
    planner: Annotated[
        str | None,
        typer.Option(
            help="Read the instruction with a language model: openai, anthropic, gemini or "
            "ollama[:model] (the rules read it when that fails). Default: the rules."
        ),
    ] = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Rewrite a rough instruction into a model's prompt for a stage."""
    from shotrelay import api

    compiled = api.rephrase(
        instruction, stage=stage, model=model, planner=planner, catalog_files=catalog or []
    )
    if as_json:
        print_json(compiled.model_dump(mode="json"))
        return
    out.print(compiled.text, highlight=False)
    if stage is Stage.TTS and compiled.parts.get("voice"):
        out.print(f"[dim]voice:[/] {compiled.parts['voice']}", highlight=False)
    if compiled.negative:
        out.print(f"[dim]negative:[/] {compiled.negative}", highlight=False)
    if compiled.truncated:
        err.print(f"note: shortened to the {compiled.dialect} dialect's length limit")
    if planner and compiled.parts.get("read_by", "").startswith("rules ("):
        err.print(f"note: read by the {compiled.parts['read_by']}", highlight=False)
