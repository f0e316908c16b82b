"""``shotrelay catalog check``: the catalog against the providers' own model and price lists."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from shotrelay._cli.app import CatalogOpt, JsonOpt, PlainGroup, app, friendly, out, print_json

catalog_app = typer.Typer(
    cls=PlainGroup,
    help="Check the model catalog against the providers.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("check")
@friendly
def check(
    provider: Annotated[str | None, typer.Option(help="Only this provider's models.")] = None,
    as_json: JsonOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """Compare catalog prices and model ids with what the providers answer (needs their
    keys; only reads, never bills). Exit code 1 when there are differences."""
    from shotrelay.api import catalog_check

    result = catalog_check(provider=provider, catalog_files=catalog or [])
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        if result.differences:
            table = Table("model", "field", "catalog", "provider says", title="Differences")
            for d in result.differences:
                table.add_row(d.model, d.field, d.catalog, d.provider_says)
            out.print(table)
        else:
            out.print("No differences in what could be checked.", highlight=False)
        table = Table("provider", "models", "checked", "what, or why not", title="Providers")
        for p in result.providers:
            table.add_row(p.provider, str(p.models), "yes" if p.checked else "no", p.detail)
        out.print(table)
    if result.differences:
        raise typer.Exit(1)
