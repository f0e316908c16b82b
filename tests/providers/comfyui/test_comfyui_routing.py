"""Routes pick comfyui rows only when a ComfyUI server is configured and answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.providers.registry import load_providers
from shotrelay.relay.wiring import route_available
from shotrelay.spec.loader import load_project

from .fakecomfy import FakeComfy
from .test_comfyui_run import OTHER_KEYS, ad_project


def providers_of(project: Path) -> set[str]:
    plan = route_available(
        load_project(project), load_catalog(use_env=False).models, load_providers()
    )
    return {s.provider for shot in plan.shots for s in shot.stages}


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (*OTHER_KEYS, "SHOTRELAY_COMFYUI_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return ad_project(tmp_path)


def test_without_a_url_no_stage_goes_to_comfyui(clean: Path) -> None:
    assert "comfyui" not in providers_of(clean)


def test_a_url_whose_server_is_down_routes_nothing_to_it(
    clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOTRELAY_COMFYUI_URL", "http://127.0.0.1:9")
    assert "comfyui" not in providers_of(clean)


def test_a_live_server_takes_the_generate_stages(
    clean: Path, monkeypatch: pytest.MonkeyPatch, comfy: FakeComfy
) -> None:
    monkeypatch.setenv("SHOTRELAY_COMFYUI_URL", comfy.url)
    assert "comfyui" in providers_of(clean)
    assert comfy.calls("GET", "/system_stats") == 1  # probed once for the whole route
