"""route_project: every shot's stages to a model, with fallbacks, reasons, cost and time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.learn.posterior import Learned
from shotrelay.route.budget import Group, Option, optimise
from shotrelay.route.constraints import Constraints
from shotrelay.route.draft import DraftCache, ShotDraft, StageDraft, draft_shot, needed_finishing
from shotrelay.route.options import GroupCache, shot_groups
from shotrelay.route.plan import RoutePlan, ShotRoute, StageRoute
from shotrelay.route.policy import RouterSettings, Weighting, load_settings
from shotrelay.route.scoring import why_reasons
from shotrelay.route.table import ModelTable
from shotrelay.spec.models import Format, Project
from shotrelay.spec.vocabulary import AXES, Stage

__all__ = ["MAX_FALLBACKS", "route_project"]

#: Ranked fallbacks kept per stage.
MAX_FALLBACKS = 3


def route_project(
    project: Project,
    models: Sequence[ModelProfile],
    *,
    budget_usd: float | None = None,
    available: Callable[[str], bool] | None = None,
    preset: str | None = None,
    explain: bool = False,
    learned: Learned | None = None,
) -> RoutePlan:
    """Route every shot's stages to models.

    ``budget_usd`` defaults to the project's; when the best choices cost more, the plan is
    re-optimised within it (BudgetError when even the cheapest plan is over). ``available``
    is asked once per provider name (default: all available). ``preset`` overrides the
    policy's. ``explain`` records, per stage, why every other model was excluded.
    ``learned``: posteriors from outcomes (shotrelay.learn) that replace the catalog's priors
    per class of shot; None routes on the priors only.
    """
    settings = load_settings()
    preset_name = preset or project.policy.preset
    weighting = Weighting(project.policy, settings.preset(preset_name))
    table = ModelTable.build(models, project.format)
    table.learned = learned
    cons = Constraints(table, project.policy, available)
    drafts: list[ShotDraft] = []
    cache: DraftCache = {}
    previous = None
    for shot in project.shots:
        drafts.append(
            draft_shot(shot, previous, table, cons, weighting, settings, project.takes, cache)
        )
        previous = shot
    group_cache: GroupCache = {}
    groups = [g for d in drafts for g in shot_groups(d, table, settings, False, group_cache)]
    budget = budget_usd if budget_usd is not None else project.budget_usd
    picks = [g.preferred for g in groups]
    notes: list[str] = []
    if budget is not None and _total(groups, None) > budget + 1e-9:
        groups = [g for d in drafts for g in shot_groups(d, table, settings, True, group_cache)]
        picks = optimise(groups, budget)
        if picks != [g.preferred for g in groups]:
            notes.append(
                f"the best choices cost ${_total(groups, None):.2f}, over the ${budget:.2f} "
                f"budget: the optimiser traded down to ${_total(groups, picks):.2f}"
            )
    bound = picks != [g.preferred for g in groups]
    trades: list[str] = []
    shots: list[ShotRoute] = []
    gi = 0
    for d in drafts:
        stage_routes: list[StageRoute] = []
        chosen: dict[Stage, int] = {}
        for stage in d.base:
            group = groups[gi]
            option = group.options[picks[gi]]
            best = group.options[group.preferred]
            if picks[gi] != group.preferred:
                trades += _trade_lines(d, table, stage, best, option)
            chosen[stage] = option.choice[0]
            if stage == Stage.GENERATE:
                finishing = needed_finishing(d, table, option.choice[0])
                chosen.update(zip(finishing, option.choice[1:], strict=True))
            gi += 1
        for stage in sorted(chosen, key=list(Stage).index):
            ctx = _Ctx(d, table, chosen, project.format, project.takes, budget if bound else None)
            stage_routes.append(_stage_route(ctx, stage, settings, explain))
        shots.append(ShotRoute(id=d.shot.id, role=d.shot.role, stages=stage_routes))
    return RoutePlan(
        project=project.name,
        policy=preset_name,
        budget_usd=budget,
        shots=shots,
        trades=trades,
        notes=notes,
    )


def _total(groups: list[Group], picks: list[int] | None) -> float:
    return sum(
        g.options[g.preferred if picks is None else picks[i]].cost for i, g in enumerate(groups)
    )


def _position(sd: StageDraft, row: int) -> int:
    return int(np.flatnonzero(sd.ranking.idx == row)[0])


def _trade_lines(
    d: ShotDraft, table: ModelTable, stage: Stage, old: Option, new: Option
) -> list[str]:
    """What the optimiser gave up in one group, in words."""
    # Only a generate option bundles finishing stages (an edit model's low resolution does not).
    gen = stage == Stage.GENERATE
    stages = [stage, *(needed_finishing(d, table, new.choice[0]) if gen else [])]
    old_stages = [stage, *(needed_finishing(d, table, old.choice[0]) if gen else [])]
    saves = old.cost - new.cost
    lines: list[str] = []
    if old.choice[0] != new.choice[0]:
        sd = d.stages[stage]
        qo = sd.ranking.quality[_position(sd, old.choice[0])]
        qn = sd.ranking.quality[_position(sd, new.choice[0])]
        added = [
            f"{s.value} by {table.models[m].id}"
            for s, m in zip(stages[1:], new.choice[1:], strict=True)
        ]
        extra = f" (adds {', '.join(added)})" if added else ""
        lines.append(
            f"{d.shot.id} {stage.value}: {table.models[old.choice[0]].id} -> "
            f"{table.models[new.choice[0]].id} saves {_money(saves)}, "
            f"quality {qo:.2f} -> {qn:.2f}{extra}"
        )
        return lines
    for s, mo, mn in zip(old_stages[1:], old.choice[1:], new.choice[1:], strict=True):
        if mo != mn:
            fd = d.stages[s]
            qo, qn = fd.ranking.quality[_position(fd, mo)], fd.ranking.quality[_position(fd, mn)]
            lines.append(
                f"{d.shot.id} {s.value}: {table.models[mo].id} -> {table.models[mn].id} "
                f"saves {_money(float(fd.cost[mo] - fd.cost[mn]))}, quality {qo:.2f} -> {qn:.2f}"
            )
    return lines


@cache
def _dims(aspect: str, resolution: str) -> tuple[int, int]:
    f = Format(aspect=aspect, resolution=resolution)
    return f.width, f.height


class _Ctx:
    """What building one shot's StageRoutes needs to know."""

    def __init__(
        self,
        d: ShotDraft,
        table: ModelTable,
        chosen: dict[Stage, int],
        fmt: Format,
        takes: int,
        budget: float | None,
    ) -> None:
        self.d, self.table, self.chosen, self.fmt = d, table, chosen, fmt
        self.takes, self.budget = takes, budget


