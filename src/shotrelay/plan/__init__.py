"""Planners: a brief becomes a shot list (rule-based built in; model-backed via `Planner`)."""

from shotrelay.plan.brief import BriefReading, Clause, read_brief
from shotrelay.plan.durations import clip_support, fit_durations
from shotrelay.plan.planner import (
    DEFAULT_LENGTH,
    Planner,
    RulePlanner,
    apply_brief,
    plan_project,
)

__all__ = [
    "DEFAULT_LENGTH",
    "BriefReading",
    "Clause",
    "Planner",
    "RulePlanner",
    "apply_brief",
    "clip_support",
    "fit_durations",
    "plan_project",
    "read_brief",
]
