"""A clip read once for judging: its figures, small RGB frames and its audio samples."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from shotrelay.errors import IntegrityError

__all__ = ["ANALYSIS_WIDTH", "ClipData", "read_clip"]

#: Frames are judged at this width (the height keeps the aspect): enough for every check,
#: and decoding scales down in swscale, so a 1080p clip costs little more than a 360p one.
ANALYSIS_WIDTH = 320


@dataclass
class ClipData:
    """What the checks read: the clip's own figures and its frames at analysis size."""

    path: Path
    width: int
    height: int
    fps: float
    duration: float
    frames: list[NDArray[np.uint8]]
    #: Mono samples in -1..1, or None when the clip has no audio stream.
    audio: NDArray[np.float32] | None = None
    grey: list[NDArray[np.uint8]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.grey:
            self.grey = [_luma(f) for f in self.frames]


def read_clip(path: Path, *, audio: bool = True) -> ClipData:
    """Decode a clip's video (scaled to ``ANALYSIS_WIDTH``) and, with ``audio``, its sound."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise IntegrityError(f"{path}: missing or empty clip; the take cannot be judged")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise IntegrityError(f"{path}: no video stream; the take cannot be judged")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            width, height = int(stream.codec_context.width), int(stream.codec_context.height)
            small_w = min(ANALYSIS_WIDTH, width) // 2 * 2
            small_h = max(2, round(height * small_w / max(1, width)) // 2 * 2)
            frames = [
                np.asarray(
                    f.to_ndarray(format="rgb24", width=small_w, height=small_h), dtype=np.uint8
                )
                for f in container.decode(stream)
            ]
            rate = stream.average_rate or stream.guessed_rate
            fps = float(rate) if rate else 0.0
        sound = _read_audio(path) if audio else None
    except av.FFmpegError as exc:
        raise IntegrityError(f"{path}: cannot decode ({exc}); the take cannot be judged") from exc
    if not frames:
        raise IntegrityError(f"{path}: has no video frames")
    duration = len(frames) / fps if fps else 0.0
    return ClipData(path, width, height, fps, duration, frames, sound)


def _read_audio(path: Path) -> NDArray[np.float32] | None:
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        chunks = []
        for frame in container.decode(audio=0):
            data: NDArray[np.generic] = frame.to_ndarray()
            if data.dtype.kind in "iu":
                full = float(np.iinfo(data.dtype.name).max)
                data = data.astype(np.float32) / full
            data = data.reshape(-1) if frame.format.is_planar is False else data[0]
            chunks.append(np.asarray(data, dtype=np.float32))
        return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def _luma(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    weights = np.array([0.299, 0.587, 0.114], np.float32)
    return np.asarray(rgb.astype(np.float32) @ weights, dtype=np.float32).astype(np.uint8)
