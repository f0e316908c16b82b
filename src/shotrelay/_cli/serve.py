"""`shotrelay serve`: the browser review studio (docs/studio.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shotrelay._cli.app import app, friendly, out


@app.command("serve")
@friendly
def serve(
    projects: Annotated[
        list[Path],
        typer.Argument(help="Project files (.yaml) or folders holding project.yaml."),
    ],
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; anything but loopback needs a token."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="Token every change must carry (generated and printed when not given).",
            envvar="SHOTRELAY_STUDIO_TOKEN",
        ),
    ] = None,
) -> None:
    """Review and steer productions in a browser: boards, the gate, takes, cuts."""
    from shotrelay.web import is_loopback
    from shotrelay.web import serve as run_server
    from shotrelay.web.security import new_token

    if token is None and not is_loopback(host):
        token = new_token()
        out.print(f"studio token (give it to the people you invite): {token}", highlight=False)
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    if not is_loopback(host):
        where += f"?token={token}"
    out.print(f"shotrelay studio at {where}  (Ctrl-C stops it)", highlight=False)
    run_server(projects, host=host, port=port, token=token)
