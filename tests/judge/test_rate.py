"""A person's rating is recorded with the take's role, stage, model, dialect and judged
scores, in the journal and in the user's outcomes store (from the API and the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.judge.test_relay_takes import THREE, Catalog, go
from typer.testing import CliRunner

from shotrelay.engine.journal import Journal
from shotrelay.engine.scores import ratings
from shotrelay.errors import SpecError
from shotrelay.learn import OutcomeStore
from shotrelay.relay.rating import rate


def test_a_rating_records_what_was_known_of_the_take(tmp_path: Path, outcomes: Path) -> None:
    result = go(tmp_path, THREE, takes=3)
    models = {m.id: m for m in Catalog.models}
    rating = rate(tmp_path / "takes.yaml", "s1", 4, note="lovely kite", models=models)
    assert (rating.take, rating.stars, rating.model, rating.role) == (3, 4, "veo", "hero")
    assert rating.stage == "generate" and rating.dialect == "plain"
    assert rating.score is not None and rating.score > 0.5
    assert [f.split(":")[0] for f in rating.failed] == ["resolution"]  # 320x180 for 360p
    journal = Journal(result.workspace / "journal.sqlite")
    try:
        (row,) = ratings(journal)
    finally:
        journal.close()
    assert row.stars == 4 and row.note == "lovely kite" and row.data["role"] == "hero"
    evidence = [o for o in OutcomeStore(outcomes).read() if o.kind == "rating"]
    assert [(o.model, o.shot_class, o.axis, o.value) for o in evidence] == [
        ("veo", "hero", "aesthetics", 0.75)
    ]


def test_a_named_take_and_bad_stars_and_shots(tmp_path: Path) -> None:
    go(tmp_path, THREE, takes=3)
    models = {m.id: m for m in Catalog.models}
    black = rate(tmp_path / "takes.yaml", "s1", 1, take=1, models=models)
    assert black.take == 1 and any("black" in f for f in black.failed)
    with pytest.raises(SpecError, match="1 to 5"):
        rate(tmp_path / "takes.yaml", "s1", 6, models=models)
    with pytest.raises(SpecError, match="no finished take 7"):
        rate(tmp_path / "takes.yaml", "s1", 3, take=7, models=models)
    with pytest.raises(SpecError, match="no shot"):
        rate(tmp_path / "takes.yaml", "s9", 3, models=models)


def test_the_cli_rates_the_cut_take_or_a_named_one(tmp_path: Path) -> None:
    from shotrelay.cli import app

    go(tmp_path, THREE, takes=3)
    file = str(tmp_path / "takes.yaml")
    out = CliRunner().invoke(app, ["rate", file, "s1", "5", "--note", "sharp", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["take"], data["stars"], data["note"]) == (3, 5, "sharp")
    named = CliRunner().invoke(app, ["rate", file, "s1", "2", "1"])
    assert named.exit_code == 0, named.output
    assert "s1 take 2" in named.output and "1/5 recorded" in named.output
    bad = CliRunner().invoke(app, ["rate", file, "s1", "9"])
    assert bad.exit_code != 0 and "1 to 5" in bad.output
