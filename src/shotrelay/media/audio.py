"""Audio: test tones and silence, muxing onto video, loudness measurement and normalisation."""

from __future__ import annotations

import math
import re
from pathlib import Path

import av
import numpy as np
from pydantic import BaseModel, ConfigDict

from shotrelay.errors import EngineError, IntegrityError
from shotrelay.media.backend import get_backend
from shotrelay.media.conform import AAC_ARGS, AUDIO_RATE, audio_chain
from shotrelay.media.encode import write_wav
from shotrelay.media.info import probe

__all__ = [
    "DUCK",
    "Loudness",
    "Reading",
    "duck_filter",
    "loudnorm_filter",
    "measure_loudness",
    "music_bed_filter",
    "mux_audio",
    "normalize_loudness",
    "normalize_wav",
    "read_loudness",
    "silent_wav",
    "tone",
    "voiced_span",
]

# Below this integrated loudness a track is silence; normalising it would only raise noise.
_SILENCE_LUFS = -70.0


class Loudness(BaseModel):
    """EBU R128 figures of a track, as ffmpeg's loudnorm measures them."""

    model_config = ConfigDict(frozen=True)

    integrated: float
    true_peak: float
    lra: float
    threshold: float


def tone(
    out: Path,
    seconds: float,
    *,
    freq: float = 440.0,
    amplitude: float = 0.3,
    sample_rate: int = AUDIO_RATE,
) -> Path:
    """A sine tone as mono WAV (for fixtures and line-up)."""
    t = np.arange(round(seconds * sample_rate)) / sample_rate
    return write_wav(out, amplitude * np.sin(2 * math.pi * freq * t), sample_rate=sample_rate)


def silent_wav(out: Path, seconds: float, *, sample_rate: int = AUDIO_RATE) -> Path:
    """Silence of ``seconds`` as mono WAV."""
    return write_wav(out, np.zeros(round(seconds * sample_rate)), sample_rate=sample_rate)


