"""Local finishing: grade (colour match), upscale, interpolate and dub, all with ffmpeg."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shotrelay.media import color_match, interpolate, mux_audio, probe, scale
from shotrelay.media.conform import InterpolationMode

__all__ = ["dub", "grade", "interpolate_clip", "upscale"]

# minterpolate's motion-compensated mode is slow on big frames; above this height use blend.
_MCI_MAX_HEIGHT = 720


def grade(video: Path, reference: Path | None, out: Path) -> tuple[Path, dict[str, Any]]:
    """Colour-match ``video`` to ``reference``; without one, pass the clip through unchanged."""
    if reference is None:
        out.write_bytes(video.read_bytes())
        return out, {"warning": "no reference_0 given: clip passed through ungraded"}
    _, transfer = color_match(video, reference, out)
    return out, {"transfer": transfer.model_dump(mode="json")}


def upscale(video: Path, out: Path, *, width: int, height: int) -> tuple[Path, dict[str, Any]]:
    """Resize to width x height with Lanczos (letterboxed if the aspect differs)."""
    src = probe(video)
    scale(video, out, width=width, height=height)
    return out, {"from": f"{src.width}x{src.height}", "to": f"{width}x{height}"}


def interpolate_clip(
    video: Path, out: Path, *, fps: int, mode: InterpolationMode | None = None
) -> tuple[Path, dict[str, Any]]:
    """Retime to ``fps``; motion-compensated up to 720p, frame blending above (speed)."""
    src = probe(video)
    chosen: InterpolationMode = mode or ("mci" if src.height <= _MCI_MAX_HEIGHT else "blend")
    interpolate(video, out, fps=fps, mode=chosen)
    return out, {"mode": chosen, "from_fps": src.fps, "to_fps": fps}


def dub(video: Path, audio: Path, out: Path) -> tuple[Path, dict[str, Any]]:
    """Lay ``audio`` under the clip, padded or trimmed to its length. Lips do not move."""
    mux_audio(video, audio, out)
    a = probe(audio)
    return out, {
        "audio_seconds": a.duration,
        "note": "audio laid under picture; lips are not synchronised",
    }
