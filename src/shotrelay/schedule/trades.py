"""Deadline trades on a RoutePlan, one shot at a time, each said in words.

In the order the issue states: fewer takes, a faster model of the same family, draft
resolution then upscale. And the other way: another take for a hero shot when there is room.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from shotrelay.catalog.calls import call_cost, call_seconds
from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import ModelProfile, ModelStatus
from shotrelay.route.plan import RoutePlan, ShotRoute, StageRoute
from shotrelay.route.policy import QUALITY_AXES
from shotrelay.spec.models import RESOLUTIONS, Format
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["DRAFT_PENALTY", "TRADES", "Trade", "add_take", "draft", "faster_sibling", "fewer_takes"]

#: Quality given up by rendering a draft and upscaling it (a team estimate, 0..1 scale).
DRAFT_PENALTY = 0.03

#: (plan, shot id, models, format) -> (new plan, what was traded) or None when it does not apply.
Trade = Callable[[RoutePlan, str, Mapping[str, ModelProfile], Format], tuple[RoutePlan, str] | None]


def fewer_takes(
    plan: RoutePlan, shot_id: str, models: Mapping[str, ModelProfile], fmt: Format
) -> tuple[RoutePlan, str] | None:
    """One take fewer for the shot's generate stage (never below one)."""
    st = plan.shot(shot_id).stage(Stage.GENERATE)
    takes = st.takes if st else 1
    if st is None or takes <= 1:
        return None
    new = _retake(st, takes - 1)
    return _replace(plan, shot_id, st, [new]), (
        f"shot {shot_id}: takes {takes} -> {takes - 1} (fewer takes; "
        f"saves ${st.cost.usd - new.cost.usd:.2f} and one {st.model} call)"
    )


def add_take(
    plan: RoutePlan, shot_id: str, models: Mapping[str, ModelProfile], fmt: Format
) -> tuple[RoutePlan, str] | None:
    """One more take for the shot's generate stage (the scorer keeps the best)."""
    st = plan.shot(shot_id).stage(Stage.GENERATE)
    if st is None:
        return None
    takes = st.takes
    new = _retake(st, takes + 1)
    return _replace(plan, shot_id, st, [new]), (
        f"shot {shot_id} (hero): takes {takes} -> {takes + 1} (room before the deadline; "
        f"+${new.cost.usd - st.cost.usd:.2f})"
    )


def faster_sibling(
    plan: RoutePlan, shot_id: str, models: Mapping[str, ModelProfile], fmt: Format
) -> tuple[RoutePlan, str] | None:
    """The generate stage on the fastest model of the same family that can do the shot."""
    st = plan.shot(shot_id).stage(Stage.GENERATE)
    old = models.get(st.model) if st else None
    if st is None or old is None or not old.family:
        return None
    now = call_seconds(old, st.params)
    best: tuple[float, ModelProfile, CallParams] | None = None
    for m in models.values():
        if m.id == old.id or m.family != old.family or m.status != ModelStatus.AVAILABLE:
            continue
        if not m.does(st.task) or (m.resolutions and st.params.resolution not in m.resolutions):
            continue
        clip = m.clip_length(float(st.params.clip_seconds or 0.0))
        if clip is None:
            continue
        params = st.params.but(clip_seconds=clip)
        secs = call_seconds(m, params)
        if secs < now and (best is None or secs < best[0]):
            best = (secs, m, params)
    if best is None:
        return None
    secs, m, params = best
    takes = st.takes
    one = call_cost(m, params)
    new = st.model_copy(
        update={
            "model": m.id,
            "provider": m.provider,
            "params": params,
            "seconds": round(secs, 3),
            "cost": one.times(takes),
            "quality": round(st.quality * _mean_quality(m) / max(1e-9, _mean_quality(old)), 4),
            "fallbacks": [old.id, *(f for f in st.fallbacks if f != m.id)],
            "reasons": [*st.reasons, f"deadline: traded {old.id} for the faster {m.id}"],
        }
    )
    return _replace(plan, shot_id, st, [new]), (
        f"shot {shot_id} generate: {old.id} -> {m.id} (faster model of the same family; "
        f"about {now:.0f} s -> {secs:.0f} s a take, ${st.cost.usd:.2f} -> ${new.cost.usd:.2f})"
    )