def mux_audio(video: Path, audio: Path, out: Path) -> Path:
    """Lay ``audio`` on ``video`` from its start, padded with silence or trimmed to its length.

    The video stream is copied untouched; any audio the video had is replaced.
    """
    info = probe(video)
    args = [
        *("-i", str(video), "-i", str(audio)),
        *("-filter_complex", f"[1:a]{audio_chain(info.duration)}[a]"),
        *("-map", "0:v:0", "-map", "[a]", "-c:v", "copy", *AAC_ARGS),
        *("-movflags", "+faststart", str(out)),
    ]
    get_backend().run(args, what=f"mux audio onto {Path(video).name}")
    return Path(out)


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness (LUFS), true peak (dBTP, 4x oversampled) and loudness range of a
    file's audio, by ffmpeg's EBU R128 scanner (``ebur128``; several times faster than
    ``loudnorm``'s own measuring pass). Silence reads as -inf LUFS."""
    err = get_backend().run(
        [
            *("-loglevel", "info", "-nostats", "-i", str(path), "-vn"),
            *("-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"),
        ],
        what=f"measure loudness of {Path(path).name}",
    )
    summary = err[err.rfind("Summary:") :]
    found = {
        name: re.search(pattern, summary, re.DOTALL)
        for name, pattern in (
            ("integrated", r"I:\s+(-?[\d.]+|-inf) LUFS\s+Threshold:\s+(-?[\d.]+|-inf) LUFS"),
            ("lra", r"LRA:\s+(-?[\d.]+) LU"),
            ("peak", r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS"),
        )
    }
    i, lra, peak = found["integrated"], found["lra"], found["peak"]
    if i is None or lra is None or peak is None:
        raise EngineError(f"measure loudness of {Path(path).name}: no ebur128 summary")
    integrated = _num(i.group(1))
    return Loudness(
        # The scanner's floor: nothing passed its gate, i.e. silence.
        integrated=-math.inf if integrated <= _SILENCE_LUFS else integrated,
        true_peak=_num(peak.group(1)),
        lra=_num(lra.group(1)),
        threshold=_num(i.group(2)),
    )


def normalize_loudness(
    src: Path, out: Path, *, lufs: float = -16.0, true_peak: float = -1.5
) -> Path:
    """Two-pass EBU R128 normalisation of the audio to ``lufs``; video is copied.

    A silent track is left as it is.
    """
    chain = loudnorm_filter(measure_loudness(src), lufs=lufs, true_peak=true_peak)
    info = probe(src)
    args = ["-i", str(src)]
    if info.has_video:
        args += ["-map", "0:v:0", "-c:v", "copy"]
    args += ["-map", "0:a:0"]
    if chain is not None:
        args += ["-af", chain]
    args += [*AAC_ARGS, "-movflags", "+faststart", str(out)]
    get_backend().run(args, what=f"normalise loudness of {Path(src).name}")
    return Path(out)


def loudnorm_filter(measured: Loudness, *, lufs: float, true_peak: float = -1.5) -> str | None:
    """The second pass of EBU R128 normalisation to ``lufs`` as an audio filter, from the
    first pass's ``measured`` figures; None for silence (raising it would only raise noise).

    The gain is linear (the mix keeps its dynamics). When it would push the true peak over
    ``true_peak``, a look-ahead limiter at 4x oversampling (where inter-sample peaks show)
    holds the peaks there. ffmpeg's ``loudnorm`` would fall back to its dynamic mode instead,
    which on a short ad lands several LU under the target.
    """
    if measured.integrated <= _SILENCE_LUFS:
        return None
    gain = lufs - measured.integrated
    chain = f"volume={gain:.3f}dB"
    if measured.true_peak + gain > true_peak:
        limit = max(0.0625, 10 ** (true_peak / 20))
        chain += (
            f",aresample={4 * AUDIO_RATE},alimiter=limit={limit:.5f}:attack=1:release=60:"
            f"level=false:latency=true,aresample={AUDIO_RATE}"
        )
    return chain


def normalize_wav(
    src: Path, out: Path, *, lufs: float, true_peak: float = -1.5, rounds: int = 4
) -> Path:
    """``src`` normalised to ``lufs`` with true peaks at most ``true_peak``, as float WAV.

    Gain and peak limiting (``loudnorm_filter``) are applied, the result measured, and the
    remainder applied again (at most ``rounds`` times) until within 0.3 LU: limiting a
    speech track's peaks takes loudness with it, so one pass can land short of the target.
    """
    current, measured = Path(src), measure_loudness(src)
    for n in range(rounds):
        if abs(measured.integrated - lufs) <= 0.3 and measured.true_peak <= true_peak + 0.1:
            break
        chain = loudnorm_filter(measured, lufs=lufs, true_peak=true_peak)
        if chain is None:
            break
        step = out.with_name(f".{out.stem}.{n}.wav")
        get_backend().run(
            ["-i", str(current), "-af", chain, "-c:a", "pcm_f32le", str(step)],
            what=f"normalise loudness of {Path(src).name}",
        )
        if current != Path(src):
            current.unlink(missing_ok=True)
        current, measured = step, measure_loudness(step)
    if current == Path(src):
        get_backend().run(["-i", str(src), "-c:a", "pcm_f32le", str(out)], what="copy a track")
    else:
        current.replace(out)
    return out


def voiced_span(path: Path, *, below_peak_db: float = 35.0) -> tuple[float, float]:
    """(first, last) second of a track where it sounds: 10 ms windows whose RMS is within
    ``below_peak_db`` of the loudest window; (0, 0) for silence. TTS tracks carry a little
    silence at each end (40-60 ms before, 100-250 ms after, for the local voices)."""
    try:
        with av.open(str(path)) as container:
            rate = container.streams.audio[0].rate
            chunks = [
                f.to_ndarray().astype(np.float64).reshape(-1, f.samples)[0]
                for f in container.decode(audio=0)
            ]
    except (av.FFmpegError, OSError, IndexError) as exc:
        raise IntegrityError(f"{path}: no readable audio ({exc}); re-render the speech") from exc
    data = np.concatenate(chunks) if chunks else np.zeros(0)
    win = max(1, rate // 100)
    usable = len(data) // win * win
    if usable == 0:
        return 0.0, 0.0
    rms = np.sqrt(np.mean(data[:usable].reshape(-1, win) ** 2, axis=1))
    if rms.max() <= 0:
        return 0.0, 0.0
    loud = np.flatnonzero(rms >= rms.max() * 10 ** (-below_peak_db / 20))
    return float(loud[0] * win / rate), float((loud[-1] + 1) * win / rate)


class Reading(BaseModel):
    """Integrated loudness (LUFS) and true peak (dBTP) of a delivered file, as ffmpeg's
    ebur128 scanner reads them (not the loudnorm filter that normalised it)."""

    model_config = ConfigDict(frozen=True)

    integrated: float
    true_peak: float


def read_loudness(path: Path) -> Reading:
    """Read a delivered file's loudness with the ebur128 scanner (true peak 4x oversampled)."""
    measured = measure_loudness(path)
    return Reading(integrated=measured.integrated, true_peak=measured.true_peak)


#: The music's ducking under dialogue: a sidechain compressor keyed by the dialogue, at
#: -40 dBFS and 20:1, so speech at a normal level (-30..-15 dBFS RMS) takes the music down
#: by 10..24 dB, back up over a quarter of a second once the line ends.
DUCK = "sidechaincompress=threshold=0.01:ratio=20:attack=10:release=250:knee=2"


def music_bed_filter(seconds: float, *, gain_db: float, fade: float) -> str:
    """The music's chain: ``seconds`` long (looped input trimmed), at ``gain_db``, faded in
    and out over ``fade`` seconds (at most a third of the length each)."""
    fade = min(fade, seconds / 3)
    chain = f"{audio_chain(seconds)},volume={gain_db}dB"
    if fade > 0:
        chain += f",afade=t=in:d={fade:.3f},afade=t=out:st={seconds - fade:.3f}:d={fade:.3f}"
    return chain


def duck_filter(music: str, speech: str, out: str) -> list[str]:
    """Filter-graph lines ducking the ``music`` label under the ``speech`` label: the speech
    passes on as ``[out]speech``, the ducked music as ``[out]music``."""
    return [
        f"[{speech}]asplit=2[{out}speech][{out}key]",
        f"[{music}][{out}key]{DUCK}[{out}music]",
    ]


def _num(text: str) -> float:
    value = float(text)
    return value if math.isfinite(value) else -math.inf if value < 0 else math.inf
