"""The music bed sits under the dialogue: ducked by at least 8 dB while a line plays, faded
in and out, and the cut lands on its loudness target as a second meter (ebur128) reads it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from conftest import FPS, ramp_frames
from shotrelay.media import tone, write_video
from shotrelay.media.audio import read_loudness
from shotrelay.media.concat import Segment
from shotrelay.media.pieces import concat_cached

SIZE = {"width": 160, "height": 90, "fps": FPS}
MUSIC_HZ, SPEECH_HZ, RATE = 220.0, 1000.0, 48000


def _samples(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        chunks = [f.to_ndarray().reshape(-1, f.samples)[0] for f in container.decode(audio=0)]
    return np.concatenate(chunks).astype(np.float64)


def _level_db(samples: np.ndarray, start: float, end: float, hz: float) -> float:
    """Amplitude (dB) of the ``hz`` component between ``start`` and ``end`` seconds."""
    part = samples[round(start * RATE) : round(end * RATE)]
    t = np.arange(len(part)) / RATE
    amplitude = 2 * abs(np.mean(part * np.exp(-2j * np.pi * hz * t)))
    return float(20 * np.log10(max(amplitude, 1e-9)))


@pytest.fixture
def cut_parts(tmp_path: Path) -> tuple[list[Segment], Path]:
    """Three 2 s shots; the middle one has a 1 s line; a 220 Hz music bed shorter than the cut
    (it loops)."""
    clips = [write_video(tmp_path / f"c{i}.mp4", ramp_frames(24), fps=FPS) for i in range(3)]
    line = tone(tmp_path / "line.wav", 1.0, freq=SPEECH_HZ, amplitude=0.1)
    music = tone(tmp_path / "music.wav", 2.5, freq=MUSIC_HZ, amplitude=0.5)
    segments = [
        Segment(path=clips[0], seconds=2),
        Segment(path=clips[1], seconds=2, audio=line),
        Segment(path=clips[2], seconds=2),
    ]
    return segments, music


@pytest.mark.parametrize("target", [-14.0, -23.0])
def test_music_ducks_under_the_line_and_the_mix_meets_its_target(
    tmp_path: Path, cut_parts: tuple[list[Segment], Path], target: float
) -> None:
    segments, music = cut_parts
    out = concat_cached(
        segments,
        tmp_path / "cut.mp4",
        cache=tmp_path / "cache",
        music=music,
        loudness_lufs=target,
        true_peak=-1.5,
        **SIZE,
    )
    samples = _samples(out)
    between = _level_db(samples, 1.2, 1.9, MUSIC_HZ)
    under = _level_db(samples, 2.3, 2.9, MUSIC_HZ)  # the line plays 2.0 .. 3.0
    after = _level_db(samples, 4.0, 4.7, MUSIC_HZ)
    assert between - under >= 8.0
    assert abs(after - between) < 1.5  # back up once the line is over
    assert _level_db(samples, 2.3, 2.9, SPEECH_HZ) > under + 6  # the line is on top
    reading = read_loudness(out)
    assert reading.integrated == pytest.approx(target, abs=1.0)
    assert reading.true_peak <= -1.0


def test_music_fades_in_at_the_head_and_out_at_the_tail(
    tmp_path: Path, cut_parts: tuple[list[Segment], Path]
) -> None:
    segments, music = cut_parts
    out = concat_cached(
        segments[:1] + segments[2:],  # no line: the bed alone
        tmp_path / "bed.mp4",
        cache=tmp_path / "cache",
        music=music,
        music_fade=1.0,
        **SIZE,
    )
    samples = _samples(out)
    full = _level_db(samples, 1.5, 2.5, MUSIC_HZ)
    assert _level_db(samples, 0.0, 0.2, MUSIC_HZ) < full - 12
    assert _level_db(samples, 3.8, 4.0, MUSIC_HZ) < full - 12


def test_a_cut_without_music_keeps_its_lines_as_they_are(
    tmp_path: Path, cut_parts: tuple[list[Segment], Path]
) -> None:
    segments, _ = cut_parts
    out = concat_cached(segments, tmp_path / "dry.mp4", cache=tmp_path / "cache", **SIZE)
    samples = _samples(out)
    # The mono line is upmixed to stereo at -3 dB a channel, and otherwise untouched.
    line = _level_db(samples, 2.2, 2.8, SPEECH_HZ)
    assert line == pytest.approx(20 * np.log10(0.1) - 3, abs=0.5)
    assert _level_db(samples, 0.5, 1.5, SPEECH_HZ) < -60


def test_a_peaky_track_reaches_its_target_under_the_ceiling(tmp_path: Path) -> None:
    """Clicks 30 dB over a quiet tone: a linear gain alone would clip; one pass of limiting
    lands short; the rounds land on the target."""
    from shotrelay.media.audio import measure_loudness, normalize_wav
    from shotrelay.media.encode import write_wav

    t = np.arange(RATE * 4) / RATE
    samples = 0.01 * np.sin(2 * np.pi * 300 * t)
    samples[:: RATE // 5] = 0.9  # five clicks a second
    src = write_wav(tmp_path / "peaky.wav", samples)
    before = measure_loudness(src)
    assert before.true_peak - before.integrated > 20  # the gain needed would clip it
    out = normalize_wav(src, tmp_path / "norm.wav", lufs=-14.0, true_peak=-1.5)
    reading = read_loudness(out)
    assert reading.integrated == pytest.approx(-14.0, abs=0.5)
    assert reading.true_peak <= -1.0
    once = normalize_wav(src, tmp_path / "once.wav", lufs=-14.0, true_peak=-1.5, rounds=1)
    assert read_loudness(once).integrated < -15  # one pass is not enough here
