"""The outcomes store: where it lives, what it keeps, and sharing it within a team."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.errors import SpecError
from shotrelay.learn import Outcome, OutcomeStore, default_path


def one(value: float = 0.8, at: float = 1000.0) -> Outcome:
    return Outcome(
        model="veo", version="v1", shot_class="hero", axis="aesthetics", value=value,
        kind="rating", at=at,
    )  # fmt: skip


def test_the_path_comes_from_the_env_else_the_user_data_dir(
    outcomes: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert default_path() == outcomes
    monkeypatch.delenv("SHOTRELAY_OUTCOMES")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "shotrelay" / "outcomes.jsonl"


def test_export_then_import_counts_each_outcome_once(tmp_path: Path) -> None:
    mine = OutcomeStore()
    mine.add([one(0.8, 1.0), one(0.6, 2.0)])
    assert mine.export(tmp_path / "team.jsonl") == 2
    theirs = OutcomeStore(tmp_path / "theirs.jsonl")
    theirs.add([one(0.1, 3.0)])
    assert theirs.import_(tmp_path / "team.jsonl") == 2
    assert theirs.import_(tmp_path / "team.jsonl") == 0
    assert sorted(o.value for o in theirs.read()) == [0.1, 0.6, 0.8]


def test_a_broken_line_names_the_file_and_line(outcomes: Path) -> None:
    OutcomeStore().add([one()])
    with outcomes.open("a") as fh:
        fh.write('{"model": "veo"}\n')
    with pytest.raises(SpecError, match="line 2") as err:
        OutcomeStore().read()
    assert err.value.file == str(outcomes)


def test_the_cli_exports_imports_and_shows(tmp_path: Path) -> None:
    from shotrelay.cli import app

    OutcomeStore().add([one()])
    runner = CliRunner()
    out = runner.invoke(app, ["learn", "--export", str(tmp_path / "x.jsonl")])
    assert out.exit_code == 0 and "1 outcomes written" in out.output, out.output
    again = runner.invoke(app, ["learn", "--import", str(tmp_path / "x.jsonl")])
    assert again.exit_code == 0 and "0 new outcomes" in again.output, again.output
    shown = runner.invoke(app, ["learn"])
    assert shown.exit_code == 0, shown.output
    missing = runner.invoke(app, ["learn", "--import", str(tmp_path / "none.jsonl")])
    assert missing.exit_code != 0 and "learn --export" in missing.output
