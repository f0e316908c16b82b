"""Turning a judged take into outcomes: which checks speak for which routing axis."""

from __future__ import annotations

from collections.abc import Mapping

from shotrelay.learn.store import Outcome

__all__ = ["JUDGED_AXES", "VLM_AXES", "judged_outcomes"]

#: routing axis -> the judge's measured checks whose scores (0..1) stand for it: the CPU
#: checks speak for what they measure, and no more; the learned scorers (judge.learned) for
#: the picture's look (``aesthetic``) and for doing what the shot asked (``clip_alignment``).
JUDGED_AXES: dict[str, tuple[str, ...]] = {
    "aesthetics": ("sharpness", "flicker", "black", "frozen", "aesthetic"),
    "motion": ("motion",),
    "continuity": ("continuity", "face"),
    "control": ("clip_alignment",),
}

#: routing axis -> the VLM rubric's checks (``vlm_<axis>``, plan.llm.judge.AXES): a reading
#: of the picture, stored as its own kind so it weighs as ``Learning.vlm_weight``.
VLM_AXES: dict[str, tuple[str, ...]] = {
    "aesthetics": ("vlm_aesthetics",),
    "motion": ("vlm_motion",),
    "continuity": ("vlm_continuity",),
    "control": ("vlm_intent",),
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
    """One outcome per axis and kind (measured, VLM) whose checks were run on the take
    (their mean score)."""
    out = []
    for kind, table in (("judged", JUDGED_AXES), ("vlm", VLM_AXES)):
        for axis, names in table.items():
            values = [checks[n] for n in names if n in checks]
            if values:
                out.append(
                    Outcome(
                        model=model,
                        version=version,
                        shot_class=shot_class,
                        axis=axis,
                        value=round(sum(values) / len(values), 4),
                        kind=kind,
                        project=project,
                        take=take,
                    )
                )
    return out
