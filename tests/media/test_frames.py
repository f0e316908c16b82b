from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from shotrelay.media import first_frame, last_frame, load_rgb, sample_frames


def _grey(png: Path) -> float:
    arr = np.asarray(Image.open(png).convert("RGB"), np.float64)
    return float(np.median(arr))


def test_first_and_last_frame_are_the_ends_of_the_clip(clip: Path, tmp_path: Path) -> None:
    first = first_frame(clip, tmp_path / "first.png")
    last = last_frame(clip, tmp_path / "last.png")
    assert Image.open(first).size == (160, 90)
    # Frame i is grey 20 + 10 i: the first is 20, the last (i = 23) is 250.
    assert abs(_grey(first) - 20) < 6
    assert abs(_grey(last) - 250) < 6


def test_sample_frames_spreads_over_the_clip(clip: Path) -> None:
    frames = sample_frames(clip, 3)
    levels = [float(np.median(f)) for f in frames]
    assert len(frames) == 3 and levels == sorted(levels) and levels[-1] - levels[0] > 200


def test_load_rgb_reads_images_and_videos(clip: Path, tmp_path: Path) -> None:
    png = tmp_path / "x.png"
    Image.new("RGB", (8, 6), (10, 200, 30)).save(png)
    assert load_rgb(png).shape == (6, 8, 3)
    assert load_rgb(clip).shape == (90, 160, 3)
