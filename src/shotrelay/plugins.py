"""One plug-in mechanism: Python entry points, one group per kind of thing.

- ``shotrelay.providers``: a Provider class, a factory returning one or a list, or a hook
  calling ``providers.registry.register``. Built in: local and the cloud adapters.
- ``shotrelay.planners``: a factory ``(model: str | None) -> Planner`` (a planner class
  works). Built in: rules, openai, anthropic, gemini, ollama.
- ``shotrelay.dialects``: a function returning dialects YAML text (``dialects:`` rows, as in
  ``prompts/dialects.yaml``, on the built-in defaults). Built in: the package's dialects.
- ``shotrelay.catalog``: a function returning catalog YAML text (``models:`` and ``remove:``,
  as a user catalog file). Built in: the package's catalog.
- ``shotrelay.judges``: a callable ``(clip, asked, prompt) -> checks`` that judges a take
  (see ``judge/plugins.py``). Built in: the technical QC.

A third-party package can so add a provider together with its catalog rows and its prompt
dialect, and shotrelay's own are registered the same way (pyproject.toml). A plug-in that
fails to load is reported, never fatal to the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

__all__ = ["CATALOG", "DIALECTS", "JUDGES", "PLANNERS", "PROVIDERS", "Loaded", "load_group"]

PROVIDERS = "shotrelay.providers"
PLANNERS = "shotrelay.planners"
DIALECTS = "shotrelay.dialects"
CATALOG = "shotrelay.catalog"
JUDGES = "shotrelay.judges"

#: The distribution whose entry points are the built-ins (they load first, so plug-ins win).
BUILTIN_DIST = "shotrelay"

log = logging.getLogger(__name__)


@dataclass
class Loaded:
    """A group's entry points, loaded: built-ins first, then plug-ins; and what failed."""

    objects: dict[str, object] = field(default_factory=dict)
    builtin: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)


def load_group(group: str, *, entry_points_: Iterable[EntryPoint] | None = None) -> Loaded:
    """Load every entry point of ``group`` (or the given ones), built-ins first."""
    eps = list(entry_points(group=group) if entry_points_ is None else entry_points_)
    eps.sort(key=lambda ep: (not _is_builtin(ep), ep.name))
    out = Loaded()
    for ep in eps:
        try:
            out.objects[ep.name] = ep.load()
        except Exception as exc:  # a broken plug-in must not take the others down
            out.errors[ep.name] = f"{type(exc).__name__}: {exc}"
            log.warning("%s plug-in %s (%s) failed to load: %s", group, ep.name, ep.value, exc)
            continue
        if _is_builtin(ep):
            out.builtin.add(ep.name)
    return out


def _is_builtin(ep: EntryPoint) -> bool:
    dist = getattr(ep, "dist", None)
    name = getattr(dist, "name", None) if dist is not None else None
    return name == BUILTIN_DIST or ep.value.startswith("shotrelay.")
