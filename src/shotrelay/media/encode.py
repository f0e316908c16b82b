"""Encode generated frames to H.264 MP4 with PyAV, and write simple WAV audio."""

from __future__ import annotations

import wave
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np
from numpy.typing import NDArray

__all__ = ["VideoWriter", "write_video", "write_wav"]

Frame = NDArray[np.uint8]


class VideoWriter:
    """Writes RGB frames (H x W x 3 uint8) as H.264 yuv420p at a constant frame rate.

    Use as a context manager; frame ``i`` is shown at ``i / fps``.
    """

    def __init__(
        self,
        path: Path,
        *,
        width: int,
        height: int,
        fps: int,
        crf: int = 20,
        preset: str = "superfast",
    ) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"H.264 yuv420p needs even sizes, got {width}x{height}")
        self.path = Path(path)
        self.width, self.height, self.fps = width, height, fps
        self.frames = 0
        self._container = av.open(str(self.path), "w", options={"movflags": "+faststart"})
        stream = self._container.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, fps)
        # A fixed thread count keeps output identical from run to run on any machine.
        stream.codec_context.options = {"crf": str(crf), "preset": preset, "threads": "2"}
        self._stream = stream

    def write(self, rgb: Frame) -> None:
        """Append one frame."""
        if rgb.shape != (self.height, self.width, 3):
            raise ValueError(f"frame is {rgb.shape}, writer wants {(self.height, self.width, 3)}")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts = self.frames
        frame.time_base = Fraction(1, self.fps)
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def write_video(path: Path, frames: Iterable[Frame], *, fps: int) -> Path:
    """Encode an iterable of equally sized RGB frames to ``path``."""
    it = iter(frames)
    first = next(it)
    h, w = first.shape[:2]
    with VideoWriter(path, width=w, height=h, fps=fps) as writer:
        writer.write(first)
        for frame in it:
            writer.write(frame)
    return Path(path)


def write_wav(path: Path, samples: NDArray[np.float64], *, sample_rate: int = 48000) -> Path:
    """Write mono float samples in -1..1 as 16-bit PCM WAV."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return Path(path)
