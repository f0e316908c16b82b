from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shotrelay.media import channel_stats, probe, sample_frames, tone
from shotrelay.providers.local import finishing


def test_grade_moves_means_toward_the_reference(small_clip: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.png"
    Image.new("RGB", (32, 18), (40, 90, 200)).save(ref)
    out, meta = finishing.grade(small_clip, ref, tmp_path / "g.mp4")
    before = np.array(channel_stats(sample_frames(small_clip)).mean)
    after = np.array(channel_stats(sample_frames(out)).mean)
    target = np.array([40, 90, 200])
    assert np.all(np.abs(after - target) < np.abs(before - target))
    assert "transfer" in meta


def test_grade_without_reference_passes_through_with_a_warning(
    small_clip: Path, tmp_path: Path
) -> None:
    out, meta = finishing.grade(small_clip, None, tmp_path / "g.mp4")
    assert out.read_bytes() == small_clip.read_bytes() and "warning" in meta


def test_upscale_reaches_the_target_size(small_clip: Path, tmp_path: Path) -> None:
    out, _ = finishing.upscale(small_clip, tmp_path / "u.mp4", width=320, height=180)
    info = probe(out)
    assert (info.width, info.height, info.frames) == (320, 180, 12)


def test_interpolate_doubles_the_frame_rate(small_clip: Path, tmp_path: Path) -> None:
    out, meta = finishing.interpolate_clip(small_clip, tmp_path / "i.mp4", fps=24)
    info = probe(out)
    assert (info.fps, info.frames) == (24.0, 24) and meta["mode"] == "mci"


@pytest.mark.parametrize("seconds", [0.4, 3.0])
def test_dub_lays_audio_to_the_clip_length(
    small_clip: Path, tmp_path: Path, seconds: float
) -> None:
    line = tone(tmp_path / "line.wav", seconds)
    out, meta = finishing.dub(small_clip, line, tmp_path / "d.mp4")
    info = probe(out)
    assert info.has_audio and info.frames == 12
    assert info.audio_duration == pytest.approx(1.0, abs=0.03)
    assert "not synchronised" in meta["note"]
