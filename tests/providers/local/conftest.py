"""Fixtures for the local providers: a small still and a small clip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shotrelay.media import write_video


@pytest.fixture
def marker_still(tmp_path: Path) -> Path:
    """160x90 dark still: a white square at the centre (the subject) and a red background
    marker at the upper left, outside the subject region."""
    arr = np.full((90, 160, 3), 30, np.uint8)
    arr[37:53, 72:88] = 255
    arr[10:22, 28:40] = (230, 20, 20)
    path = tmp_path / "still.png"
    Image.fromarray(arr).save(path)
    return path


@pytest.fixture
def small_clip(tmp_path: Path) -> Path:
    """1 s at 12 fps, 160x90, grey noise."""
    rng = np.random.default_rng(3)
    frames = [(rng.random((90, 160, 3)) * 60 + 70).astype(np.uint8) for _ in range(12)]
    return write_video(tmp_path / "small.mp4", frames, fps=12)
