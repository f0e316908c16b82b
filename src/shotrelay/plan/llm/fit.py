"""Fitting a model's shot durations to the project's target length when they drift."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import PlanError
from shotrelay.plan.durations import fit_durations
from shotrelay.spec.models import Shot

__all__ = ["TOLERANCE", "fit_to_target"]

#: Seconds a plan may be off its target before durations are refitted.
TOLERANCE = 0.05


def fit_to_target(
    shots: Sequence[Shot], target: float, models: Sequence[ModelProfile]
) -> list[Shot]:
    """``shots`` with durations summing to ``target``; shots the model made longer stay longer.

    The catalog-aware :func:`fit_durations` is used when it can time exactly this many shots;
    otherwise durations are scaled in proportion and the last shot takes the rounding. The
    fitted shots are validated again; a duration no shot may have raises :class:`PlanError`.
    """
    total = sum(s.duration for s in shots)
    if abs(total - target) <= TOLERANCE:
        return list(shots)
    fitted = fit_durations(target, len(shots), models)
    if len(fitted) != len(shots):
        fitted = _scaled([s.duration for s in shots], target)
        return _revalidated(shots, fitted, target)
    # Longest fitted length to the shot the model made longest (stable for ties).
    rank = sorted(range(len(shots)), key=lambda i: -shots[i].duration)
    return _revalidated(shots, [fitted[rank.index(i)] for i in range(len(shots))], target)


def _revalidated(shots: Sequence[Shot], durations: list[float], target: float) -> list[Shot]:
    """``shots`` with ``durations``, validated as a project load would (model_copy does not)."""
    out = []
    for shot, duration in zip(shots, durations, strict=True):
        try:
            out.append(Shot.model_validate({**shot.model_dump(), "duration": duration}))
        except ValidationError as exc:
            reason = "; ".join(str(e["msg"]) for e in exc.errors())
            raise PlanError(
                f"fitting {len(shots)} shots to the {target:g} s target gives shot "
                f"{shot.id!r} a duration of {duration:g} s ({reason}); fix: plan more "
                "shots (a longer shot list), or a shorter target length"
            ) from None
    return out


def _scaled(durations: list[float], target: float) -> list[float]:
    total = sum(durations)
    out = [max(0.5, round(d * target / total, 1)) for d in durations[:-1]]
    last = round(target - sum(out), 2)
    if last <= 0:
        share = round(target / len(durations), 2)
        out = [share] * (len(durations) - 1)
        last = round(target - sum(out), 2)
    return [*out, last]
