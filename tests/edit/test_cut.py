from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from shotrelay.edit import CutItem, assemble_cut, plan_segments
from shotrelay.media import measure_loudness, mux_audio, probe, tone, write_video
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Transition

FMT = Format(aspect="16:9", resolution="360p", fps=12)  # 640x360


def _clip(path: Path, level: int, seconds: float, size: tuple[int, int] = (160, 90)) -> Path:
    w, h = size
    frames = [np.full((h, w, 3), level, np.uint8)] * round(seconds * 12)
    return write_video(path, frames, fps=12)


def _rms_windows(path: Path, step_s: float = 0.25) -> list[float]:
    with av.open(str(path)) as c:
        samples = np.concatenate([f.to_ndarray().mean(axis=0) for f in c.decode(audio=0)])
    step = round(48000 * step_s)
    return [
        float(np.sqrt(np.mean(samples[i : i + step] ** 2))) for i in range(0, len(samples), step)
    ]


@pytest.mark.parametrize(
    "transition", [Transition.CUT, Transition.CROSSFADE, Transition.DIP_TO_BLACK]
)
def test_cut_length_is_the_sum_of_durations(tmp_path: Path, transition: Transition) -> None:
    durations = [1.5, 2.0, 1.25]
    items = [
        CutItem(
            shot_id=f"s{i}",
            # Clips shorter than, equal to and longer than their duration.
            path=_clip(tmp_path / f"{i}.mp4", 40 + 80 * i, d + (i - 1) * 0.5),
            duration=d,
            transition=transition if i else Transition.CUT,
            transition_seconds=0.5,
        )
        for i, d in enumerate(durations)
    ]
    info = probe(assemble_cut(items, tmp_path / "cut.mp4", fmt=FMT))
    assert abs(info.frames - sum(durations) * 12) <= len(items)
    assert (info.width, info.height, info.fps, info.codec) == (640, 360, 12.0, "h264")
    assert info.has_audio and info.audio_codec == "aac"
    assert info.audio_duration == pytest.approx(info.duration, abs=0.05)


def test_plan_segments_lengthens_the_outgoing_shot_by_the_overlap() -> None:
    items = [
        CutItem(shot_id="a", path=Path("a.mp4"), duration=2.0),
        CutItem(
            shot_id="b",
            path=Path("b.mp4"),
            duration=1.0,
            transition=Transition.CROSSFADE,
            transition_seconds=0.5,
        ),
        CutItem(shot_id="c", path=Path("c.mp4"), duration=1.0, transition_seconds=0.5),
    ]
    segs = plan_segments(items, 12)
    assert [round(s.seconds * 12) for s in segs] == [30, 12, 12]
    assert [round(s.transition_seconds * 12) for s in segs] == [0, 6, 0]
    assert segs[2].transition == Transition.CUT  # a cut never overlaps


def test_dialogue_starts_with_its_shot_and_music_lies_under(tmp_path: Path) -> None:
    line = tone(tmp_path / "line.wav", 0.5, freq=600, amplitude=0.3)
    items = [
        CutItem(shot_id="a", path=_clip(tmp_path / "a.mp4", 50, 1.0), duration=1.0),
        CutItem(shot_id="b", path=_clip(tmp_path / "b.mp4", 150, 1.0), duration=1.0, audio=line),
    ]
    dry = assemble_cut(items, tmp_path / "dry.mp4", fmt=FMT)
    levels = _rms_windows(dry)
    # Silence for the first shot, the line in the first half second of the second.
    assert max(levels[:4]) < 1e-3 and min(levels[4:6]) > 0.02
    assert measure_loudness(dry).integrated == pytest.approx(-14.0, abs=1.5)  # the default

    bed = tone(tmp_path / "bed.wav", 0.7, freq=220, amplitude=0.3)  # looped under 2 s
    wet = assemble_cut(items, tmp_path / "wet.mp4", fmt=FMT, music=bed)
    assert min(_rms_windows(wet)[:3]) > 1e-3


def test_clip_audio_wins_over_item_audio(tmp_path: Path) -> None:
    clip = _clip(tmp_path / "a.mp4", 90, 1.0)
    with_sound = mux_audio(clip, tone(tmp_path / "own.wav", 1.0, amplitude=0.2), tmp_path / "s.mp4")
    silence_line = tone(tmp_path / "quiet.wav", 1.0, amplitude=0.0)
    items = [CutItem(shot_id="a", path=with_sound, duration=1.0, audio=silence_line)]
    out = assemble_cut(items, tmp_path / "cut.mp4", fmt=FMT)
    assert min(_rms_windows(out)[:3]) > 0.01


def test_letterboxes_a_square_clip_into_the_frame(tmp_path: Path) -> None:
    square = _clip(tmp_path / "sq.mp4", 200, 1.0, size=(90, 90))
    out = assemble_cut(
        [CutItem(shot_id="a", path=square, duration=1.0)], tmp_path / "c.mp4", fmt=FMT
    )
    with av.open(str(out)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
    assert frame[:, :100].mean() < 10 and frame[:, 270:370].mean() > 180


def test_empty_cut_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        assemble_cut([], tmp_path / "c.mp4", fmt=FMT)
