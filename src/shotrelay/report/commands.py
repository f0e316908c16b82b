"""Command-line commands of this stage, registered on the main app by ``shotrelay.cli``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["register"]

ProjectArg = Annotated[
    Path, typer.Argument(help="Project file (.yaml) or a folder holding project.yaml.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class ExportChoice(StrEnum):
    """What `shotrelay export --format` writes."""

    OTIO = "otio"
    FCPXML = "fcpxml"
    EDL = "edl"
    ALL = "all"


def _done(paths: dict[str, Path], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({k: str(v) for k, v in paths.items()}, indent=2) + "\n")
        return
    out = Console()
    for name, path in paths.items():
        out.print(f"{name}: {path}", highlight=False)


def register(app: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    """Add this stage's commands to ``app``; wrap each in ``friendly`` for clean errors."""

    @app.command("report")
    @friendly
    def report(
        project: ProjectArg,
        out: Annotated[
            Path | None, typer.Option("--out", help="HTML file (default: out/report.html).")
        ] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Write a self-contained HTML report: storyboard, routing, schedule, provenance."""
        from shotrelay.api import find_project_file
        from shotrelay.report.html import write_report

        _done({"report": write_report(find_project_file(project), out=out)}, as_json)

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
        from shotrelay.api import find_project_file
        from shotrelay.edit.export import ExportFormat, export_cut

        everything: list[ExportFormat] = ["otio", "fcpxml", "edl"]
        formats = [f for f in everything if fmt in (ExportChoice.ALL, f)]
        written = export_cut(find_project_file(project), formats, out_dir=out_dir)
        _done({str(k): v for k, v in written.items()}, as_json)

    @app.command("contact-sheet")
    @friendly
    def contact_sheet(
        project: ProjectArg,
        out: Annotated[
            Path | None, typer.Option("--out", help="PNG file (default: out/contact-sheet.png).")
        ] = None,
        columns: Annotated[int, typer.Option(min=1, max=12, help="Shots per row.")] = 4,
        as_json: JsonOpt = False,
    ) -> None:
        """Write a PNG grid with a frame of every shot, labelled with id and duration."""
        from shotrelay.api import find_project_file
        from shotrelay.report.contact import write_contact_sheet

        path = write_contact_sheet(find_project_file(project), out=out, columns=columns)
        _done({"contact-sheet": path}, as_json)
