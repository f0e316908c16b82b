"""How a run is wired: the project's workspace, the catalog and providers it uses, routing on
the usable providers, and the default prompt compiler, continuity packets and last frames."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.jobs import JobNode
from shotrelay.engine.journal import Journal
from shotrelay.engine.lock import ProjectLock
from shotrelay.engine.workspace import Workspace, workspace_for
from shotrelay.errors import EngineError, SpecError
from shotrelay.learn import Learned
from shotrelay.providers.base import Provider
from shotrelay.relay.compile import CompileFn, PacketLike
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.loader import load_project
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage

__all__ = [
    "CatalogLike",
    "catalog_or_builtin",
    "default_compile",
    "default_last_frame",
    "default_packets",
    "installed_providers",
    "locked_journal",
    "noter",
    "open_project",
    "recompiler",
    "route_available",
    "shot_of",
    "system_random",
]


class CatalogLike(Protocol):
    """What the engine reads from a catalog."""

    @property
    def models(self) -> list[ModelProfile]: ...


def noter(on_event: EventCallback | None) -> Callable[[str], None] | None:
    """A callback that tells ``on_event`` a note line, or None when nobody listens."""
    if on_event is None:
        return None
    return lambda line: on_event(EngineEvent(kind="note", message=line))


def open_project(project_path: Path | str, workdir: Path | str | None) -> tuple[Workspace, Project]:
    """The project's workspace (created) and its loaded project."""
    ws = workspace_for(project_path, workdir)
    project = load_project(ws.project_file)
    return ws.create(), project


def catalog_or_builtin(catalog: CatalogLike | None) -> CatalogLike:
    """The given catalog, else the built-in one with the user's overrides."""
    if catalog is not None:
        return catalog
    from shotrelay.catalog.loader import load_catalog

    return load_catalog()


def installed_providers() -> dict[str, Provider]:
    """The providers installed through entry points."""
    from shotrelay.providers.registry import load_providers

    return load_providers()


def route_available(
    project: Project,
    models: list[ModelProfile],
    providers: Mapping[str, Provider],
    *,
    learned: Learned | None = None,
) -> RoutePlan:
    """The project routed on the providers that are usable now (as ``run`` routes it), on
    ``learned`` posteriors when given."""
    from shotrelay.providers.registry import usable
    from shotrelay.route.router import route_project

    ready = usable(providers)
    if not ready:
        raise EngineError(
            "no provider is available, not even the local one; run `shotrelay doctor`"
        )
    return route_project(project, models, available=ready.__contains__, learned=learned)


def default_compile(
    stage: Stage, shot: Shot, project: Project, model: ModelProfile, packet: Any
) -> tuple[str, str]:
    """The prompt compiler's (prompt, negative) for a stage of a shot on a model."""
    from shotrelay.prompts.compiler import compile_prompt

    compiled = compile_prompt(stage, shot, project, model, packet)
    return compiled.text, compiled.negative


def default_packets(project: Project) -> Callable[[str], PacketLike]:
    """Continuity packets from the project's ledger."""
    from shotrelay.continuity.ledger import ContinuityLedger

    ledger = ContinuityLedger(project)
    return ledger.packet


def default_last_frame(video: Path, out_png: Path) -> Path:
    """The clip's last frame as a PNG (for a shot that continues the previous one)."""
    from shotrelay.media.frames import last_frame

    return last_frame(video, out_png)


def recompiler(
    project: Project, compile_fn: CompileFn, packets: Callable[[str], PacketLike]
) -> Callable[[JobNode, ModelProfile], tuple[str, str]]:
    """Recompiles a node's prompt for a fallback model, in that model's dialect."""

    def recompile(node: JobNode, model: ModelProfile) -> tuple[str, str]:
        shot = project.shot(node.shot_id)
        return compile_fn(Stage(node.step), shot, project, model, packets(node.shot_id))

    return recompile


def system_random() -> Callable[[], float]:
    """The random source for retry jitter."""
    import random

    return random.random


@contextmanager
def locked_journal(
    ws: Workspace,
    project: Project,
    command: str,
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Journal]:
    """The project's journal under its lock (``wait``/``on_wait`` as in ``ProjectLock``),
    both given back however the block ends."""
    lock = ProjectLock(ws.root, project.name, command)
    lock.acquire(wait=wait, on_wait=on_wait)
    try:
        journal = Journal(ws.journal)
        try:
            yield journal
        finally:
            journal.close()
    finally:
        lock.release()


def shot_of(project: Project, shot_id: str) -> Shot:
    """The project's shot, or a SpecError naming the shots it has."""
    try:
        return project.shot(shot_id)
    except KeyError:
        raise SpecError(
            f"no shot {shot_id!r}",
            field="shot",
            fix="use one of " + ", ".join(s.id for s in project.shots),
        ) from None
