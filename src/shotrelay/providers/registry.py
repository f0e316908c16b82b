"""Providers as plug-ins: entry points in the group ``shotrelay.providers`` (see
``shotrelay.plugins``), plus ``register``.

An entry point may name a Provider class (instantiated with no arguments), a factory
returning a Provider or a list of them, or a hook that calls :func:`register` itself. A
plug-in that fails to load is reported in :func:`load_errors`, never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from importlib.metadata import EntryPoint
from typing import Any

from shotrelay.plugins import PROVIDERS, load_group
from shotrelay.providers.base import Provider

__all__ = ["GROUP", "load_errors", "load_providers", "register", "unregister", "usable"]

GROUP = PROVIDERS

log = logging.getLogger(__name__)
_registered: dict[str, Provider] = {}
_errors: dict[str, str] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace) a provider by name; wins over an entry point of the same name."""
    if not isinstance(provider, Provider):
        raise TypeError(f"{name}: {type(provider).__name__} does not implement Provider")
    _registered[name] = provider


def unregister(name: str) -> None:
    """Remove a provider added with :func:`register` (tests use this to clean up)."""
    _registered.pop(name, None)


def load_errors() -> dict[str, str]:
    """Plug-ins that failed to load on the last :func:`load_providers`, with the reason."""
    return dict(_errors)


def load_providers(*, entry_points_: Iterable[EntryPoint] | None = None) -> dict[str, Provider]:
    """Every provider: entry points first (built-ins, then plug-ins), then :func:`register`."""
    _errors.clear()
    loaded = load_group(GROUP, entry_points_=entry_points_)
    _errors.update(loaded.errors)
    found: dict[str, Provider] = {}
    for name, obj in loaded.objects.items():
        try:
            for provider in _instances(name, obj):
                found[provider.name or name] = provider
        except Exception as exc:  # a broken plug-in must not take the others down
            _errors[name] = f"{type(exc).__name__}: {exc}"
            log.warning("provider plug-in %s failed to load: %s", name, exc)
    found.update(_registered)
    return found


def _instances(name: str, obj: Any) -> list[Provider]:
    if isinstance(obj, Provider) and not isinstance(obj, type):
        return [obj]
    if not callable(obj):
        raise TypeError(f"entry point {name} is neither a Provider nor callable")
    made = obj()
    if made is None:  # a hook that called register() itself
        return []
    if isinstance(made, Provider):
        return [made]
    if isinstance(made, Iterable):
        out = list(made)
        bad = [type(p).__name__ for p in out if not isinstance(p, Provider)]
        if bad:
            raise TypeError(f"entry point {name} returned non-providers: {bad}")
        return out
    raise TypeError(f"entry point {name} returned {type(made).__name__}, not a Provider")


def usable(providers: Mapping[str, Provider]) -> set[str]:
    """The providers whose ``available()`` says yes now (keys from the environment and
    ``.env``, engines installed): the one answer ``route``, ``run`` and ``doctor`` share."""
    ready: set[str] = set()
    for name, provider in providers.items():
        try:
            ok, _why = provider.available()
        except Exception:  # a broken adapter must not stop routing to the others
            ok = False
        if ok:
            ready.add(name)
    return ready
