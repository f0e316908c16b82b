"""Captions from the dialogue at its real times in the cut: SRT, WebVTT, and ASS for burning in.

A shot's speech track is laid at the shot's first frame; the speech is where that track
sounds (its silent ends left out), never past the shot. Lines with an ``at`` start there; the
others are laid out in order over the time left to the next timed line (or the end of the
speech), each in proportion to its length in characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.edit.cut import CutItem, plan_segments
from shotrelay.media.audio import voiced_span
from shotrelay.media.concat import timeline
from shotrelay.media.conform import frame_count
from shotrelay.spec.models import Captions, DialogueLine, Project

__all__ = [
    "Cue",
    "SpokenShot",
    "ass_text",
    "lay_out",
    "spoken_shots",
    "srt_text",
    "vtt_text",
    "write_captions",
]


class SpokenShot(BaseModel):
    """What the captions need of one shot: where it sits in the cut and what is said."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    start: float = Field(ge=0, description="Seconds into the cut of the shot's first frame.")
    seconds: float = Field(gt=0, description="Seconds the shot is on screen.")
    speech_from: float = Field(0.0, ge=0, description="Seconds into the shot speech begins.")
    speech: float | None = Field(None, ge=0, description="Seconds into the shot speech ends.")
    lines: list[DialogueLine]


class Cue(BaseModel):
    """One caption: a line, who says it, and when in the cut."""

    model_config = ConfigDict(frozen=True)

    start: float
    end: float
    text: str
    speaker: str
    shot_id: str


def spoken_shots(
    items: Sequence[CutItem],
    project: Project,
    fps: int,
    speech: Mapping[str, Path] | None = None,
) -> list[SpokenShot]:
    """The shots of a cut that have dialogue, placed as the cut places them; a shot's speech
    lasts as long as its ``speech`` track (by shot id: the dialogue a lip sync put into the
    clip) or the item's own ``audio``."""
    places = timeline(plan_segments(items, fps), fps)
    out = []
    for item, place in zip(items, places, strict=True):
        lines = project.shot(item.shot_id).dialogue
        if not lines:
            continue
        track = (speech or {}).get(item.shot_id) or item.audio
        # Without a track the clip speaks for itself (native audio): its whole span.
        begin, end = voiced_span(track) if track is not None else (0.0, None)
        out.append(
            SpokenShot(
                shot_id=item.shot_id,
                start=place.start / fps,
                seconds=frame_count(item.duration, fps) / fps,
                speech_from=begin,
                speech=end,
                lines=lines,
            )
        )
    return out


def lay_out(shots: Sequence[SpokenShot]) -> list[Cue]:
    """Every line as a cue at its time in the cut (see the module docstring)."""
    cues: list[Cue] = []
    for shot in shots:
        end = shot.seconds if shot.speech is None else min(shot.speech, shot.seconds)
        groups = _groups(shot.lines, shot.speech_from)
        for n, (at, lines) in enumerate(groups):
            # A timed line after the speech ends runs to the end of the shot, never vanishes.
            last = end if end > at else shot.seconds
            stop = groups[n + 1][0] if n + 1 < len(groups) else last
            stop = min(stop, shot.seconds)
            weights = [len(line.line) for line in lines]
            t = at
            for line, weight in zip(lines, weights, strict=True):
                length = (stop - at) * weight / sum(weights)
                if length > 0:
                    cues.append(
                        Cue(
                            start=round(shot.start + t, 3),
                            end=round(shot.start + t + length, 3),
                            text=line.line,
                            speaker=line.speaker,
                            shot_id=shot.shot_id,
                        )
                    )
                t += length
    return cues


def _groups(lines: Sequence[DialogueLine], begin: float) -> list[tuple[float, list[DialogueLine]]]:
    """Lines grouped behind each timed one (the first group starts at ``begin`` untimed)."""
    groups: list[tuple[float, list[DialogueLine]]] = []
    for line in lines:
        if line.at is not None or not groups:
            groups.append((begin if line.at is None else line.at, [line]))
        else:
            groups[-1][1].append(line)
    return groups


def srt_text(cues: Sequence[Cue]) -> str:
    """The cues as SubRip (SRT)."""
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
        for n, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def vtt_text(cues: Sequence[Cue]) -> str:
    """The cues as WebVTT, each with its speaker as a voice span."""
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n<v {_vtt_escape(c.speaker)}>"
        f"{_vtt_escape(c.text)}\n"
        for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def ass_text(cues: Sequence[Cue], *, width: int, height: int, style: Captions) -> str:
    """The cues as an ASS script for a ``width`` x ``height`` frame: the project's font at
    ``style.size`` of the frame height, centred, inside the ``style.safe_area`` margins."""
    size = max(8, round(style.size * height))
    margin_x = round(style.safe_area * width)
    margin_y = round(style.safe_area * height)
    align = 2 if style.position == "bottom" else 8
    outline = max(1, round(size / 14))
    header = (
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n"
        f"PlayResX: {width}\nPlayResY: {height}\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
        "Encoding\n"
        f"Style: Caption,{style.font},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,"
        f"0,0,0,0,100,100,0,0,1,{outline},0,{align},{margin_x},{margin_x},{margin_y},1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
        "Effect, Text\n"
    )
    events = [
        f"Dialogue: 0,{_ass_stamp(c.start)},{_ass_stamp(c.end)},Caption,,0,0,0,,"
        f"{_ass_escape(c.text)}\n"
        for c in cues
    ]
    return header + "".join(events)


def write_captions(cues: Sequence[Cue], stem: Path) -> list[Path]:
    """Write ``stem``.srt and ``stem``.vtt; returns both paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".srt"), stem.with_suffix(".vtt")]
    for path, text in zip(paths, [srt_text(cues), vtt_text(cues)], strict=True):
        part = path.with_name(f".{path.name}.part")
        part.write_text(text, encoding="utf-8")
        part.replace(path)
    return paths


def _stamp(seconds: float, comma: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{comma}{ms:03d}"


def _ass_stamp(seconds: float) -> str:
    cs = round(seconds * 100)
    h, rest = divmod(cs, 360_000)
    m, rest = divmod(rest, 6000)
    s, cs = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{cs:02d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ass_escape(text: str) -> str:
    # Braces open override blocks and a backslash starts a tag in ASS.
    return text.replace("\\", "\u29f5").replace("{", "(").replace("}", ")").replace("\n", "\\N")
