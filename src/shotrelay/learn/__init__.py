"""Learning from outcomes: the user's outcomes store (judged scores, people's ratings) and
the per (model, shot class, axis) posteriors the router reads (see docs/judging.md)."""

from shotrelay.learn.evidence import JUDGED_AXES, VLM_AXES, judged_outcomes
from shotrelay.learn.posterior import Learned, Learning, Posterior, learn
from shotrelay.learn.store import ENV, Outcome, OutcomeStore, default_path

__all__ = [
    "ENV",
    "JUDGED_AXES",
    "VLM_AXES",
    "Learned",
    "Learning",
    "Outcome",
    "OutcomeStore",
    "Posterior",
    "default_path",
    "judged_outcomes",
    "learn",
]
