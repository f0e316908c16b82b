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
from typer.core import TyperArgument, TyperGroup

from shotrelay.errors import ShotrelayError

#: typer's type labels (``<bool>``, ``<list[Path]>``) as the words help shows instead
_WORDS = {
    "bool": "",
    "int": "N",
    "int range": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "str": "TEXT",
    "path": "FILE",
    "list[Path]": "FILE",
    "list[str]": "TEXT",
}


def _plain_words(command: Any, ctx: Any) -> None:
    """Give each option and argument of ``command`` that names no metavar a plain word."""
    helper = command.get_help_option(ctx)
    for param in [*command.params, *([helper] if helper is not None else [])]:
        if isinstance(param, TyperArgument):
            label = param.display_type(ctx).strip("<>")
            word = _WORDS.get(label, label)
            # an argument's type column ignores its metavar: say the word there too
            setattr(param, "display_type_rich", lambda ctx, word=word: word)  # noqa: B010
            if param.metavar is None and param.name:
                param.metavar = param.name.upper()
        elif param.metavar is None:
            flag = getattr(param, "is_flag", False)
            label = "" if flag else param.display_type(ctx).strip("<>")
            param.metavar = _WORDS.get(label, label)


class PlainGroup(TyperGroup):
    """The command group whose help says FILE, N, USD or nothing for a flag, never
    ``<bool>`` or ``<list[Path]>``."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, its parameters given plain words."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_words(command, ctx)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's own help (``--version``, ``--help``) in plain words too."""
        _plain_words(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    name="shotrelay",
    cls=PlainGroup,
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
    Path,
    typer.Argument(
        metavar="PROJECT", help="Project file (.yaml) or a folder holding project.yaml."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog", metavar="FILE", help="Extra catalog file adding or overriding models."
    ),
]
DeadlineOpt = Annotated[
    str | None,
    typer.Option(
        "--deadline",
        metavar="WHEN",
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
