"""The command line: each command is one library call plus presentation."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from shotrelay.errors import ShotrelayError
from shotrelay.spec.vocabulary import Stage, Task

app = typer.Typer(
    name="shotrelay",
    help="Route AI video production across specialised models: plan, route, run, cut.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")

ProjectArg = Annotated[
    Path, typer.Argument(help="Project file (.yaml) or a folder holding project.yaml.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalog", help="Extra catalog file adding or overriding models."),
]
DeadlineOpt = Annotated[
    str | None,
    typer.Option(
        "--deadline",
        help="ISO date-time or a duration from now (6h, 90m, 1h30m): predict the finish, "
        "trade quality to meet it.",
    ),
]
WaitOpt = Annotated[
    bool,
    typer.Option(
        "--wait", help="If another shotrelay process is running this project, wait for it."
    ),
]


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Show ShotrelayError as a message on stderr with exit code 2; never a traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ShotrelayError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted: state is journalled; run the same command to resume")
            raise typer.Exit(130) from None

    return wrapper


def _say_waiting(line: str) -> None:
    err.print(line, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Write JSON to stdout (no colour, no wrapping)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


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
    budget: Annotated[
        float | None, typer.Option("--budget", help="Budget cap in USD (overrides the file).")
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="Routing preset: balanced, quality, cheap, fast, previs.")
    ] = None,
    available_only: Annotated[
        bool,
        typer.Option("--available-only", help="Only providers usable now (keys set, local)."),
    ] = False,
    deadline: DeadlineOpt = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Which model touches each shot at each stage, why, at what cost and time."""
    from shotrelay.api import fit_route_to_deadline, route_file
    from shotrelay.present import route_report
    from shotrelay.schedule.deadline import parse_deadline

    plan_ = route_file(
        project,
        budget_usd=budget,
        preset=preset,
        available_only=available_only,
        catalog_files=catalog or [],
    )
    fitted = None
    if deadline is not None:
        when = parse_deadline(deadline)
        fitted = fit_route_to_deadline(project, plan_, when, catalog_files=catalog or [])
        plan_ = fitted.plan
    if as_json:
        print_json({**plan_.to_json(), **({"deadline": fitted.summary()} if fitted else {})})
        return
    route_report(out, plan_)
    for line in fitted.forecast_lines() if fitted else []:
        out.print(line, highlight=False)


