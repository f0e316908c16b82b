"""Where a project's state lives: journal, artifact store and outputs."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.errors import SpecError

__all__ = ["PROJECT_FILE", "Workspace", "project_file", "workspace_for"]

PROJECT_FILE = "project.yaml"


class Workspace(BaseModel):
    """The folder holding a project's journal.sqlite, store/ and out/."""

    model_config = ConfigDict(frozen=True)

    root: Path
    project_file: Path

    @property
    def journal(self) -> Path:
        """The SQLite journal."""
        return self.root / "journal.sqlite"

    @property
    def store(self) -> Path:
        """The content-addressed artifact store."""
        return self.root / "store"

    @property
    def out(self) -> Path:
        """Deliverables: animatic.mp4, final.mp4 (or partial.mp4), manifest.json."""
        return self.root / "out"

    @property
    def pieces(self) -> Path:
        """The cut's cached pieces: each shot conformed, each transition rendered."""
        return self.root / "pieces"

    @property
    def scratch(self) -> Path:
        """Downloads in progress (emptied after each run)."""
        return self.root / "scratch"

    @property
    def animatic(self) -> Path:
        """The structure-gate animatic."""
        return self.out / "animatic.mp4"

    @property
    def final(self) -> Path:
        """The finished cut."""
        return self.out / "final.mp4"

    @property
    def partial(self) -> Path:
        """The cut of the shots that finished when some did not (never called final.mp4)."""
        return self.out / "partial.mp4"

    @property
    def route(self) -> Path:
        """The route plan the last run executed (after any deadline trades)."""
        return self.out / "route.json"

    @property
    def route_digests(self) -> Path:
        """What each shot of that route depended on (see engine/keep.py)."""
        return self.out / "route-shots.json"

    @property
    def manifest(self) -> Path:
        """What made every shot: models, prompts, seeds, costs, artifacts, events."""
        return self.out / "manifest.json"

    def create(self) -> Workspace:
        """Make the folders; returns self."""
        self.store.mkdir(parents=True, exist_ok=True)
        self.out.mkdir(parents=True, exist_ok=True)
        return self


def project_file(path: Path | str) -> Path:
    """The project file for a path: the file itself, or ``project.yaml`` in a folder."""
    path = Path(path)
    if path.is_dir():
        candidate = path / PROJECT_FILE
        if not candidate.is_file():
            raise SpecError(
                f"no {PROJECT_FILE} in this folder",
                file=str(path),
                fix=f"run `shotrelay init {path}` or pass the project's .yaml file",
            )
        return candidate
    if not path.exists() and path.suffix == "" and path.with_suffix(".yaml").is_file():
        return path.with_suffix(".yaml")
    return path


def workspace_for(path: Path | str, workdir: Path | str | None = None) -> Workspace:
    """``dir/name.yaml`` -> ``dir/.shotrelay/name/``; a folder -> ``folder/.shotrelay/``.

    ``workdir`` overrides the location.
    """
    file = project_file(path)
    if workdir is not None:
        root = Path(workdir)
    elif file.name == PROJECT_FILE:
        root = file.parent / ".shotrelay"
    else:
        root = file.parent / ".shotrelay" / file.stem
    return Workspace(root=root, project_file=file)
