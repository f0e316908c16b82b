from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from shotrelay.errors import IntegrityError
from shotrelay.media import probe, write_video

MakeFrames = Callable[[int], list[np.ndarray]]


def test_probe_reports_video_figures(clip: Path) -> None:
    info = probe(clip)
    assert (info.width, info.height, info.fps, info.frames) == (160, 90, 12.0, 24)
    assert info.duration == pytest.approx(2.0)
    assert info.has_video and not info.has_audio
    assert info.codec == "h264" and info.pix_fmt == "yuv420p"


def test_probe_reports_audio_of_a_muxed_clip(clip_with_audio: Path) -> None:
    info = probe(clip_with_audio)
    assert info.has_audio and info.audio_codec == "aac" and info.sample_rate == 48000
    assert info.audio_duration == pytest.approx(2.0, abs=0.03)


def test_probe_reads_a_wav_as_audio_only(beep: Path) -> None:
    info = probe(beep)
    assert info.has_audio and not info.has_video
    assert info.duration == pytest.approx(1.0, abs=1e-3)


def test_truncated_mp4_raises_integrity_error(tmp_path: Path, make_frames: MakeFrames) -> None:
    # Enough frames that cutting the file in half loses many of them.
    clip = write_video(tmp_path / "long.mp4", make_frames(24) * 4, fps=12)
    data = clip.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(IntegrityError, match=r"truncated|unreadable"):
        probe(cut)


def test_garbage_and_missing_files_raise_integrity_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(IntegrityError):
        probe(junk)
    with pytest.raises(IntegrityError, match="missing"):
        probe(tmp_path / "absent.mp4")
