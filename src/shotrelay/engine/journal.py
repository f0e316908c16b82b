"""The durable journal: one SQLite file (WAL) recording every job, transition and decision."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.engine.migrations import MIGRATIONS
from shotrelay.errors import EngineError

__all__ = ["EventRow", "JobRow", "JobStateName", "Journal"]


class JobStateName(StrEnum):
    """A job's state in the journal."""

    PENDING = "pending"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    #: The submission may have been accepted (and billed); no automatic resubmission.
    UNKNOWN = "unknown"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class JobRow(BaseModel):
    """One row of the jobs table."""

    model_config = ConfigDict(frozen=True)

    key: str
    shot_id: str
    stage: str
    take: int
    model: str
    provider: str
    state: JobStateName
    handle: dict[str, Any] | None
    attempts: int
    reserved_usd: float
    actual_usd: float
    estimate_usd: float
    estimate_rule: str
    artifact: str | None
    error_class: str | None
    error_message: str | None
    detail: dict[str, Any]
    created_at: float
    updated_at: float


class EventRow(BaseModel):
    """One recorded event: a transition, retry, fallback, skip or note."""

    model_config = ConfigDict(frozen=True)

    id: int
    run_id: int | None
    at: float
    kind: str
    job_key: str | None
    shot_id: str | None
    stage: str | None
    message: str
    data: dict[str, Any]


_JOB_COLS = (
    "key, shot_id, stage, take, model, provider, state, handle, attempts, reserved_usd,"
    " actual_usd, estimate_usd, estimate_rule, artifact, error_class, error_message, detail,"
    " created_at, updated_at"
)


