"""Join clips with transitions in one ffmpeg pass: cut, crossfade, dip to black.

Each segment is conformed inside the filter graph (fps, size, exact frame count, last frame
held when the clip is short). A transition overlaps a segment with the one before it, so the
output has ``sum(frames) - sum(overlap frames)`` frames. Audio is laid on one timeline: each
segment's own track, or its ``audio`` file when the clip has none, starts where the segment
starts, over a silent bed the length of the video, so sound stays in sync whatever a clip holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.media.backend import get_backend
from shotrelay.media.conform import (
    AAC_ARGS,
    AUDIO_RATE,
    Fit,
    audio_chain,
    frame_count,
    video_chain,
    video_codec_args,
)
from shotrelay.media.info import probe
from shotrelay.spec.vocabulary import Transition

__all__ = ["Placement", "Segment", "concat", "timeline"]

_XFADE = {Transition.CROSSFADE: "fade", Transition.DIP_TO_BLACK: "fadeblack"}


class Segment(BaseModel):
    """One clip on the timeline."""

    model_config = ConfigDict(frozen=True)

    path: Path
    seconds: float = Field(gt=0, description="Length taken from the clip (held if it is short).")
    transition: Transition = Field(Transition.CUT, description="How it enters from the previous.")
    transition_seconds: float = Field(0.0, ge=0, description="Overlap with the previous segment.")
    audio: Path | None = Field(None, description="Laid at the segment start if the clip is mute.")


class Placement(BaseModel):
    """Where a segment lands: first frame on the output, frame count, overlap with previous."""

    model_config = ConfigDict(frozen=True)

    start: int
    frames: int
    overlap: int


def timeline(segments: Sequence[Segment], fps: int) -> list[Placement]:
    """Frame placement of each segment; an overlap is clamped to leave each side one frame."""
    placed: list[Placement] = []
    end = 0
    for i, seg in enumerate(segments):
        frames = frame_count(seg.seconds, fps)
        overlap = 0
        if i > 0 and seg.transition != Transition.CUT:
            overlap = min(round(seg.transition_seconds * fps), frames - 1, placed[-1].frames - 1)
            overlap = max(overlap, 0)
        start = end - overlap
        placed.append(Placement(start=start, frames=frames, overlap=overlap))
        end = start + frames
    return placed


def concat(
    segments: Sequence[Segment],
    out: Path,
    *,
    width: int,
    height: int,
    fps: int,
    fit: Fit = "letterbox",
    music: Path | None = None,
    music_db: float = -18.0,
) -> Path:
    """Write the segments as one H.264/AAC MP4 of exactly the timeline's frame count.

    ``music``, when given, is looped or trimmed to the length and mixed ``music_db`` under.
    """
    if not segments:
        raise ValueError("concat needs at least one segment")
    places = timeline(segments, fps)
    total = places[-1].start + places[-1].frames
    total_samples = round(total / fps * AUDIO_RATE)
    args: list[str] = []
    graph: list[str] = []
    audio_labels: list[str] = []
    n_inputs = 0

    def add_input(path: Path, *pre: str) -> int:
        nonlocal n_inputs
        args.extend([*pre, "-i", str(path)])
        n_inputs += 1
        return n_inputs - 1

    for i, (seg, place) in enumerate(zip(segments, places, strict=True)):
        idx = add_input(seg.path)
        chain = video_chain(width=width, height=height, fps=fps, frames=place.frames, fit=fit)
        graph.append(f"[{idx}:v]{chain}[v{i}]")
        source = f"{idx}:a" if probe(seg.path).has_audio else None
        if source is None and seg.audio is not None:
            source = f"{add_input(seg.audio)}:a"
        if source is not None:
            delay = round(place.start / fps * AUDIO_RATE)
            graph.append(
                f"[{source}]{audio_chain(place.frames / fps)},adelay=delays={delay}S:all=1[a{i}]"
            )
            audio_labels.append(f"[a{i}]")

    current = "[v0]"
    for i in range(1, len(segments)):
        place, label = places[i], f"[x{i}]"
        if place.overlap == 0:
            graph.append(f"{current}[v{i}]concat=n=2:v=1:a=0,settb=1/{fps}{label}")
        else:
            kind = _XFADE[segments[i].transition]
            graph.append(
                f"{current}[v{i}]xfade=transition={kind}:duration={place.overlap / fps:.6f}"
                f":offset={place.start / fps:.6f}{label}"
            )
        current = label
    graph.append(
        f"{current}tpad=stop_mode=clone:stop_duration=1,trim=end_frame={total},"
        "setpts=PTS-STARTPTS[vout]"
    )

    graph.append(
        f"anullsrc=r={AUDIO_RATE}:cl=stereo,atrim=end_sample={total_samples},"
        "aformat=sample_fmts=fltp:channel_layouts=stereo[base]"
    )
    mix_inputs = ["[base]", *audio_labels]
    if music is not None:
        idx = add_input(music, "-stream_loop", "-1")
        fade_start = max(0.0, total / fps - 1.0)
        graph.append(
            f"[{idx}:a]{audio_chain(total / fps)},volume={music_db}dB,"
            f"afade=t=out:st={fade_start:.3f}:d=1[music]"
        )
        mix_inputs.append("[music]")
    graph.append(
        f"{''.join(mix_inputs)}amix=inputs={len(mix_inputs)}:duration=first:normalize=0,"
        f"atrim=end_sample={total_samples}[aout]"
    )
    args += ["-filter_complex", ";".join(graph), "-map", "[vout]", "-map", "[aout]"]
    args += [*video_codec_args(fps), *AAC_ARGS, str(out)]
    get_backend().run(args, what=f"concatenate {len(segments)} clips")
    return Path(out)
