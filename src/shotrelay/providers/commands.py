"""Command-line commands of this stage, registered on the main app by ``shotrelay.cli``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["register"]


def register(app: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    """Add this stage's commands to ``app``; wrap each in ``friendly`` for clean errors."""

    @app.command()
    @friendly
    def doctor(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    ) -> None:
        """Which providers are usable and why not (key names, never values); local engines."""
        from shotrelay.providers.doctor import diagnose

        found = diagnose()
        if as_json:
            sys.stdout.write(json.dumps(found.model_dump(mode="json"), indent=2) + "\n")
            return
        out = Console()
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
