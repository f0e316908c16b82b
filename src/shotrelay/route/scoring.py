"""Ranking: shot weights against model scores, plus cost and speed relative to the other
candidates, balanced by the policy's quality-vs-cost knob."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shotrelay.spec.vocabulary import AXES

__all__ = ["Ranking", "rank", "relative", "why_reasons"]

_NQ = len(AXES) - 2  # quality axes come first in AXES, then speed and cost


def relative(values: np.ndarray) -> np.ndarray:
    """1 for the smallest value, 0 for the largest, linear between; all 1 when all equal.

    Linear, so a few cents between two cheap models count for little when a dear one is
    also on the list.
    """
    lo, hi = values.min(initial=np.inf), values.max(initial=-np.inf)
    if not np.isfinite(lo) or hi - lo < 1e-12:
        return np.ones_like(values)
    out: np.ndarray = (hi - values) / (hi - lo)
    return out


@dataclass(frozen=True)
class Ranking:
    """Candidates of one stage, best first; arrays are aligned with ``idx``."""

    idx: np.ndarray
    score: np.ndarray
    quality: np.ndarray
    breakdown: np.ndarray
    cost: np.ndarray
    seconds: np.ndarray

    def __len__(self) -> int:
        return len(self.idx)


def rank(
    idx: np.ndarray,
    scores: np.ndarray,
    weights: np.ndarray,
    knob: float,
    cost: np.ndarray,
    seconds: np.ndarray,
    bonus: np.ndarray | None = None,
) -> Ranking:
    """Rank candidates ``idx`` (model rows) by weighted score, best first, ties by catalog order.

    ``scores`` holds the candidates' quality-axis scores (rows aligned with ``idx``); ``cost``
    and ``seconds`` are what choosing each candidate costs, finishing it implies included.
    """
    wq = weights[:_NQ]
    quality = scores @ wq / wq.sum() if wq.sum() > 0 else scores.mean(axis=1)
    shifted = np.concatenate([wq * 2 * knob, weights[_NQ:] * 2 * (1 - knob)])
    total = shifted.sum()
    if total <= 0:
        shifted, total = np.ones(len(AXES)), float(len(AXES))
    full = np.column_stack([scores, relative(seconds), relative(cost)])
    parts = full * (shifted / total)
    score = parts.sum(axis=1)
    if bonus is not None:
        score = score + bonus
    order = np.argsort(-score, kind="stable")
    return Ranking(
        idx=idx[order],
        score=score[order],
        quality=quality[order],
        breakdown=parts[order],
        cost=cost[order],
        seconds=seconds[order],
    )


def _money(usd: float) -> str:
    return f"${usd:.2f}" if usd >= 0.01 or usd == 0 else f"${usd:.4f}"


def _axes_list(items: list[tuple[str, float, float]]) -> str:
    return ", ".join(f"{a} ({abs(x - y):+.3f})" for a, x, y in items)


def why_reasons(ranking: Ranking, pos: int, other: int | None, runner: str = "") -> list[str]:
    """Plain-words reasons: why the candidate at ``pos`` over ``runner``, the one at ``other``.

    Axis figures are weighted contributions to the score, so they add up to it.
    """
    b = ranking.breakdown[pos]
    if other is None:
        top = [AXES[a] for a in np.argsort(-b, kind="stable")[:2] if b[a] > 0]
        lead = f"the only model that passes every constraint; strongest on {', '.join(top)}"
        return [lead + f" (score {ranking.score[pos]:.3f})"]
    o = ranking.breakdown[other]
    delta = b - o
    wins = [(AXES[a], b[a], o[a]) for a in np.argsort(-delta, kind="stable") if delta[a] > 1e-9]
    losses = [(AXES[a], b[a], o[a]) for a in np.argsort(delta, kind="stable") if delta[a] < -1e-9]
    score_text = f"score {ranking.score[pos]:.3f} vs {ranking.score[other]:.3f}"
    if wins:
        out = [f"chosen over {runner}: better on {_axes_list(wins[:2])}; {score_text}"]
    else:
        out = [f"chosen over {runner} on total score ({score_text})"]
    if losses:
        out.append(f"{runner} is better on {_axes_list(losses[:2])} but loses overall")
    else:
        out.append(f"{runner} is no better on any axis")
    out.append(
        f"{runner} would cost {_money(float(ranking.cost[other]))} and take "
        f"about {ranking.seconds[other]:.0f} s"
    )
    return out
