"""Commands on judged takes and what the router learns: rate, learn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shotrelay._cli.app import JsonOpt, ProjectArg, app, friendly, out, print_json
from shotrelay.errors import SpecError


@app.command()
@friendly
def rate(
    project: ProjectArg,
    shot: Annotated[str, typer.Argument(help="Shot id.")],
    take_or_stars: Annotated[int, typer.Argument(metavar="[TAKE] STARS", help="1-5.")],
    stars: Annotated[int | None, typer.Argument(show_default=False)] = None,
    note: Annotated[str, typer.Option(help="What was good or wrong.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Rate a take 1-5 (the take in the cut unless TAKE is given); the router learns from it."""
    from shotrelay.api import rate as api_rate

    take, n = (None, take_or_stars) if stars is None else (take_or_stars, stars)
    rating = api_rate(project, shot, n, take, note=note)
    if as_json:
        print_json(rating.model_dump(mode="json"))
        return
    judged = f"judged {rating.score:.2f}" if rating.score is not None else "not judged"
    out.print(
        f"{rating.shot_id} take {rating.take} ({rating.model}, {rating.role}): "
        f"{rating.stars}/5 recorded; {judged}",
        highlight=False,
    )


@app.command()
@friendly
def learn(
    export: Annotated[
        Path | None, typer.Option("--export", help="Write your outcomes to this file.")
    ] = None,
    import_: Annotated[
        Path | None, typer.Option("--import", help="Add a teammate's outcomes file.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show what the router has learned from judged and rated takes; share it."""
    from shotrelay.api import learn_export, learn_import, learned

    if export is not None and import_ is not None:
        raise SpecError("pass --export or --import, not both", fix="run the command twice")
    if export is not None:
        out.print(f"{learn_export(export)} outcomes written to {export}", highlight=False)
        return
    if import_ is not None:
        out.print(f"{learn_import(import_)} new outcomes added from {import_}", highlight=False)
        return
    posteriors = sorted(learned().table.values(), key=lambda p: (p.model, p.shot_class, p.axis))
    if as_json:
        print_json([p.__dict__ for p in posteriors])
        return
    if not posteriors:
        out.print("nothing learned yet: the router uses the catalog's priors", highlight=False)
    for p in posteriors:
        out.print(f"{p.model}: {p.reason()}", highlight=False)
