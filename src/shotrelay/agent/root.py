"""The folder an agent works in: project arguments are read against it, never outside it."""

from __future__ import annotations

from pathlib import Path

from shotrelay import api
from shotrelay.errors import SpecError

__all__ = ["Root"]


class Root:
    """Resolves the paths a tool is given; a path that leaves the folder is refused."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder).resolve()

    def inside(self, given: str, *, field: str = "project") -> Path:
        """``given`` (relative to the root, or absolute within it) as an absolute path."""
        if not given.strip():
            raise SpecError(
                "no path given", field=field, fix="name a .yaml file or a folder under the root"
            )
        path = Path(given).expanduser()
        full = (path if path.is_absolute() else self.folder / path).resolve()
        if not full.is_relative_to(self.folder):
            raise SpecError(
                f"outside the folder this server works in ({self.folder})",
                file=given,
                field=field,
                fix="name a path under that folder, or start `shotrelay mcp --root` higher up",
            )
        return full

    def project(self, given: str) -> Path:
        """The project file ``given`` names: a .yaml file, a folder holding project.yaml, or a
        name whose .yaml exists."""
        file = api.find_project_file(self.inside(given))
        if not file.is_file():
            raise SpecError(
                "no such project",
                file=str(file),
                field="project",
                fix="call init to create one, or name an existing .yaml file or a folder "
                "holding project.yaml (paths are relative to the server's root)",
            )
        return file
