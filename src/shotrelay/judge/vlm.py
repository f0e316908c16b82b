"""The optional VLM judge's place among the checks: a few frames of the take go to a
callable (the relay builds it from a configured language model, ``--judge-with``), whose
rubric (0..1 and a reason per axis) becomes one ``vlm_<axis>`` check per axis."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from shotrelay.judge.checks import Check
from shotrelay.judge.clip import ClipData

__all__ = ["VLM_LIMIT", "VLM_SAMPLES", "VisualJudge", "sample_frames", "vlm_checks"]

#: A take's frames (RGB, analysis size, in order) -> {axis: (score 0..1, reason)}.
VisualJudge = Callable[[list[NDArray[np.uint8]]], Mapping[str, tuple[float, str]]]

#: Where in the take the frames are taken (share of its length): start, middle, end.
VLM_SAMPLES = (1 / 6, 1 / 2, 5 / 6)
#: An axis scored below this fails (softly: the VLM's view weighs in the score, never
#: makes a take defective).
VLM_LIMIT = 0.5


def sample_frames(clip: ClipData) -> list[NDArray[np.uint8]]:
    """The frames the VLM sees, at ``VLM_SAMPLES`` of the take."""
    n = len(clip.frames)
    picks = sorted({min(n - 1, int(at * n)) for at in VLM_SAMPLES})
    return [clip.frames[i] for i in picks]


def vlm_checks(clip: ClipData, judge: VisualJudge) -> list[Check]:
    """One check per rubric axis, named ``vlm_<axis>``."""
    return [
        Check(
            name=f"vlm_{axis}",
            value=round(score, 3),
            threshold=VLM_LIMIT,
            passed=score >= VLM_LIMIT,
            score=min(1.0, max(0.0, score)),
            reason=f"VLM: {reason}",
        )
        for axis, (score, reason) in judge(sample_frames(clip)).items()
    ]
