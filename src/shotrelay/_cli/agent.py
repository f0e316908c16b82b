"""`shotrelay mcp`: the agent interface, an MCP server over stdio (docs/agents.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shotrelay._cli.app import app, err, friendly
from shotrelay.errors import SpecError


@app.command("mcp")
@friendly
def mcp(
    root: Annotated[
        Path,
        typer.Option("--root", help="Folder whose projects the tools may touch (default: here)."),
    ] = Path("."),
    http: Annotated[
        bool,
        typer.Option("--http", help="Serve streamable HTTP on loopback instead of stdio."),
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Loopback address for --http.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port for --http.")] = 8766,
) -> None:
    """Serve the production to an AI agent as MCP tools and resources (stdio by default)."""
    import os

    from shotrelay.agent import serve

    # Work in the root, as a person would: its .env holds the keys, relative paths start there.
    root = root.resolve()
    if not root.is_dir():
        raise SpecError("no such folder", file=str(root), fix="pass an existing folder to --root")
    os.chdir(root)

    def listening(url: str) -> None:  # on stderr: on stdio, stdout is the protocol
        err.print(f"shotrelay MCP server at {url}  (Ctrl-C stops it)", highlight=False)

    serve(root, transport="http" if http else "stdio", host=host, port=port, on_listen=listening)
