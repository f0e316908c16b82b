"""`shotrelay studio`: several projects run at once on one queue, each to its own cut."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from shotrelay.cli import app

TINY = """name: {name}
format: {{aspect: "16:9", resolution: 360p, fps: 12}}
priority: {priority}
shots:
  - {{id: a, duration: 1, subject: a kettle}}
  - {{id: b, duration: 1, subject: a cup, framing: close-up}}
"""


def write(folder: Path, name: str, priority: float = 1.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(TINY.format(name=name, priority=priority))
    return path


def test_two_projects_run_together_each_to_its_own_cut(tmp_path: Path) -> None:
    one, two = write(tmp_path / "one", "tea"), write(tmp_path / "two", "coffee", priority=2)
    result = CliRunner().invoke(app, ["studio", str(one), str(two)])
    assert result.exit_code == 0, result.output
    assert "[tea] relay:" in result.stdout and "[coffee] relay:" in result.stdout
    for path, name in ((one, "tea"), (two, "coffee")):
        final = path.parent / ".shotrelay" / name / "out" / "final.mp4"
        assert final.is_file() and final.stat().st_size > 0
    again = CliRunner().invoke(app, ["studio", str(one), str(two), "--json"])
    rows = json.loads(again.stdout)
    assert [r["status"] for r in rows] == ["done", "done"]


def test_a_bad_file_stops_the_studio_before_any_work(tmp_path: Path) -> None:
    good = write(tmp_path / "one", "tea")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nshots:\n  - {duration: -1}\n")
    result = CliRunner().invoke(app, ["studio", str(good), str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "duration" in result.stderr
    assert not (good.parent / ".shotrelay").exists()


def test_projects_must_have_distinct_names(tmp_path: Path) -> None:
    a, b = write(tmp_path / "one", "tea"), write(tmp_path / "two", "tea")
    result = CliRunner().invoke(app, ["studio", str(a), str(b)])
    assert result.exit_code == 2 and "same name" in result.stderr
