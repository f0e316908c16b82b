"""A project's files as MCP resources: the project file, the route the last run executed,
the manifest and the final cut's path. ``{+project}`` is read like a tool's project argument,
relative to the server's root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

from shotrelay import api
from shotrelay.agent.guard import Redactor
from shotrelay.agent.root import Root
from shotrelay.errors import ShotrelayError

__all__ = ["RESOURCES", "register_resources"]

#: URI template -> (name, MIME type, description).
RESOURCES: dict[str, tuple[str, str, str]] = {
    "shotrelay://project/{+project}": (
        "project",
        "application/yaml",
        "The project file (brief, format, shots).",
    ),
    "shotrelay://route/{+project}": (
        "route",
        "application/json",
        "The route the last run executed: per shot and stage the model, cost and reasons.",
    ),
    "shotrelay://manifest/{+project}": (
        "manifest",
        "application/json",
        "The last run's manifest: every shot's takes, models, prompts, seeds and costs.",
    ),
    "shotrelay://final/{+project}": (
        "final",
        "text/plain",
        "The final cut's path (an MP4 on this machine).",
    ),
}


def register_resources(server: MCPServer, root: Root, redactor: Redactor) -> None:
    """Add the project resources to ``server``."""

    def read(kind: str, project: str) -> str:
        try:
            where = api.paths(root.project(project))
        except ShotrelayError as exc:
            raise ResourceNotFoundError(redactor.text(str(exc))) from None
        path: Path = {
            "project": where.project_file,
            "route": where.route,
            "manifest": where.manifest,
            "final": where.final,
        }[kind]
        if not path.is_file():
            raise ResourceError(_missing(kind, path, project))
        if kind == "final":
            return str(path)
        return redactor.text(path.read_text(encoding="utf-8"))

    for uri, (kind, mime, description) in RESOURCES.items():
        server.resource(uri, name=kind, mime_type=mime, description=description)(
            _reader(read, kind)
        )


def _reader(read: Callable[[str, str], str], kind: str) -> Callable[[str], str]:
    def resource(project: str) -> str:
        return read(kind, project)

    resource.__name__ = f"{kind}_resource"
    return resource


def _missing(kind: str, path: Path, project: str) -> str:
    if kind == "final":
        return (
            f"no final cut yet ({path}); call run with project={project!r} "
            "(and approve at the gate) until it reports done"
        )
    return f"no {kind} yet ({path}); call run with project={project!r} first"
