"""Assemble the cut: conform every shot, join with its transition, lay dialogue, mix, normalise.

Length rule: the cut lasts exactly ``sum(round(duration * fps))`` frames, i.e. each shot's
on-screen duration to within half a frame. A crossfade or dip to black of T seconds overlaps a
shot with the one before; to keep the total, the outgoing shot runs T longer than its
duration (with its own extra frames when the clip is longer, else holding its last frame), and
the incoming shot starts at its nominal time, fading in over its first T seconds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.media.audio import normalize_loudness
from shotrelay.media.concat import Segment, concat
from shotrelay.media.conform import Fit, frame_count
from shotrelay.media.pieces import CutProgress, concat_cached
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Transition

__all__ = ["TRUE_PEAK_MARGIN", "CutItem", "assemble_cut", "plan_segments"]

#: Headroom (dB) the loudness pass keeps below the asked true peak: the AAC encode after it
#: can raise inter-sample peaks by a few tenths of a dB.
TRUE_PEAK_MARGIN = 0.5


class CutItem(BaseModel):
    """One shot in the cut."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    path: Path
    duration: float = Field(gt=0, description="Seconds on screen.")
    transition: Transition = Field(Transition.CUT, description="How it enters from the previous.")
    transition_seconds: float = Field(0.0, ge=0)
    audio: Path | None = Field(None, description="Dialogue laid at the item's start if mute.")


def _overlaps(items: Sequence[CutItem], frames: Sequence[int], fps: int) -> list[int]:
    """Overlap in frames of each item with the one before (0 for the first and for cuts)."""
    out = [0]
    for i in range(1, len(items)):
        item = items[i]
        if item.transition == Transition.CUT or item.transition_seconds <= 0:
            out.append(0)
            continue
        # Each side keeps at least one frame of its own.
        want = round(item.transition_seconds * fps)
        out.append(max(0, min(want, frames[i] - 1, frames[i - 1])))
    return out


def plan_segments(items: Sequence[CutItem], fps: int) -> list[Segment]:
    """The media segments for ``items``: outgoing shots lengthened by the next overlap."""
    frames = [frame_count(item.duration, fps) for item in items]
    overlaps = _overlaps(items, frames, fps)
    segments = []
    for i, item in enumerate(items):
        extra = overlaps[i + 1] if i + 1 < len(items) else 0
        segments.append(
            Segment(
                path=item.path,
                seconds=(frames[i] + extra) / fps,
                transition=item.transition if overlaps[i] else Transition.CUT,
                transition_seconds=overlaps[i] / fps,
                audio=item.audio,
            )
        )
    return segments


def assemble_cut(
    items: Sequence[CutItem],
    out: Path,
    *,
    fmt: Format,
    music: Path | None = None,
    loudness_lufs: float = -14.0,
    true_peak: float = -1.0,
    fit: Fit = "letterbox",
    music_db: float = -18.0,
    music_fade: float = 1.0,
    cache: Path | None = None,
    progress: CutProgress | None = None,
) -> Path:
    """Write the cut as H.264/AAC MP4 at ``fmt``'s size and fps, normalised to
    ``loudness_lufs`` integrated with true peaks at most ``true_peak`` dBTP.

    Shots are fitted to the frame (letterboxed by default), dialogue audio starts with its
    shot, and ``music`` is looped or trimmed under everything at ``music_db``. With ``cache``
    (a folder), every shot is conformed and every transition rendered once, as cached pieces
    joined without re-encoding (``media.pieces``): a re-cut renders only what changed, and the
    music is ducked under the dialogue and faded over ``music_fade`` seconds at head and tail.
    ``progress`` is told (done, total, what) after each step, the loudness pass last.
    """
    if not items:
        raise ValueError("assemble_cut needs at least one item")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    segments = plan_segments(items, fmt.fps)
    if cache is not None:  # the sound is normalised apart and laid on as the pieces join
        with tempfile.TemporaryDirectory(prefix="cut-", dir=out.parent) as tmp:
            part = concat_cached(
                segments,
                Path(tmp) / out.name,
                width=fmt.width,
                height=fmt.height,
                fps=fmt.fps,
                fit=fit,
                cache=cache,
                music=music,
                music_db=music_db,
                music_fade=music_fade,
                loudness_lufs=loudness_lufs,
                true_peak=true_peak - TRUE_PEAK_MARGIN,
                progress=progress,
            )
            part.replace(out)
        return out
    tell = progress or (lambda _done, _total, _what: None)
    with tempfile.TemporaryDirectory(prefix="cut-", dir=out.parent) as tmp:
        mix = concat(
            segments,
            Path(tmp) / "mix.mp4",
            width=fmt.width,
            height=fmt.height,
            fps=fmt.fps,
            fit=fit,
            music=music,
            music_db=music_db,
        )
        tell(1, 2, "mix")
        normalize_loudness(mix, out, lufs=loudness_lufs, true_peak=true_peak - TRUE_PEAK_MARGIN)
        tell(2, 2, "loudness")
    return out
