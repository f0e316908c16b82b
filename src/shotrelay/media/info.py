"""Probe a media file with PyAV: what it holds, and whether it is whole."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path

import av
from pydantic import BaseModel, ConfigDict

from shotrelay.errors import IntegrityError

__all__ = ["MediaInfo", "file_sha256", "probe"]


class MediaInfo(BaseModel):
    """What a media file holds.

    ``duration`` is the video stream's length (frames / fps) when there is video, else the
    audio stream's length; ``codec`` is the video codec, or the audio codec for audio files.
    """

    model_config = ConfigDict(frozen=True)

    duration: float
    width: int = 0
    height: int = 0
    fps: float = 0.0
    frames: int = 0
    has_video: bool = False
    has_audio: bool = False
    codec: str = ""
    pix_fmt: str = ""
    audio_codec: str = ""
    sample_rate: int = 0
    audio_duration: float = 0.0


def file_sha256(path: Path) -> str:
    """Hex sha256 of a media file's bytes, read in 1 MiB blocks (what cache keys hash)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def probe(path: Path) -> MediaInfo:
    """Read a file's streams and count its video packets.

    Raises IntegrityError when the file is missing, unreadable, or truncated (fewer video
    packets than its header promises).
    """
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise IntegrityError(f"{path}: missing or empty media file")
    try:
        with av.open(str(path)) as container:
            return _read(container, path)
    except IntegrityError:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise IntegrityError(f"{path}: unreadable media ({exc}); re-render or re-download") from exc


def _read(container: av.container.InputContainer, path: Path) -> MediaInfo:
    video = container.streams.video[0] if container.streams.video else None
    audio = container.streams.audio[0] if container.streams.audio else None
    if video is None and audio is None:
        raise IntegrityError(f"{path}: no audio or video stream")
    fields: dict[str, object] = {"has_video": video is not None, "has_audio": audio is not None}
    audio_duration = 0.0
    if audio is not None:
        fields["audio_codec"] = audio.codec_context.name
        fields["sample_rate"] = int(audio.codec_context.sample_rate or 0)
        audio_duration = _stream_seconds(audio, container)
        fields["audio_duration"] = audio_duration
    if video is None:
        fields["codec"] = fields["audio_codec"]
        return MediaInfo(duration=audio_duration, **fields)
    rate = video.average_rate or video.guessed_rate or Fraction(0)
    fps = float(rate)
    promised = int(video.frames or 0)
    counted = sum(1 for p in container.demux(video) if p.size > 0)
    if promised and counted < promised:
        raise IntegrityError(
            f"{path}: truncated: {counted} of {promised} video frames present; re-render it"
        )
    frames = counted or promised
    duration = frames / fps if fps else _stream_seconds(video, container)
    ctx = video.codec_context
    return MediaInfo(
        duration=duration,
        width=int(ctx.width),
        height=int(ctx.height),
        fps=fps,
        frames=frames,
        codec=ctx.name,
        pix_fmt=str(ctx.pix_fmt or ""),
        **fields,
    )


def _stream_seconds(stream: av.stream.Stream, container: av.container.InputContainer) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0
