"""Small inline images for the report: a frame of a clip or an image, as a data: URI."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from shotrelay.errors import ShotrelayError

__all__ = ["data_uri", "frame_of", "thumbnail"]

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}


def frame_of(path: Path) -> NDArray[np.uint8]:
    """An image file as RGB, or the middle frame of a video (decodes up to the middle)."""
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        with Image.open(path) as img:
            return np.asarray(img.convert("RGB"))
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if stream.duration:
                # Seek to the keyframe before the middle, then decode up to the middle.
                middle = stream.duration // 2 + (stream.start_time or 0)
                container.seek(middle, stream=stream, backward=True)
                for frame in container.decode(stream):
                    if frame.pts is None or frame.pts >= middle:
                        return np.asarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
    except (av.FFmpegError, IndexError) as exc:
        raise ShotrelayError(f"{path}: cannot decode ({exc})") from exc
    return _middle_by_count(path)


def _middle_by_count(path: Path) -> NDArray[np.uint8]:
    """The middle frame of a stream with no duration: count packets, then decode up to it.

    Only one decoded frame is held at a time, however long the clip.
    """
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            count = sum(1 for packet in container.demux(stream) if packet.size)
        with av.open(str(path)) as container:
            last: av.VideoFrame | None = None
            for index, frame in enumerate(container.decode(video=0)):
                last = frame
                if index >= count // 2:
                    break
            if last is None:
                raise ShotrelayError(f"{path}: has no video frames")
            return np.asarray(last.to_ndarray(format="rgb24"), dtype=np.uint8)
    except (av.FFmpegError, IndexError) as exc:
        raise ShotrelayError(f"{path}: cannot decode ({exc})") from exc


def thumbnail(path: Path, width: int = 320) -> Image.Image:
    """A frame of ``path`` scaled to ``width`` pixels wide."""
    img = Image.fromarray(frame_of(path))
    height = max(1, round(img.height * width / img.width))
    return img.resize((width, height), Image.Resampling.BILINEAR)


def data_uri(path: Path | None, width: int = 320) -> str | None:
    """A JPEG data: URI of a frame of ``path``; None when there is no readable file."""
    if path is None or not path.is_file():
        return None
    try:
        img = thumbnail(path, width)
    except (ShotrelayError, OSError):
        return None
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=72)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
