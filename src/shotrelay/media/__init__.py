"""Media operations: probe, frames, conform, scale, retime, colour, audio, concatenation.

A library usable on its own. PyAV probes, decodes and encodes generated frames; filter work
goes through one backend interface (``MediaBackend``), by default the ffmpeg binary shipped
with ``imageio-ffmpeg``. Failures surface as ``EngineError`` (with ffmpeg's stderr tail) or,
for unreadable files, ``IntegrityError``.
"""

from shotrelay.media.audio import (
    Loudness,
    measure_loudness,
    mux_audio,
    normalize_loudness,
    silent_wav,
    tone,
)
from shotrelay.media.backend import FFmpegBackend, MediaBackend, get_backend, set_backend
from shotrelay.media.color import ChannelStats, ColorTransfer, channel_stats, color_match
from shotrelay.media.concat import Placement, Segment, concat, timeline
from shotrelay.media.conform import (
    AUDIO_RATE,
    Fit,
    InterpolationMode,
    conform,
    frame_count,
    interpolate,
    scale,
)
from shotrelay.media.encode import VideoWriter, write_video, write_wav
from shotrelay.media.frames import first_frame, iter_frames, last_frame, load_rgb, sample_frames
from shotrelay.media.info import MediaInfo, probe

__all__ = [
    "AUDIO_RATE",
    "ChannelStats",
    "ColorTransfer",
    "FFmpegBackend",
    "Fit",
    "InterpolationMode",
    "Loudness",
    "MediaBackend",
    "MediaInfo",
    "Placement",
    "Segment",
    "VideoWriter",
    "channel_stats",
    "color_match",
    "concat",
    "conform",
    "first_frame",
    "frame_count",
    "get_backend",
    "interpolate",
    "iter_frames",
    "last_frame",
    "load_rgb",
    "measure_loudness",
    "mux_audio",
    "normalize_loudness",
    "probe",
    "sample_frames",
    "scale",
    "set_backend",
    "silent_wav",
    "timeline",
    "tone",
    "write_video",
    "write_wav",
]
