"""Single frames out of a video: the first, the last, or samples across it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from shotrelay.errors import IntegrityError

__all__ = ["first_frame", "iter_frames", "last_frame", "load_rgb", "sample_frames"]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


def iter_frames(video: Path) -> Iterator[NDArray[np.uint8]]:
    """Every frame of a video's first video stream, as RGB arrays."""
    try:
        with av.open(str(video)) as container:
            for frame in container.decode(video=0):
                yield _rgb(frame)
    except av.FFmpegError as exc:
        raise IntegrityError(f"{video}: cannot decode ({exc})") from exc


def first_frame(video: Path, out_png: Path) -> Path:
    """Write the video's first frame to ``out_png``."""
    for rgb in iter_frames(video):
        return _save(rgb, out_png)
    raise IntegrityError(f"{video}: has no video frames")


def last_frame(video: Path, out_png: Path) -> Path:
    """Write the video's last frame to ``out_png`` (seeks near the end, then decodes on)."""
    last: NDArray[np.uint8] | None = None
    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            if stream.duration and stream.time_base and stream.duration * stream.time_base > 2:
                target = stream.duration - int(2 / stream.time_base)
                container.seek(target, stream=stream, backward=True)
            for frame in container.decode(stream):
                last = _rgb(frame)
    except (av.FFmpegError, IndexError) as exc:
        raise IntegrityError(f"{video}: cannot decode ({exc})") from exc
    if last is None:
        raise IntegrityError(f"{video}: has no video frames")
    return _save(last, out_png)


def sample_frames(video: Path, count: int = 5) -> list[NDArray[np.uint8]]:
    """Up to ``count`` frames spread evenly over the video (decodes it once)."""
    frames = list(iter_frames(video))
    if len(frames) <= count:
        return frames
    picks = np.linspace(0, len(frames) - 1, count).round().astype(int)
    return [frames[i] for i in picks]


def load_rgb(path: Path) -> NDArray[np.uint8]:
    """An image file, or a video's first frame, as an RGB array."""
    path = Path(path)
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        with Image.open(path) as img:
            return np.asarray(img.convert("RGB"))
    for rgb in iter_frames(path):
        return rgb
    raise IntegrityError(f"{path}: has no video frames")


def _rgb(frame: av.VideoFrame) -> NDArray[np.uint8]:
    return np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)


def _save(rgb: NDArray[np.uint8], out_png: Path) -> Path:
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(out_png)
    return out_png
