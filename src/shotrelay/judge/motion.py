"""Camera motion from global optical flow: the frame's translation and its expansion.

A pan right moves the picture left (negative x flow), a tilt up moves it down, a push-in
expands it from the centre. ``EXPECTED`` says, per requested move, which measure must have
which sign; moves it does not name (handheld, tracking, orbits) are not checked.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.judge.checks import Check

__all__ = ["EXPECTED", "Motion", "check_motion", "measure_motion"]

#: requested move -> (measure, sign the measure must have); "still" wants no motion at all.
EXPECTED: dict[str, tuple[str, int]] = {
    "pan-right": ("x", -1),
    "pan-left": ("x", 1),
    "tilt-up": ("y", 1),
    "tilt-down": ("y", -1),
    "push-in": ("zoom", 1),
    "pull-out": ("zoom", -1),
    "static": ("still", 0),
}
#: A move is present above this rate (frame widths per second for x/y, scale per second
#: for zoom); a static shot may move less than ``STILL`` in either.
MOVING = 0.02
STILL = 0.05
_MAX_PAIRS = 24
_FLOW_WIDTH = 160


@dataclass(frozen=True)
class Motion:
    """Global motion per second: x and y in frame widths, zoom as relative scale."""

    x: float
    y: float
    zoom: float

    def describe(self) -> str:
        """Plain words for the measured motion."""
        return f"flow x {self.x:+.3f}, y {self.y:+.3f} widths/s, zoom {self.zoom:+.3f}/s"


def measure_motion(grey: list[NDArray[np.uint8]], fps: float) -> Motion:
    """The median global flow over up to 24 evenly spaced frame pairs."""
    if len(grey) < 2 or fps <= 0:
        return Motion(0.0, 0.0, 0.0)
    step = max(1, (len(grey) - 1) // _MAX_PAIRS)
    small = [_shrink(g) for g in grey[::step]]
    h, w = small[0].shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    rx, ry = xs - (w - 1) / 2, ys - (h - 1) / 2
    r2 = float((rx * rx + ry * ry).mean())
    per_s = fps / step
    xs_, ys_, zs_ = [], [], []
    for a, b in itertools.pairwise(small):
        flow = np.asarray(_farneback(a, b), dtype=np.float32)
        fx, fy = flow[..., 0], flow[..., 1]
        mx, my = float(np.median(fx)), float(np.median(fy))
        zoom = float(((fx - mx) * rx + (fy - my) * ry).mean()) / r2
        xs_.append(mx / w * per_s)
        ys_.append(my / w * per_s)
        zs_.append(zoom * per_s)
    return Motion(float(np.median(xs_)), float(np.median(ys_)), float(np.median(zs_)))


def check_motion(motion: Motion, camera: str) -> Check | None:
    """Whether the measured motion matches the requested move (None: the move is not checked)."""
    want = EXPECTED.get(camera)
    if want is None:
        return None
    measure, sign = want
    if measure == "still":
        drift = max(abs(motion.x), abs(motion.y), abs(motion.zoom))
        ok = drift <= STILL
        return Check(
            name="motion",
            value=round(drift, 4),
            threshold=STILL,
            passed=ok,
            score=1.0 if ok else max(0.0, 1 - (drift - STILL) / STILL),
            reason=f"static shot asked; {motion.describe()}" + ("" if ok else ": the camera moves"),
        )
    value = sign * getattr(motion, measure)
    ok = value >= MOVING
    if ok:
        why = f"{camera} asked and seen ({motion.describe()})"
    elif value <= -MOVING:
        why = f"{camera} asked, but the picture moves the other way ({motion.describe()})"
    else:
        why = f"{camera} asked, but the camera barely moves ({motion.describe()})"
    return Check(
        name="motion",
        value=round(value, 4),
        threshold=MOVING,
        passed=ok,
        score=1.0 if ok else max(0.0, 0.5 + value / (2 * MOVING)) * 0.5,
        reason=why,
    )


def _shrink(grey: NDArray[np.uint8]) -> NDArray[np.uint8]:
    h, w = grey.shape
    if w <= _FLOW_WIDTH:
        return grey
    size = (_FLOW_WIDTH, max(2, round(h * _FLOW_WIDTH / w)))
    return np.asarray(cv2.resize(grey, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _farneback(a: NDArray[np.uint8], b: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Dense flow from ``a`` to ``b`` (OpenCV's stubs want an output array; None is allowed)."""
    out = cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5, 1.2, 0)  # type: ignore[call-overload]
    return np.asarray(out, dtype=np.float32)
