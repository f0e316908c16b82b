"""Colour match: move a clip's per-channel mean and spread toward a reference frame."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from shotrelay.media.backend import get_backend
from shotrelay.media.conform import video_codec_args
from shotrelay.media.frames import load_rgb, sample_frames
from shotrelay.media.info import probe

__all__ = ["ChannelStats", "ColorTransfer", "channel_stats", "color_match", "plan_transfer"]

# Gains outside this range would amplify noise or flatten the image; clamp them.
_MIN_GAIN, _MAX_GAIN = 0.5, 2.0


class ChannelStats(BaseModel):
    """Mean and standard deviation of R, G and B (0..255)."""

    model_config = ConfigDict(frozen=True)

    mean: tuple[float, float, float]
    std: tuple[float, float, float]


class ColorTransfer(BaseModel):
    """Per-channel linear map ``out = (v - src_mean) * gain + ref_mean``."""

    model_config = ConfigDict(frozen=True)

    source: ChannelStats
    reference: ChannelStats
    gain: tuple[float, float, float]


def channel_stats(frames: Sequence[NDArray[np.uint8]]) -> ChannelStats:
    """Per-channel mean and standard deviation over one or more RGB frames."""
    pixels = np.concatenate([f.reshape(-1, 3) for f in frames]).astype(np.float64)
    mean = pixels.mean(axis=0)
    std = pixels.std(axis=0)
    return ChannelStats(
        mean=(float(mean[0]), float(mean[1]), float(mean[2])),
        std=(float(std[0]), float(std[1]), float(std[2])),
    )


def plan_transfer(
    source: ChannelStats, reference: ChannelStats, strength: float = 1.0
) -> ColorTransfer:
    """The map taking ``source`` statistics to ``reference`` (``strength`` 0..1 blends it)."""
    gains = []
    for s, r in zip(source.std, reference.std, strict=True):
        g = r / s if s > 1e-6 else 1.0
        g = min(_MAX_GAIN, max(_MIN_GAIN, g))
        gains.append(1.0 + (g - 1.0) * strength)
    means = tuple(s + (r - s) * strength for s, r in zip(source.mean, reference.mean, strict=True))
    target = ChannelStats(mean=(means[0], means[1], means[2]), std=reference.std)
    return ColorTransfer(source=source, reference=target, gain=(gains[0], gains[1], gains[2]))


def _lut_expr(src_mean: float, gain: float, ref_mean: float) -> str:
    # Quoted so the commas inside clip() do not split the filter graph.
    return f"'clip((val-{src_mean:.4f})*{gain:.5f}+{ref_mean:.4f},0,255)'"


def color_match(
    src: Path, reference: Path, out: Path, *, strength: float = 1.0
) -> tuple[Path, ColorTransfer]:
    """Grade ``src`` toward ``reference`` (an image or a video's first frame).

    Statistics come from a few frames spread over ``src``; the map is applied as an RGB LUT.
    Returns the output path and the transfer used, so the change can be reported.
    """
    info = probe(src)
    transfer = plan_transfer(
        channel_stats(sample_frames(src, 5)), channel_stats([load_rgb(reference)]), strength
    )
    r, g, b = (
        _lut_expr(transfer.source.mean[i], transfer.gain[i], transfer.reference.mean[i])
        for i in range(3)
    )
    vf = f"format=rgb24,lutrgb=r={r}:g={g}:b={b},format=yuv420p"
    args = ["-i", str(src), "-map", "0:v:0", "-vf", vf]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "copy"]
    args += [*video_codec_args(round(info.fps) or 24), "-frames:v", str(info.frames), str(out)]
    get_backend().run(args, what=f"colour match {Path(src).name}")
    return Path(out), transfer
