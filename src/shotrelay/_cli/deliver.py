"""Commands that read what a run made, and the machine: report, export, contact-sheet, doctor."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shotrelay._cli.app import JsonOpt, ProjectArg, app, friendly, out, print_json


class ExportChoice(StrEnum):
    """What `shotrelay export --format` writes."""

    OTIO = "otio"
    FCPXML = "fcpxml"
    EDL = "edl"
    ALL = "all"


def _done(paths: dict[str, Path], as_json: bool) -> None:
    if as_json:
        print_json({k: str(v) for k, v in paths.items()})
        return
    for name, path in paths.items():
        out.print(f"{name}: {path}", highlight=False)


@app.command("report")
@friendly
def report(
    project: ProjectArg,
    to: Annotated[
        Path | None, typer.Option("--out", help="HTML file (default: out/report.html).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write a self-contained HTML report: storyboard, routing, schedule, provenance."""
    from shotrelay import api

    _done({"report": api.report(project, out=to)}, as_json)


@app.command("export")
@friendly
def export(
    project: ProjectArg,
    fmt: Annotated[
        ExportChoice, typer.Option("--format", help="otio, fcpxml (FCP 7 XML), edl or all.")
    ] = ExportChoice.ALL,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="Folder (default: the workspace out/).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Hand the final cut to an editor: OpenTimelineIO, FCP XML and CMX 3600 EDL."""
    from shotrelay import api
    from shotrelay.edit.export import ExportFormat

    everything: list[ExportFormat] = ["otio", "fcpxml", "edl"]
    formats = [f for f in everything if fmt in (ExportChoice.ALL, f)]
    written = api.export(project, formats, out_dir=out_dir)
    _done({str(k): v for k, v in written.items()}, as_json)


@app.command("contact-sheet")
@friendly
def contact_sheet(
    project: ProjectArg,
    to: Annotated[
        Path | None, typer.Option("--out", help="PNG file (default: out/contact-sheet.png).")
    ] = None,
    columns: Annotated[int, typer.Option(min=1, max=12, help="Shots per row.")] = 4,
    as_json: JsonOpt = False,
) -> None:
    """Write a PNG grid with a frame of every shot, labelled with id and duration."""
    from shotrelay import api

    _done({"contact-sheet": api.contact_sheet(project, out=to, columns=columns)}, as_json)


@app.command()
@friendly
def doctor(as_json: JsonOpt = False) -> None:
    """Which providers are usable and why not (key names, never values); local engines."""
    from shotrelay import api

    found = api.doctor()
    if as_json:
        print_json(found.model_dump(mode="json"))
        return
    table = Table("provider", "usable", "why", "set", "models", title="providers")
    for p in found.providers:
        table.add_row(
            p.name,
            "[green]yes[/]" if p.usable else "[red]no[/]",
            p.reason,
            " ".join(p.missing_env) or "-",
            str(len(p.models)),
        )
    out.print(table)
    planners = Table("planner", "usable", "why", "set", title="planners (plan --planner)")
    for p in found.planners:
        planners.add_row(
            p.name,
            "[green]yes[/]" if p.usable else "[red]no[/]",
            p.reason,
            " ".join(p.missing_env) or "-",
        )
    out.print(planners)
    engines = Table("engine", "present", "detail", title="local engines")
    for e in found.engines:
        engines.add_row(e.name, "[green]yes[/]" if e.present else "[red]no[/]", e.detail)
    out.print(engines)
    out.print(f"usable: {', '.join(found.usable) or 'none'}", highlight=False)
