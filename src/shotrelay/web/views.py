"""What each page shows, gathered read-only from the project, its journal, store and manifest.

The report's reader (``shotrelay.report.data.gather``) and ``api.status`` are the sources:
the studio shows what the CLI and the report show, never a second bookkeeping.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay import api
from shotrelay.engine.journal import EventRow, JobRow
from shotrelay.engine.readonly import ReadOnlyJournal
from shotrelay.engine.scores import RatingRow, ratings
from shotrelay.report.data import ReportData, RunRow, gather
from shotrelay.spec.models import Shot
from shotrelay.web.runs import Activity, Served

__all__ = ["BoardView", "Card", "CutVersion", "StageView", "Take", "board_view", "shot_view"]

_BUSY = {"pending", "submitting", "submitted"}
_STUCK = {"failed", "unknown"}


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class CutVersion(_View):
    """One cut the journal recorded: the animatic or a final, by its content id."""

    kind: str
    artifact: str
    made_at: float
    shots: list[str]


class Card(_View):
    """One storyboard card: a shot with its frame, route, money, state and judged score."""

    shot: Shot
    frame: str | None
    clip: str | None
    model: str
    planned_usd: float
    spent_usd: float
    state: str
    score: float | None
    takes: int
    picked: int | None


class BoardView(_View):
    """A project's board, gate and cut page: every card, the money and the outputs."""

    slug: str
    name: str
    brief: str
    deadline: datetime | None
    budget_usd: float | None
    planned_usd: float
    reserved_usd: float
    spent_usd: float
    paid_stages: int
    plan_source: str
    plan_error: str
    approved: bool
    cards: list[Card]
    versions: list[CutVersion]
    uploads: list[str]
    gate_note: str
    runs: list[RunRow]
    activity: Activity
    events: list[EventRow]
    #: The take of each shot the last cut used (from the manifest).
    cut_takes: dict[str, int]

    @property
    def animatic(self) -> CutVersion | None:
        """The latest animatic."""
        return next((v for v in reversed(self.versions) if v.kind == "animatic"), None)

    @property
    def final(self) -> CutVersion | None:
        """The latest final cut (complete or partial)."""
        return next((v for v in reversed(self.versions) if v.kind == "final"), None)


class Take(_View):
    """One take of a shot: its clip, judged score and reasons, and whether the cut uses it."""

    take: int
    model: str
    state: str
    clip: str | None
    score: float | None
    failed: list[str]
    why: str
    chosen: bool
    picked: bool
    error: str
    #: The latest person's rating of this take, if any.
    rating: RatingRow | None = None


class StageView(_View):
    """One stage of a shot: the model routed to it and why, and the prompt it was sent."""

    stage: str
    state: str
    model: str
    planned_model: str
    reasons: list[str]
    runner_up: str | None
    fallbacks: list[str]
    planned_usd: float
    prompt: str
    negative: str
    cost_usd: float | None
    events: list[str]


def board_view(served: Served, activity: Activity) -> tuple[BoardView, ReportData]:
    """The board of a served project (and the report data it was read from)."""
    data = gather(served.file)
    report = api.status(served.file, last=0)
    scores = report.scores
    cards = [_card(data, shot, scores.get(shot.id, []), report.picks) for shot in _shots(data)]
    gate = [e for e in data.events if e.kind == "gate"]
    uploads = [e for e in data.events if e.kind == "uploads"]
    plan = data.plan
    view = BoardView(
        slug=served.slug,
        name=data.project.name,
        brief=data.project.brief,
        deadline=data.project.deadline,
        budget_usd=data.project.budget_usd,
        planned_usd=plan.total_cost_usd if plan else 0.0,
        reserved_usd=data.reserved_usd,
        spent_usd=data.actual_usd,
        paid_stages=sum(
            1 for s in plan.shots for st in s.stages if st.cost.usd > 0 or st.provider != "local"
        )
        if plan
        else 0,
        plan_source=data.plan_source,
        plan_error=data.plan_error,
        approved=report.approved,
        cards=cards,
        versions=_versions(data.jobs),
        uploads=uploads[-1].message.splitlines() if uploads else [],
        gate_note=gate[-1].message if gate else "",
        runs=data.runs,
        activity=activity,
        events=data.events[-12:],
        cut_takes={s.id: take for s in _shots(data) if (take := _cut_take(data, s.id)) is not None},
    )
    return view, data


def _shots(data: ReportData) -> list[Shot]:
    return sorted(data.project.shots, key=lambda s: s.order)


def _latest(jobs: list[JobRow]) -> dict[tuple[str, int], JobRow]:
    """The newest job per (stage, take)."""
    out: dict[tuple[str, int], JobRow] = {}
    for job in sorted(jobs, key=lambda j: (j.updated_at, j.created_at)):
        out[(job.stage, job.take)] = job
    return out


