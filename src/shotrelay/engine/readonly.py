"""Reading a journal without changing it: for the report and other readers of past runs.

``Journal()`` opens read-write: it switches to WAL, runs migrations and may leave -wal and -shm
files. A reader changes nothing, so it reads through ``mode=ro`` instead, with the journal's
own queries; only reading methods may be called on what :func:`read_journal` opens.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.engine.journal import EventRow, JobRow, Journal
from shotrelay.errors import EngineError

__all__ = ["JournalSnapshot", "ReadOnlyJournal", "RunRow", "read_journal"]


class RunRow(BaseModel):
    """One recorded run of the engine."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    started_at: float
    finished_at: float | None
    status: str
    note: str


class JournalSnapshot(BaseModel):
    """Everything a reader needs from a journal, read at one moment."""

    model_config = ConfigDict(frozen=True)

    jobs: list[JobRow]
    events: list[EventRow]
    runs: list[RunRow]
    reserved_usd: float
    actual_usd: float


class ReadOnlyJournal(Journal):
    """The journal's own queries over a read-only connection (never migrates or writes)."""

    def __init__(self, path: Path) -> None:  # no super().__init__: that opens read-write
        self.path = path
        # With no -wal file everything is in the main file, and immutable=1 reads it without
        # creating -wal/-shm (mode=ro alone creates both in a writable folder). A live run
        # has a -wal file: then read through it, as a reader beside the writer.
        wal = path.with_name(f"{path.name}-wal")
        query = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        try:
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
        except sqlite3.Error as exc:
            raise EngineError(f"cannot read the journal {path}: {exc}") from None

    def costs(self) -> tuple[float, float]:
        """(reserved, actual) in USD, summed over the jobs (a journal of any schema has them)."""
        row = self.db.execute(
            "SELECT coalesce(sum(reserved_usd), 0), coalesce(sum(actual_usd), 0) FROM jobs"
        ).fetchone()
        return max(0.0, round(float(row[0]), 9)), max(0.0, round(float(row[1]), 9))

    def runs(self) -> list[RunRow]:
        """Every recorded run, oldest first."""
        rows = self.db.execute(
            "SELECT id, kind, started_at, finished_at, status, note FROM runs ORDER BY id"
        ).fetchall()
        return [
            RunRow(id=r[0], kind=r[1], started_at=r[2], finished_at=r[3], status=r[4], note=r[5])
            for r in rows
        ]


def _read_once(path: Path) -> JournalSnapshot:
    journal = ReadOnlyJournal(path)
    try:
        reserved, actual = journal.costs()
        return JournalSnapshot(
            jobs=journal.jobs(),
            events=journal.events(),
            runs=journal.runs(),
            reserved_usd=reserved,
            actual_usd=actual,
        )
    finally:
        journal.close()


def read_journal(path: Path) -> JournalSnapshot:
    """The journal's jobs, events, runs and costs, read without changing it."""
    try:
        return _read_once(path)
    except sqlite3.Error:
        pass  # a run that started mid-read can upset an immutable read: read once more
    try:
        return _read_once(path)
    except sqlite3.Error as exc:
        raise EngineError(f"cannot read the journal {path}: {exc}") from None
