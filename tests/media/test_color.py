from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from shotrelay.media import channel_stats, color_match, probe, sample_frames, write_video


def test_colour_match_moves_channel_means_toward_the_reference(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    grey = [(rng.random((90, 160, 3)) * 60 + 60).astype(np.uint8) for _ in range(12)]
    src = write_video(tmp_path / "grey.mp4", grey, fps=12)
    warm = (rng.random((90, 160, 3)) * [40, 60, 40] + [170, 90, 30]).astype(np.uint8)
    ref = tmp_path / "warm.png"
    Image.fromarray(warm).save(ref)

    out, transfer = color_match(src, ref, tmp_path / "graded.mp4")

    before = np.array(channel_stats(sample_frames(src)).mean)
    after = np.array(channel_stats(sample_frames(out)).mean)
    target = np.array(channel_stats([warm]).mean)
    assert np.all(np.abs(after - target) < np.abs(before - target))
    assert np.all(np.abs(after - target) < 8)  # within a few levels after yuv420p round trip
    assert transfer.reference.mean == channel_stats([warm]).mean
    assert probe(out).frames == 12


def test_half_strength_goes_half_way(tmp_path: Path) -> None:
    src = write_video(tmp_path / "g.mp4", [np.full((90, 160, 3), 100, np.uint8)] * 6, fps=12)
    ref = tmp_path / "r.png"
    Image.new("RGB", (16, 16), (200, 100, 0)).save(ref)
    out, _ = color_match(src, ref, tmp_path / "half.mp4", strength=0.5)
    mean = np.array(channel_stats(sample_frames(out)).mean)
    assert np.allclose(mean, [150, 100, 50], atol=6)
