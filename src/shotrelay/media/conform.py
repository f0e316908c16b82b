"""Conform, scale and retime video with ffmpeg: exact fps, size and frame count.

Every output is H.264 yuv420p MP4 with ``round(seconds * fps)`` frames; a short source is
extended by holding its last frame, a long one is trimmed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from shotrelay.media.backend import get_backend
from shotrelay.media.info import probe

__all__ = [
    "AUDIO_RATE",
    "Fit",
    "InterpolationMode",
    "audio_chain",
    "conform",
    "frame_count",
    "interpolate",
    "scale",
    "video_chain",
    "video_codec_args",
]

#: Sample rate of every audio track shotrelay writes.
AUDIO_RATE = 48000

Fit = Literal["letterbox", "fill", "stretch"]
InterpolationMode = Literal["mci", "blend", "dup"]


def frame_count(seconds: float, fps: float) -> int:
    """Frames in ``seconds`` at ``fps``: round(seconds * fps), at least 1."""
    return max(1, round(seconds * fps))


def size_filter(width: int, height: int, fit: Fit, flags: str = "bicubic") -> str:
    """Filter text fitting any input into width x height.

    letterbox: fit inside and pad with black; fill: cover and crop the overflow; stretch: both.
    """
    if fit == "letterbox":
        return (
            f"scale={width}:{height}:force_original_aspect_ratio=decrease:flags={flags},"
            f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=black"
        )
    if fit == "fill":
        return (
            f"scale={width}:{height}:force_original_aspect_ratio=increase:flags={flags},"
            f"crop={width}:{height}"
        )
    return f"scale={width}:{height}:flags={flags}"


def video_chain(
    *, width: int, height: int, fps: int, frames: int, fit: Fit = "letterbox", pre: str = ""
) -> str:
    """Filter chain: retime to fps, fit the size, hold the last frame, cut at ``frames``."""
    hold = frames / fps + 1.0
    parts = [
        "setpts=PTS-STARTPTS",
        *([pre] if pre else []),
        f"fps={fps}",
        size_filter(width, height, fit),
        "setsar=1",
        "format=yuv420p",
        f"tpad=stop_mode=clone:stop_duration={hold:.3f}",
        f"trim=end_frame={frames}",
        "setpts=PTS-STARTPTS",
    ]
    return ",".join(parts)


def audio_chain(seconds: float) -> str:
    """Filter chain: 48 kHz stereo, padded with silence or trimmed to exactly ``seconds``."""
    samples = round(seconds * AUDIO_RATE)
    return (
        f"asetpts=PTS-STARTPTS,aresample={AUDIO_RATE},aformat=sample_fmts=fltp:"
        f"channel_layouts=stereo,apad,atrim=end_sample={samples},asetpts=PTS-STARTPTS"
    )


def video_codec_args(fps: int) -> list[str]:
    """Encoder arguments for H.264 yuv420p at a constant ``fps``."""
    return [
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"),
        *("-r", str(fps), "-fps_mode", "cfr", "-movflags", "+faststart"),
    ]


AAC_ARGS = ["-c:a", "aac", "-b:a", "160k", "-ar", str(AUDIO_RATE)]


def conform(
    src: Path,
    out: Path,
    *,
    width: int,
    height: int,
    fps: int,
    seconds: float,
    fit: Fit = "letterbox",
    silent_audio: bool = False,
) -> Path:
    """Rewrite ``src`` at exactly width x height, fps and ``round(seconds * fps)`` frames.

    Audio, when present, is padded or trimmed to the same length; with ``silent_audio`` a
    source without audio gets a silent track, so later concatenation stays in sync.
    """
    info = probe(src)
    frames = frame_count(seconds, fps)
    length = frames / fps
    vf = video_chain(width=width, height=height, fps=fps, frames=frames, fit=fit)
    args: list[str] = ["-i", str(src)]
    if info.has_audio:
        args += ["-filter_complex", f"[0:v]{vf}[v];[0:a]{audio_chain(length)}[a]"]
    elif silent_audio:
        args += ["-f", "lavfi", "-i", f"anullsrc=r={AUDIO_RATE}:cl=stereo"]
        args += ["-filter_complex", f"[0:v]{vf}[v];[1:a]{audio_chain(length)}[a]"]
    else:
        args += ["-filter_complex", f"[0:v]{vf}[v]"]
    args += ["-map", "[v]"]
    if info.has_audio or silent_audio:
        args += ["-map", "[a]", *AAC_ARGS]
    args += [*video_codec_args(fps), str(out)]
    get_backend().run(args, what=f"conform {Path(src).name}")
    return Path(out)


def scale(src: Path, out: Path, *, width: int, height: int, fit: Fit = "letterbox") -> Path:
    """Resize (Lanczos) to width x height, keeping fps, frame count and audio."""
    info = probe(src)
    fps = round(info.fps) or 24
    vf = f"{size_filter(width, height, fit, flags='lanczos')},setsar=1,format=yuv420p"
    args = ["-i", str(src), "-map", "0:v:0", "-vf", vf]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "copy"]
    args += [*video_codec_args(fps), "-frames:v", str(info.frames), str(out)]
    get_backend().run(args, what=f"scale {Path(src).name}")
    return Path(out)


def interpolate(src: Path, out: Path, *, fps: int, mode: InterpolationMode = "mci") -> Path:
    """Retime to ``fps`` by motion interpolation, keeping the duration and audio.

    ``mci`` is motion-compensated (slow on large frames), ``blend`` cross-blends neighbours,
    ``dup`` repeats frames. Output frames = round(duration * fps).
    """
    info = probe(src)
    frames = frame_count(info.duration, fps)
    interp = f"minterpolate=fps={fps}:mi_mode={mode}"
    if mode == "mci":
        interp += ":mc_mode=aobmc:me_mode=bidir:vsbmc=1"
    vf = video_chain(
        width=info.width, height=info.height, fps=fps, frames=frames, fit="stretch", pre=interp
    )
    args = ["-i", str(src), "-map", "0:v:0", "-vf", vf]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "copy"]
    args += [*video_codec_args(fps), str(out)]
    get_backend().run(args, what=f"interpolate {Path(src).name}")
    return Path(out)
