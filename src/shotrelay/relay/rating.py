"""People's ratings of takes: recorded in the project's journal with what was known of the
take (role, stage, model, prompt dialect, judged scores), and in the user's outcomes store so
the router learns from them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import derive_seed
from shotrelay.engine.journal import JobRow, JobStateName, Journal
from shotrelay.engine.scores import add_rating, scores
from shotrelay.errors import SpecError
from shotrelay.learn import Outcome, OutcomeStore
from shotrelay.relay.wiring import locked_journal, open_project, shot_of
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage

__all__ = ["Rating", "rate"]

_GEN = Stage.GENERATE.value


class Rating(BaseModel):
    """A recorded rating and the take it is about."""

    model_config = ConfigDict(frozen=True)

    id: int
    shot_id: str
    take: int
    stars: int
    note: str
    role: str
    stage: str
    model: str
    dialect: str
    job_key: str
    score: float | None
    failed: list[str]


def rate(
    project_path: Path | str,
    shot_id: str,
    stars: int,
    take: int | None = None,
    *,
    note: str = "",
    workdir: Path | str | None = None,
    models: Mapping[str, ModelProfile] | None = None,
    store: OutcomeStore | None = None,
) -> Rating:
    """Rate a shot's take 1-5 (the take in the cut when ``take`` is None)."""
    ws, project = open_project(project_path, workdir)
    if not 1 <= stars <= 5:
        raise SpecError(f"a rating is 1 to 5 stars, not {stars}", field="stars", fix="pass 1-5")
    shot = shot_of(project, shot_id)
    if models is None:
        from shotrelay.catalog.loader import load_catalog

        models = {m.id: m for m in load_catalog().models}
    with locked_journal(ws, project, "shotrelay rate") as journal:
        number = take if take is not None else _cut_take(journal, shot_id)
        row = _take_row(journal, project, shot_id, number)
        judged = next((s for s in scores(journal, shot_id) if s.job_key == row.key), None)
        checks = judged.data.get("checks", []) if judged else []
        failed = [f"{c['name']}: {c['reason']}" for c in checks if not c["passed"]]
        profile = models.get(row.model)
        data = {
            "role": shot.role.value,
            "dialect": profile.dialect if profile else "",
            "score": judged.score if judged else None,
            "failed": failed,
            "project": project.name,
        }
        rid = add_rating(
            journal,
            shot_id=shot_id,
            stage=_GEN,
            take=number,
            job_key=row.key,
            model=row.model,
            stars=stars,
            note=note,
            data=data,
        )
        journal.event("rating", f"take {number}: {stars}/5 {note}".strip(), shot_id=shot_id)
    if profile is not None:
        (store or OutcomeStore()).add(
            [
                Outcome(
                    model=row.model,
                    version=profile.api_model,
                    shot_class=shot.role.value,
                    axis="aesthetics",
                    value=(stars - 1) / 4,
                    kind="rating",
                    project=project.name,
                    take=row.key,
                )
            ]
        )
    return Rating(
        id=rid,
        shot_id=shot_id,
        take=number,
        stars=stars,
        note=note,
        role=shot.role.value,
        stage=_GEN,
        model=row.model,
        dialect=str(data["dialect"]),
        job_key=row.key,
        score=judged.score if judged else None,
        failed=failed,
    )


def _cut_take(journal: Journal, shot_id: str) -> int:
    """The take in the cut: a person's pick, else the judge's last choice, else take 1."""
    if (picked := journal.picks().get(shot_id)) is not None:
        return picked
    choices = journal.events(shot_id=shot_id, kind="take_choice")
    return int(choices[-1].data.get("take", 1)) if choices else 1


def _take_row(journal: Journal, project: Project, shot_id: str, take: int) -> JobRow:
    rev = journal.revisions().get((shot_id, _GEN), 0)
    rows = [
        r
        for r in journal.jobs(shot_id=shot_id, state=JobStateName.SUCCEEDED.value)
        if r.stage == _GEN and r.take == take
    ]
    current = [
        r for r in rows if r.detail.get("seed") == derive_seed(project.name, shot_id, take, rev)
    ]
    if not (current or rows):
        raise SpecError(
            f"shot {shot_id} has no finished take {take} to rate",
            field="take",
            fix="rate a take that `shotrelay status` lists, or run the project first",
        )
    return (current or rows)[-1]
