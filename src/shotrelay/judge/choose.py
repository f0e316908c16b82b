"""Choosing among judged takes, and saying why (and what the runner-up lost on)."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from shotrelay.judge.checks import Asked, Judgement
from shotrelay.spec.models import Format, Shot

__all__ = ["Choice", "asked_for", "choose"]


class Choice(BaseModel):
    """The take to cut (None when every take is defective), and why."""

    model_config = ConfigDict(frozen=True)

    take: int | None
    why: str
    runner_up: int | None = None
    #: Every take judged: take number -> score.
    scores: dict[int, float] = {}


def asked_for(
    shot: Shot,
    fmt: Format,
    *,
    duration: float | None = None,
    audio: bool = False,
    still_ok: bool = False,
) -> Asked:
    """What a shot asks of its generated clip (``duration``: the routed clip length)."""
    return Asked(
        still_ok=still_ok,
        duration=duration or shot.duration,
        fps=fmt.fps,
        width=fmt.width,
        height=fmt.height,
        camera=shot.camera.value,
        audio=audio,
    )


def choose(judged: Mapping[int, Judgement]) -> Choice:
    """The best-scoring take that is not defective; ties go to the earlier take."""
    scores = {t: j.score for t, j in judged.items()}
    ranked = sorted(judged, key=lambda t: (judged[t].defective, -judged[t].score, t))
    if not ranked:
        return Choice(take=None, why="no take to judge", scores=scores)
    best = ranked[0]
    if judged[best].defective:
        lines = "; ".join(f"take {t}: {judged[t].failed[0].reason}" for t in ranked)
        return Choice(
            take=None,
            why=f"every take failed hard QC ({lines}); re-take it or pick one by hand",
            scores=scores,
        )
    why = f"take {best} judged best, {judged[best].summary()}"
    runner = ranked[1] if len(ranked) > 1 else None
    if runner is not None:
        lost = judged[runner].failed
        what = "; ".join(c.line() for c in lost[:2]) if lost else "a lower overall score"
        why += f"; runner-up take {runner} ({judged[runner].score:.2f}) lost on {what}"
    return Choice(take=best, why=why, runner_up=runner, scores=scores)
