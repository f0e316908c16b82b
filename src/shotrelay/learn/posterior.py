"""Posteriors per (model version, shot class, axis): the catalog prior moved by evidence.

A weighted Beta-like update: the prior counts as ``prior_strength`` observations at the
catalog's score; each outcome adds its value with weight ``rating_weight`` (a person's
rating) or ``judged_weight`` (an automatic score), times ``0.5 ** (age / half_life_days)``
so newer evidence weighs more. Evidence about another version of a model does not count.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.learn.store import Outcome

__all__ = ["Learned", "Learning", "Posterior", "learn"]

_DAY = 86400.0


@dataclass(frozen=True)
class Learning:
    """How strongly evidence moves a prior."""

    prior_strength: float = 4.0
    rating_weight: float = 3.0
    judged_weight: float = 1.0
    half_life_days: float = 60.0
    #: Optimism for little-tried models: the router reads ``mean + explore * sd``, where the
    #: sd (``prior_sd`` at the prior, shrinking with evidence) says how unsure the mean is.
    explore: float = 0.0
    prior_sd: float = 0.15


@dataclass(frozen=True)
class Posterior:
    """A model's learned score on one axis for one class of shot."""

    model: str
    shot_class: str
    axis: str
    prior: float
    mean: float
    weight: float
    judged: int
    rated: int
    #: What the router ranks on: the mean, plus the exploration bonus when one is set.
    value: float = -1.0

    def __post_init__(self) -> None:
        if self.value < 0:
            object.__setattr__(self, "value", self.mean)

    def reason(self) -> str:
        """``aesthetics 0.82, learned from 14 rated takes; prior 0.92``."""
        parts = []
        if self.rated:
            parts.append(f"{self.rated} rated")
        if self.judged:
            parts.append(f"{self.judged} judged")
        return (
            f"{self.axis} {self.mean:.2f}, learned from {' and '.join(parts)} takes "
            f"({self.shot_class}); prior {self.prior:.2f}"
        )


@dataclass
class Learned:
    """Every posterior with evidence, looked up by model id, shot class and axis."""

    table: dict[tuple[str, str, str], Posterior] = field(default_factory=dict)

    def get(self, model: str, shot_class: str, axis: str) -> Posterior | None:
        """The posterior, or None when no evidence moved the prior."""
        return self.table.get((model, shot_class, axis))

    def for_model(self, model: str, shot_class: str) -> list[Posterior]:
        """Every learned axis of a model on a class of shot."""
        return [p for (m, c, _a), p in self.table.items() if m == model and c == shot_class]

    def evidence(self, model: str, shot_class: str) -> list[Posterior]:
        """The axes of a model on a class of shot that evidence moved (for reasons)."""
        return [p for p in self.for_model(model, shot_class) if p.judged or p.rated]

    def __len__(self) -> int:
        return len(self.table)


def learn(
    outcomes: Iterable[Outcome],
    models: Sequence[ModelProfile],
    *,
    settings: Learning | None = None,
    now: float | None = None,
) -> Learned:
    """Posteriors for the catalog's models from the outcomes about their current versions."""
    cfg = settings or Learning()
    now = time.time() if now is None else now
    current = {m.id: m for m in models}
    sums: dict[tuple[str, str, str], list[float]] = {}
    for o in outcomes:
        m = current.get(o.model)
        if m is None or o.version != m.api_model:
            continue  # another version's record: this one starts from its prior
        w = cfg.rating_weight if o.kind == "rating" else cfg.judged_weight
        w *= 0.5 ** (max(0.0, now - o.at) / (cfg.half_life_days * _DAY))
        acc = sums.setdefault((o.model, o.shot_class, o.axis), [0.0, 0.0, 0, 0])
        acc[0] += w * o.value
        acc[1] += w
        acc[2 if o.kind == "judged" else 3] += 1
    if cfg.explore > 0:  # every model is a candidate in every class seen, tried or not
        axes = {a for (_m, _c, a) in sums}
        for cls in {c for (_m, c, _a) in sums}:
            for mid in current:
                for axis in axes:
                    sums.setdefault((mid, cls, axis), [0.0, 0.0, 0, 0])
    out = Learned()
    for (mid, cls, axis), (total, weight, judged, rated) in sums.items():
        prior = current[mid].score(axis)
        mean = (cfg.prior_strength * prior + total) / (cfg.prior_strength + weight)
        sd = cfg.prior_sd * (cfg.prior_strength / (cfg.prior_strength + weight)) ** 0.5
        out.table[(mid, cls, axis)] = Posterior(
            mid,
            cls,
            axis,
            prior,
            round(mean, 4),
            weight,
            int(judged),
            int(rated),
            value=round(min(1.0, mean + cfg.explore * sd), 4),
        )
    return out
