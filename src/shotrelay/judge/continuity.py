"""Continuity with the previous shot: how far the palette moves across the cut."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.judge.checks import Check
from shotrelay.judge.clip import ClipData

__all__ = ["PALETTE_LIMIT", "check_continuity", "palette_distance"]

#: Above this distance (CIE76 delta E of the mean Lab colour, plus the histogram term) the
#: two shots no longer read as one scene.
PALETTE_LIMIT = 25.0


def palette_distance(a: list[NDArray[np.uint8]], b: list[NDArray[np.uint8]]) -> float:
    """Delta E between mean colours, plus 50 x the Hellinger distance of the hue histograms."""
    la, lb = _lab(a), _lab(b)
    delta_e = float(np.linalg.norm(la.reshape(-1, 3).mean(0) - lb.reshape(-1, 3).mean(0)))
    ha, hb = _hist(a), _hist(b)
    hist = float(cv2.compareHist(ha, hb, cv2.HISTCMP_BHATTACHARYYA))
    return delta_e + 50.0 * hist


def check_continuity(previous: ClipData, clip: ClipData) -> Check:
    """The palette distance from the end of the previous shot to the start of this one."""
    tail, head = previous.frames[-6:], clip.frames[:6]
    value = palette_distance(tail, head)
    ok = value <= PALETTE_LIMIT
    return Check(
        name="continuity",
        value=round(value, 2),
        threshold=PALETTE_LIMIT,
        passed=ok,
        score=max(0.0, 1.0 - value / (3 * PALETTE_LIMIT)),
        reason=f"palette distance {value:.1f} from the previous shot"
        + ("" if ok else f", above {PALETTE_LIMIT:.0f}: the colour jumps across the cut"),
    )


def _lab(frames: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
    stack = np.concatenate(frames, axis=0).astype(np.float32) / 255.0
    return np.asarray(cv2.cvtColor(stack, cv2.COLOR_RGB2Lab), dtype=np.float32)


def _hist(frames: list[NDArray[np.uint8]]) -> NDArray[np.float32]:
    stack = np.concatenate(frames, axis=0)
    hsv = cv2.cvtColor(stack, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1], None, [18, 8], [0, 180, 0, 256])
    return np.asarray(cv2.normalize(hist, hist), dtype=np.float32)
