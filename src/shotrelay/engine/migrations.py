"""The journal's schema, as numbered migrations: a journal is brought up to date on open.

Append a function to ``MIGRATIONS`` to change the schema; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["MIGRATIONS"]


def _script(db: sqlite3.Connection, sql: str) -> None:
    # executescript() would commit mid-migration; run statement by statement instead.
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _m1(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at REAL NOT NULL,
            finished_at REAL, status TEXT NOT NULL DEFAULT 'running', note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE jobs (
            key TEXT PRIMARY KEY, shot_id TEXT NOT NULL, stage TEXT NOT NULL,
            take INTEGER NOT NULL DEFAULT 0, model TEXT NOT NULL, provider TEXT NOT NULL,
            state TEXT NOT NULL, handle TEXT, attempts INTEGER NOT NULL DEFAULT 0,
            reserved_usd REAL NOT NULL DEFAULT 0, actual_usd REAL NOT NULL DEFAULT 0,
            estimate_usd REAL NOT NULL DEFAULT 0, estimate_rule TEXT NOT NULL DEFAULT '',
            artifact TEXT, error_class TEXT, error_message TEXT,
            detail TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL, updated_at REAL NOT NULL
        );
        CREATE INDEX jobs_shot ON jobs (shot_id, stage);
        CREATE INDEX jobs_state ON jobs (state);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, run_id INTEGER, at REAL NOT NULL, kind TEXT NOT NULL,
            job_key TEXT, shot_id TEXT, stage TEXT, message TEXT NOT NULL DEFAULT '',
            data TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX events_job ON events (job_key);
        CREATE INDEX events_shot ON events (shot_id);
        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, hash TEXT NOT NULL, at REAL NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE picks (shot_id TEXT PRIMARY KEY, take INTEGER NOT NULL, at REAL NOT NULL);
        """,
    )


def _m2(db: sqlite3.Connection) -> None:
    # Redo counters: bumping one changes that job's cache key and every key downstream.
    db.execute(
        "CREATE TABLE revisions (shot_id TEXT NOT NULL, stage TEXT NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY (shot_id, stage))"
    )


def _m3(db: sqlite3.Connection) -> None:
    # Running totals kept by triggers, so the budget check before each submit is O(1).
    db.execute(
        "CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1),"
        " reserved_usd REAL NOT NULL, actual_usd REAL NOT NULL)"
    )
    db.execute(
        "INSERT INTO totals (id, reserved_usd, actual_usd) SELECT 1,"
        " coalesce(sum(reserved_usd), 0), coalesce(sum(actual_usd), 0) FROM jobs"
    )
    for name, event, delta in (
        ("totals_insert", "INSERT", "+ new.{c}"),
        ("totals_update", "UPDATE OF reserved_usd, actual_usd", "+ new.{c} - old.{c}"),
        ("totals_delete", "DELETE", "- old.{c}"),
    ):
        sets = ", ".join(f"{c} = {c} {delta.format(c=c)}" for c in ("reserved_usd", "actual_usd"))
        db.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON jobs BEGIN"
            f" UPDATE totals SET {sets} WHERE id = 1; END"
        )


def _m4(db: sqlite3.Connection) -> None:
    # Judged scores per take (one row per job) and people's ratings (every one kept).
    _script(
        db,
        """
        CREATE TABLE scores (
            job_key TEXT PRIMARY KEY, shot_id TEXT NOT NULL, stage TEXT NOT NULL,
            take INTEGER NOT NULL, model TEXT NOT NULL, score REAL, defective INTEGER NOT NULL,
            data TEXT NOT NULL DEFAULT '{}', at REAL NOT NULL
        );
        CREATE INDEX scores_shot ON scores (shot_id);
        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY, shot_id TEXT NOT NULL, stage TEXT NOT NULL,
            take INTEGER NOT NULL, job_key TEXT, model TEXT NOT NULL, stars INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '', data TEXT NOT NULL DEFAULT '{}', at REAL NOT NULL
        )
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m1, _m2, _m3, _m4]
