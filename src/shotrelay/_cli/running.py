"""Commands that run a project or act on it between runs: run, studio, approve, redo, pick,
abandon, status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from shotrelay._cli.app import (
    BudgetOpt,
    CatalogOpt,
    DeadlineOpt,
    JsonOpt,
    PresetOpt,
    PriorsOpt,
    ProjectArg,
    WaitOpt,
    app,
    friendly,
    out,
    print_json,
    say_waiting,
)
from shotrelay._cli.views import GATE_EXIT, gate_outcome, print_status, spent_line
from shotrelay.errors import ShotrelayError
from shotrelay.spec.vocabulary import Stage


@app.command(
    epilog=(
        f"Exit codes: 0 done; 1 incomplete (some shots missing); 2 error; {GATE_EXIT} waiting "
        "at the structure gate for `shotrelay approve`; 130 interrupted."
    )
)
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
    takes: Annotated[
        int | None, typer.Option(metavar="N", help="Takes per shot (overrides the file).")
    ] = None,
    budget: BudgetOpt = None,
    preset: PresetOpt = None,
    catalog: CatalogOpt = None,
    deadline: DeadlineOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    priors_only: PriorsOpt = False,
    judge_with: Annotated[
        str | None,
        typer.Option(
            "--judge-with",
            metavar="PLANNER",
            help="Also judge every take with a vision LLM: openai, anthropic, gemini or "
            "ollama, optionally name:model (off by default; costs one call per take).",
        ),
    ] = None,
    retakes: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=3,
            metavar="N",
            help="Rounds of new takes for a shot whose every take fails hard QC, within "
            "the budget (overrides the file's retakes; 0 flags such a shot for you).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Animatic first, then (after approval) generation, finishing and the cut.

    Routed as `route` shows it (same --budget, --preset, --catalog, --deadline).
    """
    from shotrelay.api import find_project_file, run_project
    from shotrelay.api import status as api_status
    from shotrelay.progress import RunView
    from shotrelay.relay.uploads import describe_uploads
    from shotrelay.schedule.deadline import parse_deadline

    file = find_project_file(project)
    due = parse_deadline(deadline) if deadline is not None else None  # before any workspace
    before = api_status(file).actual_usd
    with RunView(out, show=not (quiet or as_json)) as view:
        result = run_project(
            file,
            auto_approve=auto_approve,
            resubmit_unknown=resubmit_unknown,
            takes=takes,
            on_event=view,
            deadline=due,
            wait=wait,
            priors_only=priors_only,
            judge_with=judge_with,
            budget_usd=budget,
            preset=preset,
            catalog_files=catalog or [],
            retakes=retakes,
        )
    gate = gate_outcome(result, project, auto_approve)
    spent = spent_line(view.total.sentence(), before, result.actual_usd)
    if as_json:
        data = result.model_dump(mode="json", exclude={"plan"})
        print_json({**data, "gate": gate, "jobs": view.total.jobs, "summary": spent})
    else:
        if result.status == "awaiting_approval":
            for line in describe_uploads(result.uploads):
                out.print(line, highlight=False)
        out.print(gate, highlight=False, soft_wrap=True)
        out.print(spent, highlight=False)
        if result.status != "awaiting_approval":  # the gate line says what to do
            out.print(result.message, highlight=False, soft_wrap=True)
        for line in (result.deadline or {}).get("lines", []) if quiet else []:
            out.print(line, highlight=False)
        for name in ("animatic", "final", "partial", "manifest"):
            path = getattr(result, name)
            if path:
                out.print(f"{name}: {path}", highlight=False)
    if result.status == "awaiting_approval":
        raise typer.Exit(GATE_EXIT)
    if result.status == "incomplete":
        raise typer.Exit(1)


@app.command(
    epilog=f"Exit codes: 0 done; 1 a project incomplete; 2 an error; {GATE_EXIT} a project "
    "waiting at its structure gate."
)
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
        on_wait=say_waiting,
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
    if any(r["status"] == "awaiting_approval" for r in rows):
        raise typer.Exit(GATE_EXIT)


@app.command()
@friendly
def approve(project: ProjectArg, wait: WaitOpt = False) -> None:
    """Lock the structure (shots, order, durations, framing, moves, transitions)."""
    from shotrelay.api import find_project_file
    from shotrelay.relay import approve as engine_approve

    message = engine_approve(find_project_file(project), wait=wait, on_wait=say_waiting)
    out.print(message, highlight=False)


@app.command()
@friendly
def redo(
    project: ProjectArg,
    shot: Annotated[str, typer.Argument(help="Shot id.")],
    stage: Annotated[
        Stage | None, typer.Option(help="Stage to redo (default: every stage of the shot).")
    ] = None,
    wait: WaitOpt = False,
) -> None:
    """Redo one shot (at one stage) and what depends on it; nothing else reruns."""
    from shotrelay.api import redo as api_redo
    from shotrelay.progress import RunView

    with RunView(out) as view:
        result = api_redo(project, shot, stage, on_event=view, wait=wait)
    if result.status == "awaiting_approval":
        out.print(gate_outcome(result, project, False), highlight=False, soft_wrap=True)
        raise typer.Exit(GATE_EXIT)
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

    message = engine_pick(find_project_file(project), shot, take, wait=wait, on_wait=say_waiting)
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

    message = engine_abandon(find_project_file(project), job, wait=wait, on_wait=say_waiting)
    out.print(message, highlight=False)


@app.command()
@friendly
def status(project: ProjectArg, as_json: JsonOpt = False) -> None:
    """Show the journal: jobs by state, money, approval, outputs, last events (local time)."""
    from shotrelay.api import status as api_status

    report = api_status(project)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    print_status(out, report)
