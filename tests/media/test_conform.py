from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shotrelay.errors import EngineError
from shotrelay.media import conform, interpolate, iter_frames, probe, scale
from shotrelay.media.backend import FFmpegBackend


@pytest.mark.parametrize(
    ("fps", "seconds", "frames"), [(24, 3.3, 79), (12, 1.0, 12), (25, 2.0, 50), (10, 0.55, 6)]
)
def test_conform_gives_exact_fps_size_and_frame_count(
    clip: Path, tmp_path: Path, fps: int, seconds: float, frames: int
) -> None:
    out = conform(clip, tmp_path / "c.mp4", width=64, height=48, fps=fps, seconds=seconds)
    info = probe(out)
    assert (info.width, info.height, info.fps, info.frames) == (64, 48, float(fps), frames)
    assert info.codec == "h264" and info.pix_fmt == "yuv420p"


def test_conform_extends_by_holding_the_last_frame(clip: Path, tmp_path: Path) -> None:
    out = conform(clip, tmp_path / "long.mp4", width=160, height=90, fps=12, seconds=3.0)
    frames = list(iter_frames(out))
    assert len(frames) == 36
    # Source frames end at grey 250; every added frame repeats that last picture.
    tail = np.stack(frames[24:]).astype(np.int16)
    assert np.abs(tail - frames[23].astype(np.int16)).max() <= 3
    assert abs(float(np.median(frames[-1])) - 250) < 6


def test_letterbox_pads_and_fill_crops(clip: Path, tmp_path: Path) -> None:
    box = conform(clip, tmp_path / "b.mp4", width=96, height=96, fps=12, seconds=1, fit="letterbox")
    fill = conform(clip, tmp_path / "f.mp4", width=96, height=96, fps=12, seconds=1, fit="fill")
    last_box, last_fill = list(iter_frames(box))[-1], list(iter_frames(fill))[-1]
    # 160x90 in a square: letterbox leaves black bars top and bottom, fill does not.
    assert last_box[:10].mean() < 20 and last_box[45:50].mean() > 80
    assert last_fill[:10].mean() > 80


def test_conform_pads_audio_and_can_add_silence(
    clip: Path, clip_with_audio: Path, tmp_path: Path
) -> None:
    padded = probe(
        conform(clip_with_audio, tmp_path / "a.mp4", width=160, height=90, fps=12, seconds=3)
    )
    assert padded.has_audio and padded.audio_duration == pytest.approx(3.0, abs=0.03)
    silent = probe(
        conform(
            clip, tmp_path / "s.mp4", width=160, height=90, fps=12, seconds=1, silent_audio=True
        )
    )
    assert silent.has_audio and silent.audio_duration == pytest.approx(1.0, abs=0.03)
    mute = probe(conform(clip, tmp_path / "m.mp4", width=160, height=90, fps=12, seconds=1))
    assert not mute.has_audio


def test_scale_changes_size_only(clip: Path, tmp_path: Path) -> None:
    info = probe(scale(clip, tmp_path / "up.mp4", width=320, height=180))
    assert (info.width, info.height, info.fps, info.frames) == (320, 180, 12.0, 24)


@pytest.mark.parametrize("mode", ["mci", "blend"])
def test_interpolate_retimes_and_keeps_duration(clip: Path, tmp_path: Path, mode: str) -> None:
    info = probe(interpolate(clip, tmp_path / "i.mp4", fps=24, mode=mode))  # type: ignore[arg-type]
    assert info.fps == 24.0 and info.frames == 48
    assert info.duration == pytest.approx(2.0)


def test_ffmpeg_failure_is_an_engine_error_with_stderr(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="conform x") as err:
        FFmpegBackend().run(["-i", str(tmp_path / "nope.mp4"), "out.mp4"], what="conform x")
    assert "nope.mp4" in str(err.value)
