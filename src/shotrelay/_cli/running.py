"""Commands that run a project or act on it between runs: run, studio, approve, redo, pick,
abandon, status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from shotrelay._cli.app import (
    DeadlineOpt,
    JsonOpt,
    ProjectArg,
    WaitOpt,
    app,
    friendly,
    out,
    print_json,
    say_waiting,
)
from shotrelay.errors import ShotrelayError
from shotrelay.spec.vocabulary import Stage


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
    priors_only: Annotated[
        bool, typer.Option("--priors-only", help="Route on catalog priors, not learned scores.")
    ] = False,
    judge_with: Annotated[
        str | None,
        typer.Option(
            "--judge-with",
            help="Also judge every take with a vision LLM: openai, anthropic, gemini or "
            "ollama, optionally name:model (off by default; costs one call per take).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    wait: WaitOpt = False,
) -> None:
    """Animatic first, then (after approval) generation, finishing and the cut."""
    from shotrelay.api import find_project_file, visual_judge
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
            priors_only=priors_only,
            vlm=visual_judge(judge_with) if judge_with else None,
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
    """Show the journal: jobs by state, money, approval, outputs, last events."""
    from shotrelay.api import find_project_file
    from shotrelay.relay import status as engine_status

    report = engine_status(find_project_file(project))
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    from datetime import datetime

    out.print(f"{report.project}: {report.workspace}", highlight=False)
    counts = ", ".join(f"{n} {state}" for state, n in sorted(report.jobs.items())) or "none yet"
    out.print(f"jobs: {counts}", highlight=False)
    out.print(f"cost: ${report.reserved_usd:.2f} reserved, ${report.actual_usd:.2f} actual")
    out.print(f"structure approved: {'yes' if report.approved else 'no'}")
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
        when = datetime.fromtimestamp(ev.at).strftime("%Y-%m-%d %H:%M:%S")
        where = " ".join(x for x in (ev.shot_id, ev.stage) if x and x != "*")
        out.print(
            f"[dim]{when} {ev.kind}{' ' + where if where else ''}: {ev.message}[/]",
            highlight=False,
        )
