"""Tiny generated media for the media tests: 160x90 at 12 fps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from shotrelay.media import mux_audio, tone, write_video

W, H, FPS = 160, 90, 12


def ramp_frames(n: int, w: int = W, h: int = H) -> list[np.ndarray]:
    """Frame i is a flat grey of level 20 + 10 * i, with a white bar at x = 4 * i."""
    frames = []
    for i in range(n):
        f = np.full((h, w, 3), 20 + 10 * i, np.uint8)
        f[:, 4 * i : 4 * i + 8] = 255
        frames.append(f)
    return frames


@pytest.fixture
def make_frames() -> Callable[[int], list[np.ndarray]]:
    """The ramp_frames factory, for tests that need their own clip."""
    return ramp_frames


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    """2 s, 24 frames, no audio."""
    return write_video(tmp_path / "clip.mp4", ramp_frames(24), fps=FPS)


@pytest.fixture
def beep(tmp_path: Path) -> Path:
    """1 s of 440 Hz."""
    return tone(tmp_path / "beep.wav", 1.0, amplitude=0.1)


@pytest.fixture
def clip_with_audio(tmp_path: Path, clip: Path, beep: Path) -> Path:
    """The 2 s clip with the 1 s beep padded to 2 s."""
    return mux_audio(clip, beep, tmp_path / "clip_audio.mp4")
