"""Per-shot routing work: every stage's feasible candidates, ranked, as arrays.

Nothing here builds pydantic objects; the router turns the few chosen rows into a RoutePlan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from shotrelay.route.constraints import (
    Check,
    Constraints,
    ShotNeeds,
    exclusions,
    feasible,
    no_model_error,
)
from shotrelay.route.plan import Exclusion
from shotrelay.route.policy import QUALITY_AXES, RouterSettings, Weighting
from shotrelay.route.scoring import Ranking, rank
from shotrelay.route.stages import FINISHING, base_stages, hands_off
from shotrelay.route.table import ModelTable
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Stage

__all__ = [
    "DraftCache",
    "ShotDraft",
    "StageDraft",
    "draft_shot",
    "needed_finishing",
    "no_dearer",
    "signature",
]

_CONTINUITY = QUALITY_AXES.index("continuity")


@dataclass
class StageDraft:
    """One stage of one shot: checks, ranked primaries, last resorts, unit figures.

    Last resorts are feasible models never chosen as the primary route: deprecated ones, then
    draft renderers when the preset does not rank drafts and a real model can do the stage.
    """

    stage: Stage
    checks: list[Check]
    ranking: Ranking
    last_resort: list[int]
    clips: np.ndarray
    cost: np.ndarray
    seconds: np.ndarray
    pinned: bool
    chars: int = 0
    #: The model evidence ranked first but the cost rule passed over, and the priors'
    #: choice's cost it is held to (Learned.cost_cap).
    passed_over: tuple[int, float] | None = None

    def excluded(self, table: ModelTable) -> list[Exclusion]:
        """Why each other model cannot serve this stage (or serves only as a last resort)."""
        return exclusions(self.checks, table) + [last_resort(table, i) for i in self.last_resort]


@dataclass
class ShotDraft:
    """All stage drafts of one shot, finishing stages included when some model needs them."""

    shot: Shot
    handoff: bool
    stages: dict[Stage, StageDraft] = field(default_factory=dict)

    @property
    def base(self) -> list[Stage]:
        """Stages the shot needs whatever generates it."""
        return [s for s in self.stages if s not in FINISHING]


def _unit_figures(
    table: ModelTable, stage: Stage, shot: Shot, clips: np.ndarray, takes: int, chars: int
) -> tuple[np.ndarray, np.ndarray]:
    if stage == Stage.KEYFRAME:
        # One keyframe per shot, whatever the number of takes generated from it.
        zero = np.zeros(len(table))
        return table.costs(zero, images=1), table.latencies(zero)
    if stage == Stage.TTS:
        secs = np.full(len(table), shot.duration)
        return table.costs(secs, chars=chars), table.latencies(secs)
    cost, seconds = table.costs(clips), table.latencies(clips)
    if stage == Stage.GENERATE:
        return cost * takes, seconds * takes
    return cost, seconds


def _draft_stage(
    table: ModelTable,
    cons: Constraints,
    weighting: Weighting,
    settings: RouterSettings,
    stage: Stage,
    needs: ShotNeeds,
    takes: int,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
) -> StageDraft:
    shot = needs.shot
    checks = cons.checks(stage, needs, weighting.rules(shot, stage))
    ok = feasible(checks)
    pinned = stage in shot.models
    primary = ok if pinned else ok & ~table.deprecated
    if not pinned and not weighting.preset.rank_drafts:
        real = primary & ~table.draft
        if real.any():
            primary = real
    idx = np.flatnonzero(primary)
    chars = sum(len(d.line) for d in shot.dialogue) if stage == Stage.TTS else 0
    cost, seconds = _unit_figures(table, stage, shot, needs.clips, takes, chars)
    bundle_cost, bundle_secs = cost[idx], seconds[idx]
    if extra is not None:
        bundle_cost = bundle_cost + extra[0][idx]
        bundle_secs = bundle_secs + extra[1][idx]
    bonus = (
        table.local[idx] * weighting.preset.local_bonus if weighting.preset.local_bonus else None
    )

    def ranked(quality: np.ndarray) -> Ranking:
        scores = quality[idx]
        if stage == Stage.GENERATE and not needs.handoff:
            scores = scores.copy()
            scores[table.text_only[idx], _CONTINUITY] *= settings.text_only_continuity
        w = weighting.weights(shot, stage)
        return rank(idx, scores, w, weighting.knob, bundle_cost, bundle_secs, bonus)

    ranking = ranked(table.quality_for(shot.role.value))
    learned = table.learned
    passed_over = None
    if learned is not None and len(learned) and learned.cost_cap and len(idx):
        # Learning may change which model is chosen, never what the stage costs: models
        # dearer than the priors' choice rank after every model that is not.
        cap = float(ranked(table.quality).cost[0])
        if ranking.cost[0] > cap + 1e-9:
            passed_over = (int(ranking.idx[0]), cap)
        ranking = no_dearer(ranking, cap)
    spare = ok & ~primary
    dep = np.flatnonzero(spare & table.deprecated).tolist()
    dep += np.flatnonzero(spare & table.draft & ~table.deprecated).tolist()
    return StageDraft(
        stage=stage,
        checks=checks,
        ranking=ranking,
        last_resort=dep,
        clips=needs.clips,
        cost=cost,
        seconds=seconds,
        pinned=pinned,
        chars=chars,
        passed_over=passed_over,
    )


def no_dearer(ranking: Ranking, cap: float) -> Ranking:
    """The ranking with candidates costing more than ``cap`` moved after all the others
    (each part keeps its order), so the pick and the budget's options are no dearer."""
    order = np.argsort(ranking.cost > cap + 1e-9, kind="stable")
    return Ranking(
        idx=ranking.idx[order],
        score=ranking.score[order],
        quality=ranking.quality[order],
        breakdown=ranking.breakdown[order],
        cost=ranking.cost[order],
        seconds=ranking.seconds[order],
    )


