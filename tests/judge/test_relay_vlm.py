"""The relay with a VLM judge (``run(vlm=...)``, ``--judge-with``): its rubric is stored
with each take's checks and moves the choice; a failing VLM is noted, never fatal; and
``visual_judge`` builds it from a configured planner aimed at a loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.judge.clips import clean, pan
from tests.judge.test_relay_takes import Catalog, Cutter, Takes
from tests.judge.test_vlm import rubric
from tests.plan.llm.helpers import APIS, SECRET, FakeServer, Reply

from shotrelay.api import visual_judge
from shotrelay.errors import SpecError, Unreachable
from shotrelay.relay.run import RunResult, run
from shotrelay.spec.models import Shot
from shotrelay.testing import FakeProvider, hooks

PROJECT = """name: takes
format: {resolution: 360p, fps: 12}
shots:
  - {id: s0, duration: 2, subject: a beach, role: establishing}
  - {id: s1, duration: 2, subject: a kite, camera: pan-right, role: hero}
"""
# Two clean takes; the VLM dislikes the first (its frames are darker).
TWO = {1: lambda: [(f * 0.7).astype(np.uint8) for f in clean()], 2: lambda: pan(24, 8.0, seed=9)}


def go(tmp: Path, vlm: Any) -> RunResult:
    file = tmp / "takes.yaml"
    file.write_text(PROJECT)
    providers = {"local": FakeProvider("local"), "cloud": Takes("cloud", {**TWO, 3: clean})}
    return run(
        file,
        providers=providers,
        catalog=Catalog(),
        hooks=hooks(Cutter()),
        auto_approve=True,
        takes=2,
        vlm=vlm,
    )


def test_the_vlm_rubric_is_stored_and_moves_the_choice(tmp_path: Path) -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    def vlm(
        shot: Shot, before: Shot | None, after: Shot | None, frames: list[NDArray[np.uint8]]
    ) -> Mapping[str, tuple[float, str]]:
        seen.append((shot.id, before and before.id, after and after.id))
        dark = float(np.mean(frames[1])) < 100
        return {"intent": (0.0 if dark else 1.0, "too dark" if dark else "a kite on the wind")}

    result = go(tmp_path, vlm)
    assert result.status == "done", result.failures
    assert ("s1", "s0", None) in seen and ("s0", None, "s1") in seen
    assert result.manifest is not None
    shot = next(s for s in json.loads(result.manifest.read_text())["shots"] if s["id"] == "s1")
    takes = {t["take"]: t for t in shot["takes"]}
    assert "vlm_intent" in takes[1]["checks"] and takes[2]["checks"]["vlm_intent"]["passed"]
    assert any("VLM: too dark" in f for f in takes[1]["failed"])
    assert takes[2]["chosen"]
    # Without the VLM the first take is cut (the checks score the two alike).
    (tmp_path / "plain").mkdir()
    plain = go(tmp_path / "plain", None)
    assert plain.manifest is not None
    shot = next(s for s in json.loads(plain.manifest.read_text())["shots"] if s["id"] == "s1")
    assert [t["take"] for t in shot["takes"] if t["chosen"]] == [1]


def test_a_failing_vlm_is_noted_and_the_take_judged_without_it(tmp_path: Path) -> None:
    def down(*_: Any) -> Mapping[str, tuple[float, str]]:
        raise Unreachable("openai: connection refused", provider="openai")

    result = go(tmp_path, down)
    assert result.status == "done", result.failures
    assert result.manifest is not None
    shot = json.loads(result.manifest.read_text())["shots"][1]
    assert all("vlm_intent" not in t["checks"] for t in shot["takes"])
    from shotrelay.engine.journal import Journal

    journal = Journal(result.workspace / "journal.sqlite")
    try:
        failed = journal.events(kind="vlm_failed")
    finally:
        journal.close()
    assert failed and all("connection refused" in e.message for e in failed)


@pytest.fixture
def server() -> Iterator[Any]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


def test_visual_judge_asks_the_configured_planner(
    server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = next(a for a in APIS if a.name == "openai")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SHOTRELAY_OPENAI_BASE_URL", server.url)
    server.on("POST", api.path, Reply(json=api.answer(rubric(motion=0.4))))
    see = visual_judge("openai:gpt-test")
    shot = Shot(id="s1", duration=2, subject="a kite")
    out = see(shot, None, None, clean()[:3])
    assert out["motion"] == (0.4, "motion looks right")
    body = server.received("POST", api.path)[0].json()
    assert body["model"] == "gpt-test"
    images = [p for p in body["messages"][1]["content"] if p["type"] == "image_url"]
    assert len(images) == 3 and "a kite" in body["messages"][1]["content"][0]["text"]


def test_visual_judge_refuses_a_planner_without_vision() -> None:
    with pytest.raises(SpecError, match="cannot look at frames"):
        visual_judge("rules")
