"""Turning a judged take into outcomes: which checks speak for which routing axis."""

from __future__ import annotations

from collections.abc import Mapping

from shotrelay.learn.store import Outcome

__all__ = ["JUDGED_AXES", "judged_outcomes"]

#: routing axis -> the judge's checks whose scores (0..1) stand for it. A person's rating
#: speaks for aesthetics; the CPU checks speak for what they measure, and no more.
JUDGED_AXES: dict[str, tuple[str, ...]] = {
    "aesthetics": ("sharpness", "flicker", "black", "frozen"),
    "motion": ("motion",),
    "continuity": ("continuity",),
}


def judged_outcomes(
    *,
    model: str,
    version: str,
    shot_class: str,
    checks: Mapping[str, float],
    project: str = "",
    take: str = "",
) -> list[Outcome]:
    """One outcome per axis whose checks were run on the take (their mean score)."""
    out = []
    for axis, names in JUDGED_AXES.items():
        values = [checks[n] for n in names if n in checks]
        if values:
            out.append(
                Outcome(
                    model=model,
                    version=version,
                    shot_class=shot_class,
                    axis=axis,
                    value=round(sum(values) / len(values), 4),
                    kind="judged",
                    project=project,
                    take=take,
                )
            )
    return out
