"""The terminal app: the typer application, shared options and how errors and JSON are shown."""

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

app = typer.Typer(
    name="shotrelay",
    help="Route AI video production across specialised models: plan, route, run, cut.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("shotrelay")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown (not installed)"
        out.print(f"shotrelay {number}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Route AI video production across specialised models: plan, route, run, cut."""


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
BudgetOpt = Annotated[
    float | None,
    typer.Option("--budget", metavar="USD", help="Budget cap in USD (overrides the file)."),
]
PresetOpt = Annotated[
    str | None,
    typer.Option(metavar="NAME", help="Routing preset: balanced, quality, cheap, fast, previs."),
]
PriorsOpt = Annotated[
    bool, typer.Option("--priors-only", help="Route on catalog priors, not learned scores.")
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


def say_waiting(line: str) -> None:
    """Tell the person, on stderr, that a command waits for a project's lock."""
    err.print(line, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """Write JSON to stdout (no colour, no wrapping)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


__all__ = [
    "BudgetOpt",
    "CatalogOpt",
    "DeadlineOpt",
    "JsonOpt",
    "PresetOpt",
    "PriorsOpt",
    "ProjectArg",
    "WaitOpt",
    "app",
    "err",
    "friendly",
    "out",
    "print_json",
    "say_waiting",
]
