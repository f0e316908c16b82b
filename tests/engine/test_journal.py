"""The journal: migrations, durable job rows, events, approvals, picks, costs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shotrelay.engine.journal import MIGRATIONS, JobStateName, Journal
from shotrelay.errors import EngineError


def test_fresh_journal_runs_every_migration_in_wal_mode(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    assert j.version == len(MIGRATIONS)
    assert j.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    j.close()
    again = Journal(tmp_path / "j.sqlite")  # reopening applies nothing twice
    rows = again.db.execute("SELECT count(*) FROM schema_version").fetchone()[0]
    assert rows == len(MIGRATIONS)


def test_journal_newer_than_code_is_refused(tmp_path: Path) -> None:
    Journal(tmp_path / "j.sqlite").close()
    db = sqlite3.connect(tmp_path / "j.sqlite")
    db.execute("INSERT INTO schema_version VALUES (99)")
    db.commit()
    db.close()
    with pytest.raises(EngineError, match="upgrade shotrelay"):
        Journal(tmp_path / "j.sqlite")


def test_job_state_is_visible_to_another_connection_at_once(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.ensure_job("k1", shot_id="s1", stage="generate", take=1, model="m", provider="p")
    j.update_job("k1", state=JobStateName.SUBMITTING, reserved_usd=1.5)
    other = Journal(tmp_path / "j.sqlite")  # as a restarted process would see it
    row = other.job("k1")
    assert row is not None
    assert row.state == JobStateName.SUBMITTING
    assert other.spent_usd() == 1.5


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    with pytest.raises(RuntimeError), j.transaction():
        j.event("x", "inside")
        raise RuntimeError
    assert j.events() == []


def test_spent_counts_actual_and_reserved(tmp_path: Path) -> None:
    j = Journal(":memory:")
    j.ensure_job("a", shot_id="s1", stage="generate", take=1, model="m", provider="p")
    j.ensure_job("b", shot_id="s2", stage="generate", take=1, model="m", provider="p")
    j.update_job("a", actual_usd=2.0)
    j.update_job("b", reserved_usd=0.5)
    assert j.spent_usd() == 2.5
    assert j.costs() == (0.5, 2.0)


def test_approval_lapses_when_hash_changes_and_picks_replace(tmp_path: Path) -> None:
    j = Journal(":memory:")
    j.approve("structure", "h1")
    assert j.approved("structure", "h1")
    assert not j.approved("structure", "h2")
    j.set_pick("s1", 2)
    j.set_pick("s1", 3)
    assert j.picks() == {"s1": 3}


def test_revisions_count_up_and_events_filter(tmp_path: Path) -> None:
    j = Journal(":memory:")
    assert j.bump_revision("s1", "generate") == 1
    assert j.bump_revision("s1", "generate") == 2
    j.event("retry", "one", job_key="k", shot_id="s1")
    j.event("fallback", "two", job_key="k", shot_id="s1")
    j.event("retry", "three", job_key="z")
    assert [e.message for e in j.events(job_key="k")] == ["one", "two"]
    assert [e.message for e in j.events(kind="retry")] == ["one", "three"]
    assert [e.message for e in j.events(limit=2)] == ["two", "three"]
