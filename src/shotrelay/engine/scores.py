"""Judged scores and people's ratings in the journal (tables of migration 4).

The engine stores them as data; what a score means is the judge's business (shotrelay.judge).
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.engine.journal import Journal

__all__ = ["RatingRow", "ScoreRow", "add_rating", "ratings", "record_score", "scores"]


class ScoreRow(BaseModel):
    """A take's judged score (None when it could not be judged) and its checks as data."""

    model_config = ConfigDict(frozen=True)

    job_key: str
    shot_id: str
    stage: str
    take: int
    model: str
    score: float | None
    defective: bool
    data: dict[str, Any]
    at: float


class RatingRow(BaseModel):
    """A person's rating of a take, 1-5, with what was known of the take when rated."""

    model_config = ConfigDict(frozen=True)

    id: int
    shot_id: str
    stage: str
    take: int
    job_key: str | None
    model: str
    stars: int
    note: str
    data: dict[str, Any]
    at: float


def record_score(
    journal: Journal,
    job_key: str,
    *,
    shot_id: str,
    stage: str,
    take: int,
    model: str,
    score: float | None,
    defective: bool,
    data: dict[str, Any],
) -> None:
    """Store (or replace) the judged score of one take."""
    journal.db.execute(
        "INSERT OR REPLACE INTO scores (job_key, shot_id, stage, take, model, score, defective,"
        " data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            job_key,
            shot_id,
            stage,
            take,
            model,
            score,
            int(defective),
            json.dumps(data),
            time.time(),
        ),
    )


def scores(journal: Journal, shot_id: str | None = None) -> list[ScoreRow]:
    """Judged scores, by shot and take."""
    sql = "SELECT job_key, shot_id, stage, take, model, score, defective, data, at FROM scores"
    args: list[Any] = []
    if shot_id is not None:
        sql += " WHERE shot_id = ?"
        args.append(shot_id)
    return [
        ScoreRow(
            job_key=r[0],
            shot_id=r[1],
            stage=r[2],
            take=r[3],
            model=r[4],
            score=r[5],
            defective=bool(r[6]),
            data=json.loads(r[7]),
            at=r[8],
        )
        for r in journal.db.execute(sql + " ORDER BY shot_id, take, at", args)
    ]


def add_rating(
    journal: Journal,
    *,
    shot_id: str,
    stage: str,
    take: int,
    job_key: str | None,
    model: str,
    stars: int,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> int:
    """Record a person's rating; returns its id (every rating is kept, newest counts)."""
    cur = journal.db.execute(
        "INSERT INTO ratings (shot_id, stage, take, job_key, model, stars, note, data, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (shot_id, stage, take, job_key, model, stars, note, json.dumps(data or {}), time.time()),
    )
    return int(cur.lastrowid or 0)


def ratings(journal: Journal) -> list[RatingRow]:
    """Every rating, oldest first."""
    rows = journal.db.execute(
        "SELECT id, shot_id, stage, take, job_key, model, stars, note, data, at FROM ratings"
        " ORDER BY id"
    )
    return [
        RatingRow(
            id=r[0],
            shot_id=r[1],
            stage=r[2],
            take=r[3],
            job_key=r[4],
            model=r[5],
            stars=r[6],
            note=r[7],
            data=json.loads(r[8]),
            at=r[9],
        )
        for r in rows
    ]