def draft_shot(
    shot: Shot,
    previous: Shot | None,
    table: ModelTable,
    cons: Constraints,
    weighting: Weighting,
    settings: RouterSettings,
    takes: int,
    cache: DraftCache | None = None,
) -> ShotDraft:
    """Rank every stage of a shot; RoutingError when a stage it needs has no model.

    Shots that ask the same of every stage share their drafts through ``cache``.
    """
    handoff = hands_off(shot, previous)
    draft = ShotDraft(shot=shot, handoff=handoff)
    key = signature(shot, handoff, weighting.by_id)
    if cache is not None and key in cache:
        draft.stages = cache[key]
        return draft
    clips = table.clip_lengths(shot.duration)
    finishing: dict[Stage, StageDraft] = {}
    for stage in FINISHING:
        needs = ShotNeeds(shot=shot, handoff=handoff, clips=clips)
        finishing[stage] = _draft_stage(table, cons, weighting, settings, stage, needs, takes)
    up, interp = finishing[Stage.UPSCALE].ranking, finishing[Stage.INTERPOLATE].ranking
    needs = ShotNeeds(
        shot=shot,
        handoff=handoff,
        clips=clips,
        has_upscaler=len(up) > 0,
        has_interpolator=len(interp) > 0,
    )
    # A generate candidate's cost and time include the best finishing it would need.
    extra_cost = np.zeros(len(table))
    extra_secs = np.zeros(len(table))
    if len(up):
        extra_cost += table.low_res * up.cost[0]
        extra_secs += table.low_res * up.seconds[0]
    if len(interp):
        extra_cost += table.low_fps * interp.cost[0]
        extra_secs += table.low_fps * interp.seconds[0]
    for stage in base_stages(shot, previous):
        extra = (extra_cost, extra_secs) if stage == Stage.GENERATE else None
        sd = _draft_stage(table, cons, weighting, settings, stage, needs, takes, extra)
        if len(sd.ranking) == 0:
            raise no_model_error(shot, stage, sd.excluded(table))
        draft.stages[stage] = sd
    for stage, sd in finishing.items():
        if len(sd.ranking):
            draft.stages[stage] = sd
    if cache is not None:
        cache[key] = draft.stages
    return draft


DraftCache = dict[tuple[object, ...], dict[Stage, StageDraft]]


def signature(shot: Shot, handoff: bool, by_id: bool) -> tuple[object, ...]:
    """Everything about a shot that routing reads: equal signatures, equal drafts."""
    return (
        shot.duration,
        shot.role,
        shot.weights,
        shot.framing,
        shot.camera,
        shot.lens,
        shot.id if by_id else "",
        len(shot.references),
        tuple(sorted(shot.models.items())),
        sum(len(d.line) for d in shot.dialogue),
        shot.has_dialogue,
        bool(shot.edit),
        handoff,
    )


def last_resort(table: ModelTable, row: int) -> Exclusion:
    """Why a feasible model is kept only as the last fallback."""
    model = table.models[row]
    if table.deprecated[row]:
        return Exclusion(
            model=model.id,
            constraint="status",
            reason="deprecated: used only as a last fallback, never as the primary route",
        )
    return Exclusion(
        model=model.id,
        constraint="draft",
        reason=(
            "previs-grade draft renderer: primary only with --preset previs or when no other "
            "model can do the stage; otherwise the last fallback"
        ),
    )


def needed_finishing(draft: ShotDraft, table: ModelTable, gen_row: int) -> list[Stage]:
    """Finishing stages the generate model in ``gen_row`` implies."""
    out: list[Stage] = []
    if table.low_res[gen_row]:
        out.append(Stage.UPSCALE)
    if table.low_fps[gen_row]:
        out.append(Stage.INTERPOLATE)
    return out
