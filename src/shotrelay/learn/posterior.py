"""Posteriors per (model version, shot class, axis): the catalog prior moved by evidence.

A weighted Beta-like update: the prior counts as ``prior_strength`` observations at the
catalog's score; each outcome adds its value with weight ``rating_weight`` (a person's
rating), ``vlm_weight`` (a VLM's rubric) or ``judged_weight`` (a measured score), times
``0.5 ** (age / half_life_days)`` so newer evidence weighs more. Evidence about another
version of a model does not count.

What the router ranks on (``Posterior.value``) is, by default, a seeded Thompson draw from
each posterior on the classes of shot where trying is cheap (not hero shots): a model the
priors rank low is still tried now and then, so its record can grow (see explore.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.learn.explore import draws
from shotrelay.learn.store import Outcome

__all__ = ["Learned", "Learning", "Posterior", "learn"]

_DAY = 86400.0


@dataclass(frozen=True)
class Learning:
    """How strongly evidence moves a prior."""

    prior_strength: float = 2.0
    rating_weight: float = 3.0
    judged_weight: float = 1.0
    #: A VLM's rubric: a reading of the picture, surer than a pixel statistic, less than a person.
    vlm_weight: float = 1.5
    half_life_days: float = 60.0
    #: Optimism for little-tried models: the router reads ``mean + explore * sd``, where the
    #: sd (``prior_sd`` at the prior, shrinking with evidence) says how unsure the mean is.
    explore: float = 0.0
    prior_sd: float = 0.15
    #: Thompson sampling: the router reads ``mean + sample * sd * z``, z a seeded normal draw
    #: per (model, shot class), fresh whenever the class gains evidence; 0 ranks on the mean.
    sample: float = 0.5
    #: The draws' seed: the same outcomes and seed always route the same way.
    seed: int = 0
    #: Shot classes never explored: the shot a cut lives on is not the place to try a model.
    steady: tuple[str, ...] = ("hero",)
    #: A class of shot routes on the priors until it holds this many takes: a take or two
    #: (judged with noise) is not clear evidence, and acting on it can only do harm early.
    min_takes: int = 5
    #: Learned routing never routes a stage to a model dearer than the priors' choice for it.
    cost_cap: bool = True


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
    #: What the router ranks on: the mean, plus the exploration bonus or draw when set.
    value: float = -1.0
    #: How many of the takes were judged by a VLM (counted in ``judged`` too).
    seen: int = 0
    #: How many more takes its class needs before its evidence counts (``Learning.min_takes``).
    waiting: int = 0

    def __post_init__(self) -> None:
        if self.value < 0:
            object.__setattr__(self, "value", self.mean)

    def reason(self) -> str:
        """``aesthetics 0.82, learned from 14 rated takes; prior 0.92``."""
        parts = []
        if self.rated:
            parts.append(f"{self.rated} rated")
        if self.judged:
            parts.append(
                f"{self.judged} judged" + (f" ({self.seen} by a VLM)" if self.seen else "")
            )
        if self.waiting:
            tried = f"; routed on the prior until {self.waiting} more takes of this class"
        elif self.value > self.mean + 5e-4:
            tried = f"; tried at {self.value:.2f} to explore"
        else:
            tried = ""
        return (
            f"{self.axis} {self.mean:.2f}, learned from {' and '.join(parts)} takes "
            f"({self.shot_class}); prior {self.prior:.2f}{tried}"
        )


@dataclass
class Learned:
    """Every posterior with evidence, looked up by model id, shot class and axis."""

    table: dict[tuple[str, str, str], Posterior] = field(default_factory=dict)
    #: The router never routes a stage to a model dearer than the priors' choice for it
    #: (``Learning.cost_cap``); off for posteriors that are known truths, not evidence.
    cost_cap: bool = True

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
    weights = {"rating": cfg.rating_weight, "vlm": cfg.vlm_weight, "judged": cfg.judged_weight}
    sums: dict[tuple[str, str, str], list[float]] = {}
    for o in outcomes:
        m = current.get(o.model)
        if m is None or o.version != m.api_model:
            continue  # another version's record: this one starts from its prior
        w = weights[o.kind] * 0.5 ** (max(0.0, now - o.at) / (cfg.half_life_days * _DAY))
        acc = sums.setdefault((o.model, o.shot_class, o.axis), [0.0, 0.0, 0, 0, 0])
        acc[0] += w * o.value
        acc[1] += w
        acc[3 if o.kind == "rating" else 2] += 1
        acc[4] += o.kind == "vlm"
    evidence = {
        c: sum(int(a[2] + a[3]) for (_m, k, _a), a in sums.items() if k == c)
        for (_m, c, _a) in sums
    }
    waiting = {c: max(0, cfg.min_takes - n) for c, n in _takes(sums).items()}
    exploring = cfg.explore > 0 or cfg.sample > 0
    if exploring:  # every model is a candidate in every class seen, tried or not
        axes = {a for (_m, _c, a) in sums}
        for cls in evidence:
            for mid in current:
                for axis in axes:
                    sums.setdefault((mid, cls, axis), [0.0, 0.0, 0, 0, 0])
    z = draws(cfg.seed, evidence, list(current), skip=cfg.steady) if cfg.sample > 0 else {}
    out = Learned(cost_cap=cfg.cost_cap)
    for (mid, cls, axis), (total, weight, judged, rated, seen) in sums.items():
        prior = current[mid].score(axis)
        mean = (cfg.prior_strength * prior + total) / (cfg.prior_strength + weight)
        sd = cfg.prior_sd * (cfg.prior_strength / (cfg.prior_strength + weight)) ** 0.5
        value = mean + cfg.explore * sd + cfg.sample * sd * z.get((mid, cls), 0.0)
        if waiting[cls]:
            value = prior
        out.table[(mid, cls, axis)] = Posterior(
            mid,
            cls,
            axis,
            prior,
            round(mean, 4),
            weight,
            int(judged),
            int(rated),
            value=round(min(1.0, max(0.0, value)), 4),
            seen=int(seen),
            waiting=waiting[cls],
        )
    return out


def _takes(sums: dict[tuple[str, str, str], list[float]]) -> dict[str, int]:
    """Takes per class of shot: on its best-covered axis, the judged takes or the rated
    ones, whichever are more (a rated take is usually judged too: not counted twice)."""
    per_axis: dict[tuple[str, str], list[int]] = {}
    for (_m, cls, axis), acc in sums.items():
        n = per_axis.setdefault((cls, axis), [0, 0])
        n[0] += int(acc[2])
        n[1] += int(acc[3])
    out: dict[str, int] = {}
    for (cls, _axis), (judged, rated) in per_axis.items():
        out[cls] = max(out.get(cls, 0), judged, rated)
    return out
