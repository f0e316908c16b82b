"""The one backend interface for filter work: run an ffmpeg argument list.

Operations in ``media/`` build argument lists (never shell strings) and hand them to the
current backend. The default runs the ffmpeg binary shipped by ``imageio-ffmpeg`` (or the one
named by ``SHOTRELAY_FFMPEG``); tests or other deployments can swap it with ``set_backend``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

from shotrelay.errors import EngineError

__all__ = ["FFmpegBackend", "MediaBackend", "get_backend", "set_backend"]

_STDERR_TAIL = 1500


@runtime_checkable
class MediaBackend(Protocol):
    """Runs one ffmpeg-compatible command; raises EngineError with the stderr tail on failure."""

    def run(self, args: Sequence[str], *, what: str) -> str:
        """Run ffmpeg with ``args`` (no program name); return its stderr text.

        ``what`` names the operation in the error message.
        """
        ...


class FFmpegBackend:
    """ffmpeg as a subprocess, invoked with an argument list."""

    def __init__(self, exe: str | None = None) -> None:
        self.exe = exe or os.environ.get("SHOTRELAY_FFMPEG") or _bundled_ffmpeg()

    def run(self, args: Sequence[str], *, what: str) -> str:
        """Run ffmpeg quietly (errors only, unless ``args`` raise the log level).

        Returns stderr; raises EngineError naming the operation and ffmpeg's last words.
        """
        cmd = [self.exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
        try:
            proc = subprocess.run(cmd, capture_output=True, check=False)
        except OSError as exc:
            raise EngineError(f"{what}: cannot run ffmpeg at {self.exe}: {exc}") from exc
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace")[-_STDERR_TAIL:].strip()
            raise EngineError(f"{what}: ffmpeg exited with {proc.returncode}:\n{tail}")
        return proc.stderr.decode("utf-8", "replace")


@lru_cache(maxsize=1)
def _bundled_ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


_current: MediaBackend | None = None


def get_backend() -> MediaBackend:
    """The backend media operations use now."""
    global _current
    if _current is None:
        _current = FFmpegBackend()
    return _current


def set_backend(backend: MediaBackend | None) -> None:
    """Swap the backend (None restores the default)."""
    global _current
    _current = backend
