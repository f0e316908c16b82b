"""One plug-in mechanism: a third-party distribution adds a provider with its catalog row, its
prompt dialect and a planner through entry points, as shotrelay's built-ins are added; a broken
plug-in is reported and the others still load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shotrelay.catalog.loader import builtin_models, load_catalog
from shotrelay.judge import Asked, judge_clip
from shotrelay.judge.plugins import judges
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


def loud_judge(clip, asked, prompt):
    from shotrelay.judge.checks import Check

    return [Check(name="demo_loudness", value=float(len(clip.frames)), threshold=1.0,
                  passed=True, reason=f"demo judge saw {len(clip.frames)} frames of {prompt!r}")]


def broken_judge(clip, asked, prompt):
    raise RuntimeError("no model here")


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

[shotrelay.judges]
demo = plugdemo:loud_judge
broken = plugdemo:broken_judge
"""


def _clear() -> None:
    judges.cache_clear()
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


def test_a_plugin_judge_scores_takes_beside_the_builtin_one(
    installed: Path, tmp_path: Path
) -> None:
    clip = _clip(tmp_path / "take.mp4")
    assert list(judges())[:1] == ["technical"]  # the built-in comes through the same group
    judged = judge_clip(clip, Asked(duration=1.0, width=64, height=36), prompt="a red kite")
    by_name = {c.name: c for c in judged.checks}
    assert "black" in by_name and "demo_loudness" in by_name
    assert "a red kite" in by_name["demo_loudness"].reason
    broken = by_name["broken_failed"]  # a judge that raises is reported, never fatal
    assert broken.passed and "no model here" in broken.reason


def _clip(path: Path, frames: int = 24) -> Path:
    """One second of a moving grey gradient, 64x36 at 24 fps."""
    import av
    import numpy as np

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        ramp = np.tile(np.linspace(40, 200, 64, dtype=np.uint8), (36, 1))
        for i in range(frames):
            rgb = np.dstack([np.roll(ramp, i, axis=1)] * 3)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(stream.encode())
    return path
