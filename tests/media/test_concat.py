from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shotrelay.media import Segment, concat, iter_frames, probe, timeline, tone, write_video
from shotrelay.spec.vocabulary import Transition

FPS = 12


def _flat(path: Path, level: int, frames: int = 24) -> Path:
    return write_video(path, [np.full((90, 160, 3), level, np.uint8)] * frames, fps=FPS)


def test_timeline_overlaps_only_on_transitions() -> None:
    segs = [
        Segment(path=Path("a"), seconds=2),
        Segment(path=Path("b"), seconds=2, transition=Transition.CROSSFADE, transition_seconds=0.5),
        Segment(path=Path("c"), seconds=1, transition=Transition.CUT, transition_seconds=0.5),
    ]
    places = timeline(segs, FPS)
    got = [(p.start, p.frames, p.overlap) for p in places]
    assert got == [(0, 24, 0), (18, 24, 6), (42, 12, 0)]


def test_overlap_is_clamped_to_leave_each_side_a_frame() -> None:
    segs = [
        Segment(path=Path("a"), seconds=0.25),
        Segment(path=Path("b"), seconds=2, transition=Transition.CROSSFADE, transition_seconds=3),
    ]
    assert timeline(segs, FPS)[1].overlap == 2


@pytest.mark.parametrize("transition", [Transition.CROSSFADE, Transition.DIP_TO_BLACK])
def test_transitions_overlap_and_shape_the_overlap(tmp_path: Path, transition: Transition) -> None:
    dark, light = _flat(tmp_path / "d.mp4", 40), _flat(tmp_path / "l.mp4", 220)
    segs = [
        Segment(path=dark, seconds=2),
        Segment(path=light, seconds=2, transition=transition, transition_seconds=1),
    ]
    out = concat(segs, tmp_path / "out.mp4", width=160, height=90, fps=FPS)
    frames = [float(np.median(f)) for f in iter_frames(out)]
    assert len(frames) == 36  # 24 + 24 - 12 overlap
    assert abs(frames[0] - 40) < 6 and abs(frames[-1] - 220) < 6
    overlap = frames[12:25]
    if transition == Transition.CROSSFADE:  # a straight blend, never darker than either side
        assert overlap == sorted(overlap) and min(overlap) > 35 and 90 < frames[18] < 170
    else:  # through black
        assert min(overlap) < 15


def test_cut_joins_end_to_end_and_keeps_audio_in_sync(tmp_path: Path) -> None:
    a, b = _flat(tmp_path / "a.mp4", 40), _flat(tmp_path / "b.mp4", 220)
    beep = tone(tmp_path / "beep.wav", 0.5)
    # The first clip is mute, the second has a line: it must start at 2 s, not at 0.
    segs = [Segment(path=a, seconds=2), Segment(path=b, seconds=2, audio=beep)]
    out = concat(segs, tmp_path / "cut.mp4", width=160, height=90, fps=FPS)
    info = probe(out)
    assert info.frames == 48 and info.has_audio
    assert info.audio_duration == pytest.approx(4.0, abs=0.03)
    levels = _rms_by_half_second(out)
    assert max(levels[:4]) < 1e-3 and levels[4] > 0.05


def _rms_by_half_second(path: Path) -> list[float]:
    import av

    with av.open(str(path)) as c:
        samples = np.concatenate(
            [f.to_ndarray().mean(axis=0) for f in c.decode(audio=0)]  # mono mix
        )
    step = 24000
    chunks = [samples[i : i + step] for i in range(0, len(samples), step)]
    return [float(np.sqrt(np.mean(c**2))) for c in chunks]
