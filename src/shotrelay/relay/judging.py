"""The judge as the relay's scorer: every take judged and stored, the best cut, and why.

A take that fails hard QC (black, frozen, wrong duration) is never cut silently: when every
take of a shot fails, the shot stops for a person (``pick`` one, or ``redo`` the stage).
Takes that cannot be decoded (not video) are left unjudged and stay in the running.

The checks run in a worker thread (``asyncio.to_thread``), so the run's other jobs keep
moving while a take is judged; the journal and the outcomes store are written on the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import derive_seed
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.scores import ScoreRow, record_score, scores
from shotrelay.engine.settings import TakeResult, TakesRejected
from shotrelay.errors import IntegrityError, ShotrelayError
from shotrelay.judge import (
    Judgement,
    LearnedScorers,
    VisualJudge,
    asked_for,
    choose,
    judge_clip,
)
from shotrelay.learn import OutcomeStore, judged_outcomes
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage, Voice

__all__ = [
    "JudgeScorer",
    "ShotVLM",
    "held_takes",
    "judge_scorer",
    "shot_scores",
    "shot_text",
]

#: The optional VLM judge (``--judge-with``, built in ``plan.llm.judge``): the shot, the
#: shots before and after it, the take's frames (RGB) -> {axis: (score 0..1, reason)}.
ShotVLM = Callable[
    [Shot, Shot | None, Shot | None, list[NDArray[np.uint8]]], Mapping[str, tuple[float, str]]
]

_GEN = Stage.GENERATE.value


#: An async scorer: the executor awaits it (engine.settings.Scorer allows an awaitable).
AsyncScorer = Callable[[str, list[TakeResult]], Awaitable[int | None]]


class JudgeScorer:
    """A Scorer that also remembers the shots whose every take it rejected."""

    def __init__(self, scorer: AsyncScorer) -> None:
        self.scorer = scorer
        self.rejected: set[str] = set()

    async def __call__(self, shot_id: str, takes: list[TakeResult]) -> int | None:
        try:
            return await self.scorer(shot_id, takes)
        except TakesRejected:
            self.rejected.add(shot_id)
            raise


def shot_text(shot: Shot) -> str:
    """What the shot should show, in words, for text-frame alignment."""
    return ", ".join(p for p in (shot.subject, shot.action, shot.setting, shot.lighting) if p)


def judge_scorer(
    project: Project,
    plan: RoutePlan,
    journal: Journal,
    ref: str,
    models: Mapping[str, ModelProfile],
    outcomes: OutcomeStore | None = None,
    vlm: ShotVLM | None = None,
    learned: LearnedScorers | None = None,
) -> JudgeScorer:
    """A scorer that judges every take, records each score, and explains its choice.

    With ``outcomes``, every judged take of a cloud model is also evidence for the router.
    With ``vlm``, a language model also scores each take's frames (its failures are noted
    in the journal, and the take is judged without it). With ``learned`` (CLIP alignment,
    an aesthetic head), those scores join the checks. Each take's palette is compared with
    the take chosen for the shot before, when that shot was judged first in this run.
    """
    routes = {r.id: r for r in plan.shots}
    order = sorted(project.shots, key=lambda s: s.order)
    chosen: dict[str, Path] = {}

    def neighbours(shot: Shot) -> tuple[Shot | None, Shot | None]:
        at = next(i for i, s in enumerate(order) if s.id == shot.id)
        return (order[at - 1] if at > 0 else None), (order[at + 1] if at + 1 < len(order) else None)

    def seeing(shot: Shot, failures: list[str]) -> VisualJudge | None:
        if vlm is None:
            return None
        before, after = neighbours(shot)

        def see(frames: list[NDArray[np.uint8]]) -> Mapping[str, tuple[float, str]]:
            try:
                return vlm(shot, before, after, frames)
            except ShotrelayError as exc:
                failures.append(str(exc))  # journalled on the loop, not in this thread
                return {}

        return see

    async def scorer(shot_id: str, takes: list[TakeResult]) -> int | None:
        shot = project.shot(shot_id)
        route = routes.get(shot_id)
        stage = route.stage(Stage.GENERATE) if route else None
        seconds = (stage.params.clip_seconds or shot.duration) if stage else None
        native = shot.voice == Voice.NATIVE and bool(shot.dialogue)
        asked = asked_for(shot, project.format, duration=seconds, audio=native)
        cast = [project.character(name) for name in shot.characters]
        faces = [r for c in cast if c is not None for r in c.references]
        failures: list[str] = []
        see = seeing(shot, failures)
        before, _after = neighbours(shot)
        previous = chosen.get(before.id) if before is not None else None
        judged: dict[int, Judgement] = {}
        unjudged: dict[int, str] = {}
        for t in takes:
            local = models[t.model].local if t.model in models else False
            try:
                ask = asked.model_copy(update={"still_ok": local})
                verdict = await asyncio.to_thread(
                    judge_clip,
                    t.path,
                    ask,
                    previous=previous,
                    references=faces,
                    vlm=see,
                    learned=learned,
                    prompt=shot_text(shot),
                )
            except IntegrityError as exc:
                unjudged[t.take] = str(exc)
                _store(journal, shot_id, t, None, {"error": str(exc)})
                continue
            judged[t.take] = verdict
            _store(journal, shot_id, t, verdict, verdict.model_dump(mode="json"))
            profile = models.get(t.model)
            if outcomes is not None and profile is not None and not profile.local:
                evidence = judged_outcomes(
                    model=t.model,
                    version=profile.api_model,
                    shot_class=shot.role.value,
                    checks={c.name: c.score for c in verdict.checks},
                    project=project.name,
                    take=t.key,
                )
                outcomes.add(evidence)
        for failure in failures:
            journal.event("vlm_failed", failure, shot_id=shot.id, stage=_GEN)
        choice = choose(judged)
        take, why = choice.take, choice.why
        if take is None and unjudged:
            take = min(unjudged)
            why = f"take {take} cut unjudged ({unjudged[take]})"
        elif take is None:
            raise TakesRejected(
                f"shot {shot_id}: {why}: `shotrelay redo {ref} {shot_id} --stage generate` "
                f"makes new takes, `shotrelay pick {ref} {shot_id} N` cuts one anyway"
            )
        data: dict[str, Any] = {
            "take": take,
            "runner_up": choice.runner_up,
            "scores": {str(k): v for k, v in choice.scores.items()},
        }
        journal.event("take_choice", why, shot_id=shot_id, stage=_GEN, data=data)
        chosen[shot_id] = next(t.path for t in takes if t.take == take)
        return take

    return JudgeScorer(scorer)


def _store(
    journal: Journal,
    shot_id: str,
    take: TakeResult,
    verdict: Judgement | None,
    data: dict[str, Any],
) -> None:
    record_score(
        journal,
        take.key,
        shot_id=shot_id,
        stage=_GEN,
        take=take.take,
        model=take.model,
        score=verdict.score if verdict else None,
        defective=verdict.defective if verdict else False,
        data=data,
    )


def held_takes(project: Project, journal: Journal) -> dict[str, int]:
    """Per shot, how many takes a run builds without ``--takes``: enough to keep its pick and
    the takes already made at its current revision (cached, so they cost nothing again)."""
    revisions = journal.revisions()
    held = dict(journal.picks())
    for row in journal.jobs(state=JobStateName.SUCCEEDED.value):
        if row.stage != _GEN or row.take < 2:
            continue
        rev = revisions.get((row.shot_id, _GEN), 0)
        if row.detail.get("seed") == derive_seed(project.name, row.shot_id, row.take, rev):
            held[row.shot_id] = max(held.get(row.shot_id, 0), row.take)
    return held


def shot_scores(journal: Journal, keys: set[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Judged takes by shot (only the jobs in ``keys`` when given), each with its checks and
    whether it was the one cut, plus the choice's reason."""
    choices = {e.shot_id: e for e in journal.events(kind="take_choice") if e.shot_id}
    out: dict[str, list[dict[str, Any]]] = {}
    for row in scores(journal):
        if keys is not None and row.job_key not in keys:
            continue
        out.setdefault(row.shot_id, []).append(_row(row, choices.get(row.shot_id)))
    return out


def _row(row: ScoreRow, choice: Any) -> dict[str, Any]:
    checks = row.data.get("checks", [])
    return {
        "take": row.take,
        "model": row.model,
        "score": row.score,
        "defective": row.defective,
        "chosen": bool(choice and choice.data.get("take") == row.take),
        "why": choice.message if choice and choice.data.get("take") == row.take else "",
        "failed": [f"{c['name']}: {c['reason']}" for c in checks if not c["passed"]],
        "checks": {c["name"]: {k: c[k] for k in ("value", "threshold", "passed")} for c in checks},
        "error": row.data.get("error", ""),
    }