def _state(latest: list[JobRow]) -> str:
    states = {j.state.value for j in latest}
    if states & _BUSY:
        return "running"
    if states & _STUCK and "succeeded" not in states:
        return "failed"
    if states & _STUCK:
        return "needs you"
    if states and states <= {"succeeded", "skipped"}:
        return "done"
    return "waiting"


def _card(
    data: ReportData, shot: Shot, scored: list[dict[str, Any]], picks: dict[str, int]
) -> Card:
    jobs = [j for j in data.jobs if j.shot_id == shot.id]
    latest = _latest(jobs)
    frames = [j for (stage, _), j in latest.items() if stage == "keyframe" and j.artifact]
    clips = [j for (stage, _), j in latest.items() if stage == "generate" and j.artifact]
    route = next((r for r in data.plan.shots if r.id == shot.id), None) if data.plan else None
    gen = next((s for s in route.stages if s.stage.value == "generate"), None) if route else None
    chosen = next((row for row in reversed(scored) if row["chosen"]), None)
    takes = {t for (stage, t) in latest if stage == "generate" and t}
    return Card(
        shot=shot,
        frame=frames[-1].artifact if frames else None,
        clip=clips[0].artifact if clips else None,
        model=gen.model if gen else (route.stages[0].model if route else ""),
        planned_usd=route.cost_usd if route else 0.0,
        spent_usd=sum(j.actual_usd for j in jobs),
        state=_state(list(latest.values())),
        score=chosen["score"] if chosen else None,
        takes=len(takes),
        picked=picks.get(shot.id),
    )


def _versions(jobs: list[JobRow]) -> list[CutVersion]:
    cuts = [j for j in jobs if j.stage == "cut" and j.artifact and j.state.value == "succeeded"]
    return [
        CutVersion(
            kind=j.model,
            artifact=j.artifact or "",
            made_at=j.updated_at,
            shots=[str(c.get("shot_id", "")) for c in j.detail.get("clips", [])],
        )
        for j in sorted(cuts, key=lambda j: j.updated_at)
    ]


def shot_view(
    data: ReportData, shot: Shot, scored: list[dict[str, Any]], picks: dict[str, int]
) -> tuple[list[Take], list[StageView]]:
    """Every take of a shot side by side, and each of its stages with route and prompt."""
    jobs = [j for j in data.jobs if j.shot_id == shot.id]
    latest = _latest(jobs)
    in_cut = _cut_take(data, shot.id)
    rated = _ratings(data)
    by_take: dict[int, dict[str, Any]] = {}
    for row in scored:
        by_take[int(row["take"])] = row
    takes = []
    for (stage, number), job in sorted(latest.items(), key=lambda kv: kv[0][1]):
        if stage != "generate" or not number:
            continue
        row = by_take.get(number, {})
        takes.append(
            Take(
                take=number,
                model=job.model,
                state=job.state.value,
                clip=job.artifact,
                score=row.get("score"),
                failed=list(row.get("failed", [])),
                why=str(row.get("why", "")),
                chosen=in_cut == number,
                picked=picks.get(shot.id) == number,
                error=job.error_message or str(row.get("error", "")),
                rating=rated.get(job.key),
            )
        )
    return takes, _stages(data, shot.id, latest)


def _ratings(data: ReportData) -> dict[str, RatingRow]:
    """The latest rating of each job."""
    if not data.workspace.journal.is_file():
        return {}
    journal = ReadOnlyJournal(data.workspace.journal)
    try:
        return {r.job_key: r for r in ratings(journal) if r.job_key}
    finally:
        journal.close()


def _cut_take(data: ReportData, shot_id: str) -> int | None:
    for stage in data.stages(shot_id):
        if stage.get("stage") == "generate" and stage.get("chosen"):
            return int(stage["take"])
    return None


def _stages(
    data: ReportData, shot_id: str, latest: dict[tuple[str, int], JobRow]
) -> list[StageView]:
    route = next((r for r in data.plan.shots if r.id == shot_id), None) if data.plan else None
    recorded = {
        str(s["stage"]): s for s in data.stages(shot_id) if not s.get("take") or s.get("chosen")
    }
    out = []
    for st in route.stages if route else []:
        rec = recorded.get(st.stage.value, {})
        jobs = [j for (stage, _), j in latest.items() if stage == st.stage.value]
        out.append(
            StageView(
                stage=st.stage.value,
                state=str(rec.get("state") or (jobs[-1].state.value if jobs else "not run")),
                model=str(rec.get("model") or st.model),
                planned_model=st.model,
                reasons=list(st.reasons),
                runner_up=st.runner_up,
                fallbacks=list(st.fallbacks),
                planned_usd=st.cost.usd,
                prompt=str(rec.get("prompt", "")),
                negative=str(rec.get("negative", "")),
                cost_usd=rec.get("actual_usd"),
                events=[str(e) for e in rec.get("events", [])][-6:],
            )
        )
    return out
