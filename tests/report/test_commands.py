"""The stage's commands through the CLI: export formats and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from shotrelay.cli import app


def test_export_one_format_as_json(ran_project: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["export", str(ran_project), "--format", "otio", "--out-dir", str(tmp_path), "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"otio": str(tmp_path / "cut.otio")}
    assert (tmp_path / "cut.otio").is_file() and not (tmp_path / "cut.edl").exists()


def test_export_all_writes_three_files(ran_project: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(ran_project), "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.edl", "cut.otio", "cut.xml"]


def test_export_before_a_run_exits_2_with_the_fix(fresh_project: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(fresh_project)])
    assert result.exit_code == 2
    assert "shotrelay run" in result.output and "Traceback" not in result.output