def _estimate(ctx: _Ctx, stage: Stage, row: int) -> CostEstimate:
    sd, model = ctx.d.stages[stage], ctx.table.models[row]
    res = ctx.table.resolution[row]
    if stage == Stage.KEYFRAME:
        est = model.pricing.estimate(images=1, resolution=res, label=model.name)
    elif stage == Stage.TTS:
        est = model.pricing.estimate(
            seconds=ctx.d.shot.duration, chars=sd.chars, resolution=res, label=model.name
        )
    else:
        clip = float(sd.clips[row])
        est = model.pricing.estimate(seconds=clip, resolution=res, label=model.name)
    if stage == Stage.GENERATE and ctx.takes > 1:
        est = est.times(ctx.takes)
    return est


def _params(ctx: _Ctx, stage: Stage, row: int) -> CallParams:
    fmt, t = ctx.fmt, ctx.table
    gen = ctx.chosen[Stage.GENERATE]
    gen_res, gen_fps = t.resolution[gen], t.models[gen].fps or fmt.fps
    clip = float(ctx.d.stages[stage].clips[row])
    if stage == Stage.KEYFRAME:
        w, h = _dims(fmt.aspect, fmt.resolution)
        return CallParams(width=w, height=h, aspect=fmt.aspect, resolution=fmt.resolution)
    if stage == Stage.TTS:
        return CallParams(seconds=ctx.d.shot.duration, chars=ctx.d.stages[stage].chars)
    out_res = fmt.resolution if stage in (Stage.UPSCALE, Stage.INTERPOLATE) else gen_res
    w, h = _dims(fmt.aspect, out_res)
    fps = fmt.fps if stage == Stage.INTERPOLATE else gen_fps
    params = CallParams(
        clip_seconds=clip, width=w, height=h, fps=fps, aspect=fmt.aspect, resolution=out_res
    )
    if stage == Stage.GENERATE:
        if ctx.d.handoff:
            return params.but(first_frame="previous")
        return params if t.text_only[row] else params.but(first_frame="keyframe")
    if stage == Stage.UPSCALE:
        return params.but(from_resolution=gen_res)
    if stage == Stage.INTERPOLATE:
        return params.but(from_fps=gen_fps)
    return params