class Journal:
    """One connection, short transactions; each state change is committed before it matters."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        try:
            self.db = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, cached_statements=256
            )
        except sqlite3.Error as exc:
            raise EngineError(f"cannot open the journal {path}: {exc}") from None
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.run_id: int | None = None
        self._depth = 0
        self._migrate()

    # -- schema -----------------------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = self.db.execute("SELECT max(version) FROM schema_version").fetchone()
        current = int(row[0] or 0)
        if current > len(MIGRATIONS):
            raise EngineError(
                f"the journal {self.path} has schema {current}, newer than this shotrelay "
                f"({len(MIGRATIONS)}); upgrade shotrelay"
            )
        for number, migrate in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                migrate(self.db)
                self.db.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))

    @property
    def version(self) -> int:
        """Schema version after migrations."""
        return int(self.db.execute("SELECT max(version) FROM schema_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A committed unit of work; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, kind: str) -> int:
        """Open a run record; later events carry its id."""
        cur = self.db.execute(
            "INSERT INTO runs (kind, started_at) VALUES (?, ?)", (kind, self._clock())
        )
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def finish_run(self, status: str, note: str = "") -> None:
        """Close the current run record."""
        if self.run_id is None:
            return
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, note = ? WHERE id = ?",
            (self._clock(), status, note, self.run_id),
        )

    # -- jobs -------------------------------------------------------------------------------

    def job(self, key: str) -> JobRow | None:
        """The row of a job by cache key."""
        row = self.db.execute(f"SELECT {_JOB_COLS} FROM jobs WHERE key = ?", (key,)).fetchone()
        return _job_row(row) if row else None

    def jobs(self, *, shot_id: str | None = None, state: str | None = None) -> list[JobRow]:
        """Rows, optionally filtered by shot and state, oldest first."""
        sql = f"SELECT {_JOB_COLS} FROM jobs WHERE 1=1"
        args: list[Any] = []
        if shot_id is not None:
            sql += " AND shot_id = ?"
            args.append(shot_id)
        if state is not None:
            sql += " AND state = ?"
            args.append(state)
        return [_job_row(r) for r in self.db.execute(sql + " ORDER BY created_at, rowid", args)]

    def ensure_job(
        self,
        key: str,
        *,
        shot_id: str,
        stage: str,
        take: int,
        model: str,
        provider: str,
        detail: dict[str, Any] | None = None,
    ) -> JobRow:
        """The job's row, created as pending if new."""
        now = self._clock()
        cur = self.db.execute(
            "INSERT OR IGNORE INTO jobs (key, shot_id, stage, take, model, provider, state,"
            " detail, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            (key, shot_id, stage, take, model, provider, json.dumps(detail or {}), now, now),
        )
        if cur.rowcount == 1:  # new: no need to read it back
            return JobRow(
                key=key,
                shot_id=shot_id,
                stage=stage,
                take=take,
                model=model,
                provider=provider,
                state=JobStateName.PENDING,
                handle=None,
                attempts=0,
                reserved_usd=0.0,
                actual_usd=0.0,
                estimate_usd=0.0,
                estimate_rule="",
                artifact=None,
                error_class=None,
                error_message=None,
                detail=detail or {},
                created_at=now,
                updated_at=now,
            )
        row = self.job(key)
        assert row is not None
        return row

    def update_job(self, key: str, **fields: Any) -> None:
        """Set columns of a job (handle and detail are stored as JSON)."""
        if "handle" in fields and fields["handle"] is not None:
            fields["handle"] = json.dumps(fields["handle"])
        if "detail" in fields:
            fields["detail"] = json.dumps(fields["detail"])
        if "state" in fields:
            fields["state"] = str(fields["state"])
        fields["updated_at"] = self._clock()
        cols = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE jobs SET {cols} WHERE key = ?", (*fields.values(), key))

    def spent_usd(self) -> float:
        """Actual cost of every finished call plus what in-flight jobs have reserved."""
        reserved, actual = self.costs()
        return reserved + actual

    def costs(self) -> tuple[float, float]:
        """(reserved, actual) in USD over every job."""
        row = self.db.execute("SELECT reserved_usd, actual_usd FROM totals").fetchone()
        return max(0.0, round(float(row[0]), 9)), max(0.0, round(float(row[1]), 9))

    def counts(self) -> dict[str, int]:
        """Number of jobs per state."""
        rows = self.db.execute("SELECT state, count(*) FROM jobs GROUP BY state")
        return {str(s): int(n) for s, n in rows}

    # -- events -----------------------------------------------------------------------------

    def event(
        self,
        kind: str,
        message: str = "",
        *,
        job_key: str | None = None,
        shot_id: str | None = None,
        stage: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Record one event (never degrade silently: every retry, fallback and skip lands here)."""
        self.db.execute(
            "INSERT INTO events (run_id, at, kind, job_key, shot_id, stage, message, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.run_id,
                self._clock(),
                kind,
                job_key,
                shot_id,
                stage,
                message,
                json.dumps(data or {}),
            ),
        )

    def events(
        self,
        *,
        job_key: str | None = None,
        shot_id: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[EventRow]:
        """Events, oldest first (the last ``limit`` when given)."""
        sql = "SELECT id, run_id, at, kind, job_key, shot_id, stage, message, data FROM events"
        sql += " WHERE 1=1"
        args: list[Any] = []
        for col, val in (("job_key", job_key), ("shot_id", shot_id), ("kind", kind)):
            if val is not None:
                sql += f" AND {col} = ?"
                args.append(val)
        if limit is not None:
            sql = f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT ?) ORDER BY id"
            args.append(limit)
        else:
            sql += " ORDER BY id"
        return [
            EventRow(
                id=r[0],
                run_id=r[1],
                at=r[2],
                kind=r[3],
                job_key=r[4],
                shot_id=r[5],
                stage=r[6],
                message=r[7],
                data=json.loads(r[8]),
            )
            for r in self.db.execute(sql, args)
        ]

    # -- approvals, picks, revisions --------------------------------------------------------

    def approve(self, kind: str, digest: str, note: str = "") -> None:
        """Record an approval of ``kind`` (e.g. structure) for a content hash."""
        self.db.execute(
            "INSERT INTO approvals (kind, hash, at, note) VALUES (?, ?, ?, ?)",
            (kind, digest, self._clock(), note),
        )

    def approved(self, kind: str, digest: str) -> bool:
        """Whether this exact hash was approved (an approval lapses when the hash changes)."""
        row = self.db.execute(
            "SELECT 1 FROM approvals WHERE kind = ? AND hash = ? LIMIT 1", (kind, digest)
        ).fetchone()
        return row is not None

    def set_pick(self, shot_id: str, take: int) -> None:
        """Choose a take for a shot, overriding the scorer."""
        self.db.execute(
            "INSERT OR REPLACE INTO picks (shot_id, take, at) VALUES (?, ?, ?)",
            (shot_id, take, self._clock()),
        )

    def picks(self) -> dict[str, int]:
        """Chosen takes by shot id."""
        return {str(s): int(t) for s, t in self.db.execute("SELECT shot_id, take FROM picks")}

    def bump_revision(self, shot_id: str, stage: str) -> int:
        """Increase the redo counter of a shot's stage; returns the new value."""
        self.db.execute(
            "INSERT INTO revisions (shot_id, stage, n) VALUES (?, ?, 1)"
            " ON CONFLICT (shot_id, stage) DO UPDATE SET n = n + 1",
            (shot_id, stage),
        )
        return self.revisions().get((shot_id, stage), 0)

    def revisions(self) -> dict[tuple[str, str], int]:
        """Redo counters by (shot id, stage)."""
        rows = self.db.execute("SELECT shot_id, stage, n FROM revisions")
        return {(str(s), str(st)): int(n) for s, st, n in rows}


def _job_row(r: tuple[Any, ...]) -> JobRow:
    return JobRow(
        key=r[0],
        shot_id=r[1],
        stage=r[2],
        take=r[3],
        model=r[4],
        provider=r[5],
        state=JobStateName(r[6]),
        handle=json.loads(r[7]) if r[7] else None,
        attempts=r[8],
        reserved_usd=r[9],
        actual_usd=r[10],
        estimate_usd=r[11],
        estimate_rule=r[12],
        artifact=r[13],
        error_class=r[14],
        error_message=r[15],
        detail=json.loads(r[16]),
        created_at=r[17],
        updated_at=r[18],
    )
