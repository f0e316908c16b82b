"""Encode generated frames to H.264 MP4 with ffmpeg, and write simple WAV audio."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

from shotrelay.errors import EngineError
from shotrelay.media.backend import FFmpegBackend, get_backend
from shotrelay.media.conform import video_codec_args

__all__ = ["VideoWriter", "write_video", "write_wav"]

Frame = NDArray[np.uint8]


class VideoWriter:
    """Writes RGB frames (H x W x 3 uint8) as H.264 yuv420p at a constant frame rate.

    Use as a context manager; frame ``i`` is shown at ``i / fps``. The frames go to the same
    ffmpeg, with the same encoder settings, as the cut's conformed pieces, so a clip written
    here at the cut's size and rate can join a cut by stream copy, without a second encode.
    """

    def __init__(self, path: Path, *, width: int, height: int, fps: int) -> None:
        if width % 2 or height % 2:
            raise ValueError(f"H.264 yuv420p needs even sizes, got {width}x{height}")
        self.path = Path(path)
        self.width, self.height, self.fps = width, height, fps
        self.frames = 0
        exe = getattr(get_backend(), "exe", None) or FFmpegBackend().exe
        cmd = [
            *(exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
            *("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps)),
            *("-i", "pipe:0", "-vf", "setsar=1,format=yuv420p", *video_codec_args(fps)),
            str(self.path),
        ]
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the writer)
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=self._errors)
        self._closed = False

    def write(self, rgb: Frame) -> None:
        """Append one frame."""
        if rgb.shape != (self.height, self.width, 3):
            raise ValueError(f"frame is {rgb.shape}, writer wants {(self.height, self.width, 3)}")
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            stdin.write(np.ascontiguousarray(rgb, dtype=np.uint8).data)
        except BrokenPipeError:
            self._finish()  # raises with ffmpeg's own words
        self.frames += 1

    def close(self) -> None:
        """Finish the file (raises EngineError if ffmpeg failed)."""
        if not self._closed:
            self._finish()

    def _finish(self) -> None:
        self._closed = True
        if self._proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self._proc.stdin.close()
        code = self._proc.wait()
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        self._errors.close()
        if code != 0:
            raise EngineError(f"encode {self.path.name}: ffmpeg exited with {code}: {said[-800:]}")

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and not self._closed:  # drop the partial file
            self._proc.kill()
            self._finish_quietly()
            self.path.unlink(missing_ok=True)
            return
        self.close()

    def _finish_quietly(self) -> None:
        with contextlib.suppress(EngineError):
            self._finish()


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