@app.command()
@friendly
def models(
    task: Annotated[Task | None, typer.Option(help="Only models doing this task.")] = None,
    provider: Annotated[str | None, typer.Option(help="Only this provider's models.")] = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """List the catalog's models."""
    from shotrelay.catalog import load_catalog, model_rows
    from shotrelay.present import models_table

    rows = model_rows(load_catalog(catalog or []), task=task, provider=provider)
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    out.print(models_table(rows))


@app.command()
@friendly
def rephrase(
    instruction: Annotated[str, typer.Argument(help="A rough instruction, in your words.")],
    stage: Annotated[Stage, typer.Option(help="Stage the prompt is for.")] = Stage.GENERATE,
    model: Annotated[str, typer.Option(help="Catalog id of the target model.")] = "local-camera",
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Rewrite a rough instruction into a model's prompt for a stage."""
    from shotrelay.catalog import load_catalog
    from shotrelay.prompts import rephrase as do_rephrase

    compiled = do_rephrase(instruction, stage, load_catalog(catalog or []).get(model))
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


@app.command()
@friendly
def run(
    project: ProjectArg,
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Pass the structure gate without `approve`.")
    ] = False,
    resubmit_unknown: Annotated[
        bool,
        typer.Option(
            "--resubmit-unknown",
            help=(
                "Submit again the paid jobs whose outcome is unknown (after checking the "
                "provider's dashboard: this may pay twice); `status` lists them."
            ),
        ),
    ] = False,
    takes: Annotated[int | None, typer.Option(help="Takes per shot (overrides the file).")] = None,
    deadline: DeadlineOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    as_json: JsonOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Animatic first, then (after approval) generation, finishing and the cut."""
    from shotrelay.api import find_project_file
    from shotrelay.progress import RunView
    from shotrelay.relay import run as engine_run
    from shotrelay.relay.uploads import describe_uploads
    from shotrelay.schedule.deadline import parse_deadline

    with RunView(out, show=not (quiet or as_json)) as view:
        result = engine_run(
            find_project_file(project),
            auto_approve=auto_approve,
            resubmit_unknown=resubmit_unknown,
            takes=takes,
            on_event=view if view.show else None,
            deadline=parse_deadline(deadline) if deadline is not None else None,
            wait=wait,
        )
    if as_json:
        print_json(result.model_dump(mode="json", exclude={"plan"}))
    else:
        if result.status == "awaiting_approval":
            for line in describe_uploads(result.uploads):
                out.print(line, highlight=False)
        out.print(result.message, highlight=False, soft_wrap=True)
        for line in (result.deadline or {}).get("lines", []) if quiet else []:
            out.print(line, highlight=False)
        for name in ("animatic", "final", "partial", "manifest"):
            path = getattr(result, name)
            if path:
                out.print(f"{name}: {path}", highlight=False)
    if result.status == "incomplete":
        raise typer.Exit(1)


@app.command()
@friendly
def studio(
    projects: Annotated[
        list[Path], typer.Argument(help="Project files (or folders) to run together.")
    ],
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Pass every structure gate without `approve`.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    as_json: JsonOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Run several projects at once sharing the providers: earliest deadline, then priority."""
    from shotrelay.api import find_project_file
    from shotrelay.progress import RunView
    from shotrelay.relay.studio import run_studio_projects

    files = [find_project_file(p) for p in projects]
    show = not (quiet or as_json)
    results = run_studio_projects(
        files,
        auto_approve=auto_approve,
        on_event_for=lambda name: RunView(out, prefix=name) if show else None,
        wait=wait,
        on_wait=_say_waiting,
    )
    rows: list[dict[str, Any]] = []
    for file, result in zip(files, results, strict=True):
        if isinstance(result, ShotrelayError):
            rows.append({"project": str(file), "status": "error", "message": str(result)})
        else:
            rows.append({"project": str(file), **result.model_dump(mode="json", exclude={"plan"})})
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            out.print(f"{row['project']}: {row['status']}: {row['message']}", highlight=False)
            for line in (row.get("deadline") or {}).get("lines", []):
                out.print(f"  {line}", highlight=False)
    if any(r["status"] == "error" for r in rows):
        raise typer.Exit(2)
    if any(r["status"] == "incomplete" for r in rows):
        raise typer.Exit(1)


@app.command()
@friendly
def approve(project: ProjectArg, wait: WaitOpt = False) -> None:
    """Lock the structure (shots, order, durations, framing, moves, transitions)."""
    from shotrelay.api import find_project_file
    from shotrelay.relay import approve as engine_approve

    message = engine_approve(find_project_file(project), wait=wait, on_wait=_say_waiting)
    out.print(message, highlight=False)


@app.command()
@friendly
def redo(
    project: ProjectArg,
    shot: Annotated[str, typer.Argument(help="Shot id.")],
    stage: Annotated[Stage | None, typer.Option(help="Stage to redo (default: all).")] = None,
    wait: WaitOpt = False,
) -> None:
    """Redo one shot (at one stage) and what depends on it; nothing else reruns."""
    from shotrelay.api import find_project_file
    from shotrelay.progress import RunView
    from shotrelay.relay import redo as engine_redo

    with RunView(out) as view:
        result = engine_redo(find_project_file(project), shot, stage, on_event=view, wait=wait)
    out.print(result.message, highlight=False, soft_wrap=True)
    if result.status == "incomplete":
        raise typer.Exit(1)


@app.command()
@friendly
def pick(
    project: ProjectArg,
    shot: Annotated[str, typer.Argument(help="Shot id.")],
    take: Annotated[int, typer.Argument(help="Take number to use in the cut.")],
    wait: WaitOpt = False,
) -> None:
    """Choose which take of a shot the cut uses."""
    from shotrelay.api import find_project_file
    from shotrelay.relay import pick as engine_pick

    message = engine_pick(find_project_file(project), shot, take, wait=wait, on_wait=_say_waiting)
    out.print(message, highlight=False)


@app.command()
@friendly
def abandon(
    project: ProjectArg,
    job: Annotated[
        str, typer.Argument(help="A stuck job's key (its first 6+ characters) or a shot id.")
    ],
    wait: WaitOpt = False,
) -> None:
    """Give up on a job whose submission's outcome is unknown: its shot falls back."""
    from shotrelay.api import find_project_file
    from shotrelay.relay.abandon import abandon as engine_abandon

    message = engine_abandon(find_project_file(project), job, wait=wait, on_wait=_say_waiting)
    out.print(message, highlight=False)


@app.command()
@friendly
def status(project: ProjectArg, as_json: JsonOpt = False) -> None:
    """Show the journal: jobs by state, money, approval, outputs, last events."""
    from shotrelay.api import find_project_file
    from shotrelay.relay import status as engine_status

    report = engine_status(find_project_file(project))
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    out.print(f"{report.project}: {report.workspace}", highlight=False)
    out.print(f"jobs: {report.jobs}", highlight=False)
    out.print(f"cost: ${report.reserved_usd:.2f} reserved, ${report.actual_usd:.2f} actual")
    out.print(f"structure approved: {report.approved}")
    for name, path in report.outputs.items():
        out.print(f"{name}: {path or '-'}", highlight=False)
    for row in report.stuck:
        why = row.error_message or "left in flight by an earlier run; `shotrelay run` resumes it"
        out.print(
            f"[bold]needs you[/]: job {row.key[:12]} ({row.shot_id} {row.stage}, "
            f"{row.model}, {row.state.value}): {why}",
            highlight=False,
        )
    for ev in report.events:
        out.print(f"[dim]{ev}[/]", highlight=False)


def _register_stage_commands() -> None:
    """Commands that live with their stage (report, providers) add themselves here."""
    from shotrelay.providers.commands import register as providers_commands
    from shotrelay.report.commands import register as report_commands

    providers_commands(app, friendly)
    report_commands(app, friendly)


_register_stage_commands()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