def draft(
    plan: RoutePlan,
    shot_id: str,
    models: Mapping[str, ModelProfile],
    fmt: Format,
) -> tuple[RoutePlan, str] | None:
    """Render the generate stage one resolution lower, then upscale to the project's."""
    shot = plan.shot(shot_id)
    st = shot.stage(Stage.GENERATE)
    gen = models.get(st.model) if st else None
    if st is None or gen is None:
        return None
    res = st.params.resolution or fmt.resolution
    lower = sorted(
        (r for r in gen.resolutions if RESOLUTIONS[r] < RESOLUTIONS.get(res, 0)),
        key=RESOLUTIONS.__getitem__,
    )
    ups = [m for m in models.values() if m.does(Task.UPSCALE) and not m.local]
    if not lower or not ups:
        return None
    to = lower[-1]
    params = st.params.but(resolution=to, draft_from=st.params.draft_from or res, **_dims(fmt, to))
    clip = float(st.params.clip_seconds or 0.0)
    up = min(ups, key=lambda m: m.latency.estimate(clip))
    up_params = CallParams(
        clip_seconds=clip,
        resolution=fmt.resolution,
        from_resolution=to,
        aspect=fmt.aspect,
        **_dims(fmt, fmt.resolution),
    )
    before = call_seconds(gen, st.params)
    after = call_seconds(gen, params) + (
        0.0 if shot.stage(Stage.UPSCALE) else call_seconds(up, up_params)
    )
    if after >= before:
        return None
    takes = st.takes
    one = gen.pricing.estimate(seconds=clip, resolution=to, label=gen.name)
    new_gen = st.model_copy(
        update={
            "params": params,
            "seconds": round(call_seconds(gen, params), 3),
            "cost": one.times(takes),
            "quality": round(max(0.0, st.quality - DRAFT_PENALTY), 4),
            "reasons": [*st.reasons, f"deadline: draft at {to}, upscaled to {fmt.resolution}"],
        }
    )
    added: list[StageRoute] = [new_gen]
    if shot.stage(Stage.UPSCALE) is None:
        est = call_cost(up, up_params)
        added.append(
            StageRoute(
                stage=Stage.UPSCALE,
                task=Task.UPSCALE,
                model=up.id,
                provider=up.provider,
                cost=est,
                seconds=round(call_seconds(up, up_params), 3),
                score=st.score,
                quality=st.quality,
                reasons=[f"deadline: upscales the {to} draft to {fmt.resolution}"],
                params=up_params,
            )
        )
    return _replace(plan, shot_id, st, added), (
        f"shot {shot_id} generate: draft at {to} then upscale to {fmt.resolution} with "
        f"{up.id} (about {before:.0f} s -> {after:.0f} s)"
    )


#: The stated order in which a late plan gives quality up.
TRADES: Sequence[tuple[str, Trade]] = (
    ("fewer takes", fewer_takes),
    ("faster model", faster_sibling),
    ("draft then upscale", draft),
)


def plan_cost(plan: RoutePlan) -> float:
    """The plan's estimated cost (generate costs already count every take)."""
    return plan.total_cost_usd


def _retake(st: StageRoute, takes: int) -> StageRoute:
    cost = st.cost.times(takes)
    return st.model_copy(update={"takes": takes, "cost": cost})


def _mean_quality(m: ModelProfile) -> float:
    return sum(m.score(a) for a in QUALITY_AXES) / len(QUALITY_AXES)


def _dims(fmt: Format, resolution: str) -> dict[str, int]:
    f = Format(aspect=fmt.aspect, resolution=resolution)
    return {"width": f.width, "height": f.height}


def _replace(plan: RoutePlan, shot_id: str, old: StageRoute, new: list[StageRoute]) -> RoutePlan:
    shots: list[ShotRoute] = []
    for s in plan.shots:
        if s.id != shot_id:
            shots.append(s)
            continue
        replaced = {old.stage, *(n.stage for n in new)}
        stages = [x for x in s.stages if x.stage not in replaced] + new
        stages.sort(key=lambda x: list(Stage).index(x.stage))
        shots.append(s.model_copy(update={"stages": stages}))
    return plan.model_copy(update={"shots": shots})
