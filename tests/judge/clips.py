"""Clips with known defects, made in the test: a textured world seen through a moving window.

The clean clip pans right over a smooth random texture for 2 s at 12 fps, 320x180; each
defective clip changes one thing (black, frozen, flickering, short, panning the wrong way).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

W, H, FPS, SECONDS = 320, 180, 12, 2.0
Frame = NDArray[np.uint8]


def world(seed: int = 7, size: tuple[int, int] = (360, 900)) -> Frame:
    """A smooth colour texture larger than the frame (something for optical flow to follow)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(30, 225, (size[0] // 12, size[1] // 12, 3), dtype=np.uint8)
    big = cv2.resize(coarse, (size[1], size[0]), interpolation=cv2.INTER_CUBIC)
    fine = rng.integers(-25, 25, big.shape)
    return np.clip(big.astype(int) + fine, 0, 255).astype(np.uint8)


def pan(n: int, speed: float, seed: int = 7) -> list[Frame]:
    """The window moves ``speed`` px per frame to the right (negative: to the left)."""
    tex = world(seed)
    x0 = 200 if speed < 0 else 20
    return [
        tex[40 : 40 + H, int(x0 + i * speed) : int(x0 + i * speed) + W].copy() for i in range(n)
    ]


def push_in(n: int, rate: float = 0.02, seed: int = 7) -> list[Frame]:
    """The window shrinks about the centre by ``rate`` per frame (the picture expands)."""
    tex = world(seed)
    cy, cx = tex.shape[0] // 2, tex.shape[1] // 2
    out = []
    for i in range(n):
        s = (1 - rate) ** i
        h, w = int(H * 1.6 * s), int(W * 1.6 * s)
        crop = tex[cy - h // 2 : cy - h // 2 + h, cx - w // 2 : cx - w // 2 + w]
        out.append(cv2.resize(crop, (W, H), interpolation=cv2.INTER_AREA))
    return out


def clean(n: int = int(SECONDS * FPS)) -> list[Frame]:
    """A pan right, 8 px per frame."""
    return pan(n, 8.0)


DEFECTS: dict[str, Callable[[], list[Frame]]] = {
    "black": lambda: [np.zeros((H, W, 3), np.uint8)] * int(SECONDS * FPS),
    "frozen": lambda: [clean()[0]] * int(SECONDS * FPS),
    "flicker": lambda: [
        np.clip(f.astype(int) + (30 if i % 2 else -30), 0, 255).astype(np.uint8)
        for i, f in enumerate(clean())
    ],
    "duration": lambda: clean(int(SECONDS * FPS / 2)),
    "motion": lambda: pan(int(SECONDS * FPS), -8.0),
}
