"""One plug-in mechanism: a third-party distribution adds a provider with its catalog row, its
prompt dialect and a planner through entry points, as shotrelay's built-ins are added; a broken
plug-in is reported and the others still load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shotrelay.catalog.loader import builtin_models, load_catalog
from shotrelay.plan import registry as planners
from shotrelay.plugins import CATALOG, load_group
from shotrelay.prompts.dialect import dialect, dialects
from shotrelay.providers.registry import load_errors, load_providers

PACKAGE = '''
from shotrelay.testing import FakeProvider
from shotrelay.plan.planner import RulePlanner


def provider():
    return FakeProvider("demo")


def catalog():
    return """
models:
  - id: demo-gen
    provider: demo
    name: Demo Gen
    api_model: demo/gen-1
    tasks: [text_to_video]
    durations: [5]
    dialect: demo
    bills_failed: true
    pricing: {rule: per_clip, usd: 0.5, source: "demo price list, 2026-12-01"}
    latency: {base_s: 30, source: "demo docs"}
"""


def dialects():
    return """
dialects:
  demo:
    limit: 300
    sentences: true
"""


class DemoPlanner(RulePlanner):
    name = "demo"

    def __init__(self, model=None):
        self.model = model
'''

ENTRY_POINTS = """
[shotrelay.providers]
demo = plugdemo:provider
ghost = plugdemo_missing:provider

[shotrelay.catalog]
demo = plugdemo:catalog

[shotrelay.dialects]
demo = plugdemo:dialects

[shotrelay.planners]
demo = plugdemo:DemoPlanner
"""


def _clear() -> None:
    builtin_models.cache_clear()
    dialects.cache_clear()
    planners._loaded.cache_clear()


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``plugdemo`` installed as a distribution (a dist-info folder on sys.path)."""
    (tmp_path / "plugdemo.py").write_text(PACKAGE)
    info = tmp_path / "plugdemo-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugdemo\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    _clear()
    yield tmp_path
    _clear()


def test_a_plugin_adds_a_provider_its_row_its_dialect_and_a_planner(installed: Path) -> None:
    assert "demo" in load_providers()
    row = next(m for m in load_catalog(use_env=False).models if m.id == "demo-gen")
    assert row.provider == "demo" and row.dialect == "demo"
    assert dialect("demo").name == "demo" and dialect("demo").limit == 300
    assert planners.get_planner("demo:v2").name == "demo"
    assert "demo" in planners.planner_names()


def test_a_broken_plugin_is_reported_and_the_others_load(installed: Path) -> None:
    found = load_providers()
    assert "demo" in found and "local" in found
    assert "ghost" in load_errors() and "plugdemo_missing" in load_errors()["ghost"]


def test_builtins_load_first_so_a_plugin_may_lay_rows_over_them(installed: Path) -> None:
    loaded = load_group(CATALOG)
    assert next(iter(loaded.objects)) == "builtin" and loaded.builtin == {"builtin"}


def test_without_the_plugin_nothing_of_it_remains() -> None:
    _clear()
    assert "demo" not in load_providers()
    assert all(m.id != "demo-gen" for m in load_catalog(use_env=False).models)
    assert dialect("demo").name == "plain"
