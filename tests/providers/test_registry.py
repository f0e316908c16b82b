"""Provider plug-ins: entry points, register(), and broken plug-ins reported, not fatal."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from shotrelay.providers.base import Handle, JobRequest, JobStatus, ProviderResult
from shotrelay.providers.registry import GROUP, load_errors, load_providers, register, unregister


class Dummy:
    """A minimal Provider."""

    def __init__(self, name: str = "dummy") -> None:
        self.name = name

    def available(self) -> tuple[bool, str]:
        return True, ""

    async def submit(self, request: JobRequest) -> Handle:
        raise NotImplementedError

    async def poll(self, handle: Handle) -> JobStatus:
        raise NotImplementedError

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        raise NotImplementedError

    async def cancel(self, handle: Handle) -> None:
        return None

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        return None


def _broken() -> Dummy:
    raise RuntimeError("missing SDK")


def _pair() -> list[Dummy]:
    return [Dummy("one"), Dummy("two")]


@pytest.fixture
def plugin_module() -> Iterator[str]:
    mod = types.ModuleType("fake_shotrelay_plugin")
    mod.Dummy = Dummy  # type: ignore[attr-defined]
    mod.broken = _broken  # type: ignore[attr-defined]
    mod.pair = _pair  # type: ignore[attr-defined]
    sys.modules[mod.__name__] = mod
    yield mod.__name__
    del sys.modules[mod.__name__]


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


def test_entry_point_class_factory_and_list_are_loaded(plugin_module: str) -> None:
    found = load_providers(
        entry_points_=[
            _ep("dummy", f"{plugin_module}:Dummy"),
            _ep("pair", f"{plugin_module}:pair"),
        ]
    )
    assert set(found) == {"dummy", "one", "two"}
    assert load_errors() == {}


def test_broken_plugin_is_reported_and_others_still_load(plugin_module: str) -> None:
    found = load_providers(
        entry_points_=[
            _ep("bad", f"{plugin_module}:broken"),
            _ep("gone", "no_such_module_for_shotrelay:X"),
            _ep("dummy", f"{plugin_module}:Dummy"),
        ]
    )
    assert set(found) == {"dummy"}
    errors = load_errors()
    assert "missing SDK" in errors["bad"]
    assert "ModuleNotFoundError" in errors["gone"]


def test_register_adds_and_overrides_entry_points(plugin_module: str) -> None:
    mine = Dummy("dummy")
    register("dummy", mine)
    try:
        found = load_providers(entry_points_=[_ep("dummy", f"{plugin_module}:Dummy")])
        assert found["dummy"] is mine
    finally:
        unregister("dummy")
    assert "dummy" not in load_providers(entry_points_=[])


def test_register_refuses_a_non_provider() -> None:
    with pytest.raises(TypeError, match="does not implement Provider"):
        register("x", object())  # type: ignore[arg-type]


def test_installed_local_plugin_loads_or_is_reported() -> None:
    found = load_providers()
    assert "local" in found or "local" in load_errors()