def _notes(ctx: _Ctx, stage: Stage, row: int, settings: RouterSettings) -> list[str]:
    t, fmt, sd = ctx.table, ctx.fmt, ctx.d.stages[stage]
    out: list[str] = []
    if sd.pinned:
        out.append(f"pinned by the shot (models.{stage.value})")
    if stage == Stage.GENERATE:
        if ctx.d.handoff:
            out.append("starts from the previous shot's last frame")
        elif t.text_only[row]:
            out.append(
                "text-to-video: cannot start from the keyframe, so its continuity counts "
                f"at x{settings.text_only_continuity:g}"
            )
        else:
            out.append("starts from the keyframe")
        if t.low_res[row]:
            out.append(f"renders at most {t.resolution[row]}: adds an upscale to {fmt.resolution}")
        if t.low_fps[row]:
            out.append(f"renders {t.models[row].fps} fps: adds interpolation to {fmt.fps} fps")
    return out


def _money(usd: float) -> str:
    return f"${usd:.2f}" if usd >= 0.01 or usd == 0 else f"${usd:.4f}"


def _stage_route(ctx: _Ctx, stage: Stage, settings: RouterSettings, explain: bool) -> StageRoute:
    t, sd = ctx.table, ctx.d.stages[stage]
    r, row = sd.ranking, ctx.chosen[stage]
    pos = _position(sd, row)
    runner = 1 if pos == 0 and len(r) > 1 else (0 if pos != 0 else None)
    cap = r.cost[pos] + 1e-9 if ctx.budget is not None else np.inf
    fallbacks: list[str] = []
    for p in range(len(r)):
        if len(fallbacks) == MAX_FALLBACKS:
            break
        if p != pos and r.cost[p] <= cap:
            fallbacks.append(t.models[r.idx[p]].id)
    spare = [t.models[i] for i in sd.last_resort]
    old = [m for m in spare if not m.draft]  # deprecated: a fallback only when there is room
    if len(fallbacks) < MAX_FALLBACKS and old:
        fallbacks.append(old[0].id)
    # The draft renderer always ends the chain: an unreachable or refusing provider still
    # leaves the shot a clip (said in the run's output), never a hole in the cut.
    drafts = [m for m in spare if m.draft and m.id not in fallbacks]
    if drafts:
        fallbacks.append(drafts[0].id)
    model = t.models[row]
    est = _estimate(ctx, stage, row)
    seconds = float(sd.seconds[row])
    runner_id = t.models[r.idx[runner]].id if runner is not None else None
    reasons = why_reasons(r, pos, runner, runner_id or "")
    reasons += _notes(ctx, stage, row, settings)
    reasons += t.learned_reasons(model.id, ctx.d.shot.role.value)
    if sd.passed_over is not None:
        over, cap = sd.passed_over
        reasons.append(
            f"cost rule: evidence ranks {t.models[over].id} first, but learned routing keeps "
            f"to the cost of the priors' choice ({_money(cap)}; Learning.cost_cap)"
        )
    cost_line = f"costs {_money(est.usd)} ({est.label}), about {seconds:.0f} s"
    if stage == Stage.GENERATE and (t.low_res[row] or t.low_fps[row]):
        fin = sum(
            float(ctx.d.stages[s].cost[ctx.chosen[s]]) for s in needed_finishing(ctx.d, t, row)
        )
        cost_line += f"; {_money(est.usd + fin)} with its finishing"
    reasons.append(cost_line)
    if pos != 0 and ctx.budget is not None:
        reasons.append(
            f"budget: the ranking preferred {t.models[r.idx[0]].id}; this choice keeps the "
            f"plan within ${ctx.budget:.2f}"
        )
    return StageRoute(
        stage=stage,
        task=next(task for task in stage.tasks if model.does(task)),
        model=model.id,
        provider=model.provider,
        cost=est,
        seconds=round(seconds, 3),
        score=float(r.score[pos]),
        quality=float(r.quality[pos]),
        breakdown={a: float(v) for a, v in zip(AXES, r.breakdown[pos], strict=True)},
        fallbacks=fallbacks,
        reasons=reasons,
        runner_up=runner_id,
        excluded=sd.excluded(t) if explain else [],
        params=_params(ctx, stage, row),
        takes=ctx.takes if stage == Stage.GENERATE else 1,
    )
