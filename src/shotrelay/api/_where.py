"""Where a project's files are, and the API keys a tool's answer must never show."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.api._project import find_project_file
from shotrelay.engine.workspace import workspace_for

__all__ = ["ProjectPaths", "key_names", "paths", "redact_keys"]


class ProjectPaths(BaseModel):
    """A project's files, whether or not a run has made them yet."""

    model_config = ConfigDict(frozen=True)

    project_file: Path
    workspace: Path
    route: Path
    manifest: Path
    animatic: Path
    final: Path
    partial: Path


def paths(project: Path | str) -> ProjectPaths:
    """The project file, its workspace and the files a run writes there (nothing is created)."""
    ws = workspace_for(find_project_file(project))
    return ProjectPaths(
        project_file=ws.project_file,
        workspace=ws.root,
        route=ws.route,
        manifest=ws.manifest,
        animatic=ws.animatic,
        final=ws.final,
        partial=ws.partial,
    )


def key_names() -> list[str]:
    """The environment variables that hold API keys: each installed provider's and planner's,
    and each catalog model's (names only, never values)."""
    from shotrelay.catalog import load_catalog
    from shotrelay.plan.registry import get_planner, planner_names
    from shotrelay.providers.registry import load_providers

    found: list[object] = [getattr(p, "key_env", None) for p in load_providers().values()]
    for name in planner_names():
        try:
            found.append(getattr(get_planner(name), "key_env", None))
        except Exception:  # a broken planner plug-in is doctor's to report, not ours
            continue
    found.extend(env for model in load_catalog().models for env in model.env)
    return sorted({n for n in found if isinstance(n, str) and n})


def redact_keys(text: str, names: Iterable[str] | None = None) -> str:
    """``text`` with the value of every API key this machine has (environment or ``.env``)
    masked; ``names`` defaults to :func:`key_names`."""
    from shotrelay.providers.credentials import Credentials, redact

    credentials = Credentials()
    return redact(text, [credentials.get(n) for n in (key_names() if names is None else names)])
