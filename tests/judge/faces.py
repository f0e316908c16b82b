"""Cartoon faces drawn in the test that OpenCV's Haar cascade finds (verified by the tests):
a light oval with dark eyes and brows, a nose line and a mouth, on a dark ground."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

Grey = NDArray[np.uint8]


def face(
    size: int = 200,
    *,
    eye_dx: float = 0.18,
    eye_w: float = 0.09,
    eye_y: float = 0.42,
    mouth_w: float = 0.16,
    glasses: bool = False,
    beard: bool = False,
) -> Grey:
    """One face, ``size`` px square; the keywords make another person."""
    img = np.full((size, size), 60, np.uint8)
    c, line = size // 2, max(2, size // 40)
    cv2.ellipse(img, (c, int(c * 1.05)), (int(size * 0.32), int(size * 0.42)), 0, 0, 360, 200, -1)
    ey = int(size * eye_y)
    for s in (-1, 1):
        x, half = int(c + s * size * eye_dx), int(size * eye_w)
        cv2.ellipse(img, (x, ey), (half, int(size * 0.04)), 0, 0, 360, 40, -1)
        brow = ey - int(size * 0.09)
        cv2.line(img, (x - int(half * 1.1), brow), (x + int(half * 1.1), brow), 50, line)
        if glasses:
            cv2.circle(img, (x, ey), int(size * 0.11), 30, line)
    cv2.line(img, (c, ey + int(size * 0.05)), (c, int(size * 0.62)), 140, max(2, size // 50))
    if beard:
        cv2.ellipse(
            img, (c, int(size * 0.8)), (int(size * 0.26), int(size * 0.14)), 0, 0, 180, 80, -1
        )
    cv2.ellipse(
        img, (c, int(size * 0.75)), (int(size * mouth_w), int(size * 0.035)), 0, 0, 360, 70, -1
    )
    return np.asarray(cv2.GaussianBlur(img, (5, 5), 0), dtype=np.uint8)


OTHERS = {
    "glasses and beard": {
        "glasses": True,
        "beard": True,
        "eye_dx": 0.14,
        "mouth_w": 0.1,
        "eye_y": 0.38,
    },
    "close-set high eyes, wide mouth": {
        "eye_dx": 0.13,
        "eye_w": 0.06,
        "eye_y": 0.36,
        "mouth_w": 0.22,
    },
}


def scene(person: Grey, *, w: int, h: int, x: int, y: int, size: int, gain: float = 1.0) -> Grey:
    """``person`` resized to ``size`` and placed at (x, y) on a dark ground, brightness x gain."""
    canvas = np.full((h, w), 60, np.uint8)
    canvas[y : y + size, x : x + size] = cv2.resize(
        person, (size, size), interpolation=cv2.INTER_AREA
    )
    return np.clip(canvas.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def rgb(grey: Grey) -> NDArray[np.uint8]:
    """A grey picture as RGB frames want it."""
    return np.repeat(grey[:, :, None], 3, axis=2)
