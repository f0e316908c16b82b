from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.media import measure_loudness, mux_audio, normalize_loudness, probe, silent_wav, tone


def test_mux_audio_pads_short_audio_to_the_clip(clip: Path, beep: Path, tmp_path: Path) -> None:
    info = probe(mux_audio(clip, beep, tmp_path / "m.mp4"))
    assert info.has_audio and info.frames == 24
    assert info.audio_duration == pytest.approx(2.0, abs=0.03)


def test_mux_audio_trims_long_audio_to_the_clip(clip: Path, tmp_path: Path) -> None:
    long = tone(tmp_path / "long.wav", 5.0)
    info = probe(mux_audio(clip, long, tmp_path / "m.mp4"))
    assert info.audio_duration == pytest.approx(2.0, abs=0.03)


def test_normalize_loudness_reaches_the_target(clip: Path, tmp_path: Path) -> None:
    quiet = tone(tmp_path / "quiet.wav", 2.0, amplitude=0.02)
    src = mux_audio(clip, quiet, tmp_path / "quiet.mp4")
    assert measure_loudness(src).integrated < -30
    out = normalize_loudness(src, tmp_path / "loud.mp4", lufs=-16.0)
    assert measure_loudness(out).integrated == pytest.approx(-16.0, abs=1.0)
    assert probe(out).frames == 24


def test_silence_stays_silent(clip: Path, tmp_path: Path) -> None:
    src = mux_audio(clip, silent_wav(tmp_path / "s.wav", 2.0), tmp_path / "s.mp4")
    out = normalize_loudness(src, tmp_path / "n.mp4")
    assert measure_loudness(out).integrated < -70
