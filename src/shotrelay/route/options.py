"""Budget options from ranked drafts: one group per shot-stage, built with numpy.

A generate option bundles the finishing it implies (its upscaler and interpolator), so the
optimiser pays for a low-resolution model's upscale when it picks it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from shotrelay.route.budget import Group, Option
from shotrelay.route.draft import ShotDraft, StageDraft
from shotrelay.route.policy import RouterSettings
from shotrelay.route.stages import FINISHING
from shotrelay.route.table import ModelTable
from shotrelay.spec.vocabulary import Stage

__all__ = ["GroupCache", "shot_groups"]

#: Groups of shots that share their drafts are built once: (id of stages, stage, full).
GroupCache = dict[tuple[int, Stage, bool], tuple[tuple[Option, ...], int]]


@dataclass(frozen=True)
class _Block:
    """Ranking positions that take the same finishing rows, with its cost and value."""

    positions: np.ndarray
    suffix: tuple[int, ...]
    cost: float
    value: float


def _weight(d: ShotDraft, settings: RouterSettings, stage: Stage) -> float:
    """Value of a quality of 1.0 at this stage: stage importance x role importance x seconds."""
    role = settings.role_importance[d.shot.role]
    return role * d.shot.duration * settings.stage_importance[stage]


def _front(sd: StageDraft) -> list[int]:
    """Ranking positions not dominated on (cost, quality); the ranking's pick comes first."""
    r = sd.ranking
    order = np.lexsort((-r.quality, r.cost))
    q = r.quality[order]
    before = np.concatenate([[-np.inf], np.maximum.accumulate(q)[:-1]])
    kept = order[q > before + 1e-12].tolist()
    return [0, *(int(p) for p in kept if p != 0)]


def _finishing(
    d: ShotDraft, settings: RouterSettings, stages: list[Stage], full: bool
) -> list[tuple[tuple[int, ...], float, float]]:
    """Every combination of finishing choices for these stages: rows, cost, value change.

    A finishing stage counts as its quality below native (1.0): a model that needs an
    upscale is worth a little less than one that renders the resolution itself.
    """
    per_stage = []
    for stage in stages:
        fd = d.stages[stage]
        w = _weight(d, settings, stage)
        positions = _front(fd) if full else [0]
        per_stage.append(
            [
                (
                    int(fd.ranking.idx[q]),
                    float(fd.cost[fd.ranking.idx[q]]),
                    w * (fd.ranking.quality[q] - 1.0),
                )
                for q in positions
            ]
        )
    return [
        (tuple(c[0] for c in combo), sum(c[1] for c in combo), sum(c[2] for c in combo))
        for combo in itertools.product(*per_stage)
    ]


def _blocks(
    d: ShotDraft, table: ModelTable, settings: RouterSettings, stage: Stage, full: bool
) -> list[_Block]:
    r = d.stages[stage].ranking
    everyone = np.arange(len(r)) if full else np.zeros(1, dtype=int)
    if stage != Stage.GENERATE:
        return [_Block(everyone, (), 0.0, 0.0)]
    blocks: list[_Block] = []
    up, interp = table.low_res[r.idx[everyone]], table.low_fps[r.idx[everyone]]
    for need_up, need_interp in itertools.product((False, True), repeat=2):
        positions = everyone[(up == need_up) & (interp == need_interp)]
        if len(positions) == 0:
            continue
        stages = [s for s, n in zip(FINISHING, (need_up, need_interp), strict=True) if n]
        for suffix, cost, value in _finishing(d, settings, stages, full):
            blocks.append(_Block(positions, suffix, cost, value))
    return blocks


def _stage_options(
    d: ShotDraft, table: ModelTable, settings: RouterSettings, stage: Stage, full: bool
) -> tuple[tuple[Option, ...], int]:
    """The stage's options no dearer than the pick and not dominated, and the pick's index."""
    sd = d.stages[stage]
    r = sd.ranking
    own = sd.cost[r.idx]
    value = _weight(d, settings, stage) * r.quality
    blocks = _blocks(d, table, settings, stage, full)
    pos = np.concatenate([b.positions for b in blocks])
    block_of = np.concatenate([np.full(len(b.positions), k) for k, b in enumerate(blocks)])
    costs = own[pos] + np.concatenate([np.full(len(b.positions), b.cost) for b in blocks])
    values = value[pos] + np.concatenate([np.full(len(b.positions), b.value) for b in blocks])
    # The pick: ranking position 0 with the first (ranking-preferred) finishing choices.
    pick = int(np.flatnonzero(pos == 0)[0])
    keep = costs <= costs[pick] + 1e-9
    order = np.lexsort((-values, costs))
    order = order[keep[order]]
    vals = values[order]
    before = np.concatenate([[-np.inf], np.maximum.accumulate(vals)[:-1]])
    kept = set(order[vals > before + 1e-12].tolist()) | {pick}
    options: list[Option] = []
    preferred = 0
    for e in sorted(kept):
        if e == pick:
            preferred = len(options)
        block = blocks[int(block_of[e])]
        choice = (int(r.idx[pos[e]]), *block.suffix)
        options.append(Option(choice, float(costs[e]), float(values[e])))
    return tuple(options), preferred


def shot_groups(
    d: ShotDraft,
    table: ModelTable,
    settings: RouterSettings,
    full: bool = True,
    cache: GroupCache | None = None,
) -> list[Group]:
    """One budget group per base stage of a shot.

    Without ``full``, each group holds only the ranking's pick (enough to price the plan).
    Options dearer than the pick are left out: the optimiser only trades down.
    """
    out: list[Group] = []
    for stage in d.base:
        key = (id(d.stages), stage, full)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = _stage_options(d, table, settings, stage, full)
            if cache is not None:
                cache[key] = hit
        out.append(Group(f"{d.shot.id} {stage.value}", *hit))
    return out
