"""The MCP server: shotrelay's production as tools and resources, over stdio or streamable
HTTP on loopback."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from mcp.server.mcpserver import MCPServer

from shotrelay.agent.guard import Redactor
from shotrelay.agent.resources import register_resources
from shotrelay.agent.root import Root
from shotrelay.agent.tools import register_tools
from shotrelay.errors import SpecError

__all__ = ["INSTRUCTIONS", "build_server", "serve"]

INSTRUCTIONS = """\
shotrelay plans, routes and runs an AI video production. Usual order: init (or use an existing
project file), plan, route, run. The first run renders a free local animatic; when the route
has paid stages it stops at the structure gate and says what it would spend. Paid generation
happens only after approve: call approve only when the person you work for has agreed to that
estimate. Then run again until it reports done; rate, pick, redo, report, export afterwards.
Project paths are relative to the server's root. Resources: shotrelay://project/{project},
shotrelay://route/{project}, shotrelay://manifest/{project}, shotrelay://final/{project}."""


def build_server(root: Path | str = ".", *, key_names: list[str] | None = None) -> MCPServer:
    """An MCP server whose tools and resources work on the projects under ``root``;
    ``key_names`` (default: every installed provider's and planner's) are kept out of
    every answer."""
    server: MCPServer = MCPServer(
        "shotrelay", instructions=INSTRUCTIONS, version=_version(), log_level="WARNING"
    )
    where = Root(root)
    redactor = Redactor(key_names)
    register_tools(server, where, redactor)
    register_resources(server, where, redactor)
    return server


def serve(
    root: Path | str = ".",
    *,
    transport: Literal["stdio", "http"] = "stdio",
    host: str = "127.0.0.1",
    port: int = 8766,
    on_listen: Callable[[str], None] | None = None,
) -> None:
    """Serve until the client goes away: stdio, or streamable HTTP on a loopback address
    (``on_listen`` is told its URL)."""
    if transport == "http" and not _loopback(host):
        raise SpecError(
            f"{host!r} is not a loopback address",
            file="--host",
            fix="use 127.0.0.1, ::1 or localhost: the tools act on this machine's files",
        )
    server = build_server(root)
    if transport == "stdio":
        server.run("stdio")
    else:
        if on_listen is not None:
            on_listen(f"http://{host if ':' not in host else f'[{host}]'}:{port}/mcp")
        server.run("streamable-http", host=host, port=port)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shotrelay")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
