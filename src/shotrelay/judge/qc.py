"""Technical QC of a take on the CPU, no model weights: each check a value, a threshold and
a one-line reason. Thresholds are on 0..255 luma unless a check says otherwise."""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.judge.checks import Asked, Check, Judgement, combine
from shotrelay.judge.clip import ClipData, read_clip
from shotrelay.judge.continuity import check_continuity
from shotrelay.judge.faces import check_faces
from shotrelay.judge.learned import LearnedScorers
from shotrelay.judge.motion import check_motion, measure_motion
from shotrelay.judge.plugins import plugin_checks
from shotrelay.judge.vlm import VisualJudge, sample_frames, vlm_checks

__all__ = ["THRESHOLDS", "judge_clip", "technical_checks", "technical_judge"]

#: How many of the previous shot's last frames continuity compares (check_continuity's 6).
_TAIL = 6
#: A sample this close to full scale counts as clipped.
_FULL_SCALE = 0.99

#: The figures each check is held to (one place to tune them).
THRESHOLDS: dict[str, float] = {
    "black_luma": 16.0,  # a frame darker than this on average is black
    "black": 0.10,  # at most this share of black frames
    "frozen_diff": 0.6,  # a frame pair differing less than this (mean |diff|) is frozen
    "frozen": 0.5,  # at most this share of frozen pairs
    "flicker": 2.5,  # mean |second difference| of frame brightness
    "sharpness": 40.0,  # median variance of the Laplacian at analysis size
    "duration": 0.2,  # relative shortfall allowed (and 0.25 s at least)
    "fps": 0.1,  # relative difference from the project's frame rate
    "resolution": 0.66,  # short side at least this share of what was asked
    "aspect": 0.03,  # relative difference of width/height
    "clipped": 0.001,  # share of audio samples at full scale
}


def judge_clip(
    path: Path,
    asked: Asked,
    *,
    previous: Path | None = None,
    references: Sequence[Path] = (),
    vlm: VisualJudge | None = None,
    learned: LearnedScorers | None = None,
    prompt: str = "",
) -> Judgement:
    """Every check of one clip: continuity against ``previous`` (the shot before) if given,
    face similarity against the character ``references`` where both show a face, the
    ``vlm`` judge's rubric when one is given, and the ``learned`` scorers' alignment with
    ``prompt`` and aesthetic score."""
    start = time.perf_counter()
    clip = read_clip(path, audio=asked.audio)
    checks = plugin_checks(clip, asked, prompt)  # the technical QC and any plug-in judges
    if previous is not None and previous.is_file():
        stat = previous.stat()
        checks.append(check_continuity(_tail(str(previous), stat.st_mtime_ns, stat.st_size), clip))
    face = check_faces(clip, references) if references else None
    if face is not None:
        checks.append(face)
    if learned is not None:
        checks += learned.checks(sample_frames(clip), prompt)
    if vlm is not None:
        checks += vlm_checks(clip, vlm)
    return Judgement(
        checks=checks, score=combine(checks), seconds=round(time.perf_counter() - start, 3)
    )


@functools.lru_cache(maxsize=8)
def _tail(path: str, _mtime: int, _size: int) -> ClipData:
    """The previous shot's last frames, read once for all the takes held against it."""
    whole = read_clip(Path(path), audio=False)
    tail = whole.frames[-_TAIL:]
    return ClipData(whole.path, whole.width, whole.height, whole.fps, whole.duration, tail)


def technical_checks(clip: ClipData, asked: Asked) -> list[Check]:
    """Black, frozen, flicker, sharpness, format, audio and camera-motion checks."""
    luma = np.array([float(g.mean()) for g in clip.grey])
    checks = [
        _black(luma),
        _frozen(clip.grey, still_ok=asked.still_ok),
        _flicker(luma),
        _sharpness(clip.grey),
        _duration(clip, asked),
        _fps(clip, asked),
        _resolution(clip, asked),
        _aspect(clip, asked),
    ]
    if asked.audio:
        checks.append(_audio(clip))
    motion = check_motion(measure_motion(clip.grey, clip.fps), asked.camera)
    if motion is not None:
        checks.append(motion)
    return checks


def technical_judge(clip: ClipData, asked: Asked, prompt: str = "") -> list[Check]:
    """The technical QC as a judge plug-in (the ``technical`` entry point)."""
    return technical_checks(clip, asked)


def _black(luma: NDArray[np.float64]) -> Check:
    share = float((luma < THRESHOLDS["black_luma"]).mean())
    limit = THRESHOLDS["black"]
    ok = share <= limit
    return Check(
        name="black",
        value=round(share, 4),
        threshold=limit,
        passed=ok,
        hard=True,
        score=1.0 - share,
        reason=f"{share:.0%} of frames are black (mean brightness under "
        f"{THRESHOLDS['black_luma']:.0f}/255)" + ("" if ok else f", more than {limit:.0%}"),
    )


def _frozen(grey: list[NDArray[np.uint8]], *, still_ok: bool = False) -> Check:
    diffs = [float(cv2.absdiff(a, b).mean()) for a, b in itertools.pairwise(grey)] or [0.0]
    share = float((np.array(diffs) < THRESHOLDS["frozen_diff"]).mean())
    limit = THRESHOLDS["frozen"]
    ok = share <= limit or still_ok
    if ok and share > limit:
        why = f"{share:.0%} of consecutive frames are identical: a still, as this model makes"
    else:
        why = f"{share:.0%} of consecutive frames are identical" + (
            "" if ok else f" (more than {limit:.0%}): the picture does not move"
        )
    return Check(
        name="frozen",
        value=round(share, 4),
        threshold=limit,
        passed=ok,
        hard=True,
        score=1.0 - share if not still_ok else 1.0,
        reason=why,
    )


def _flicker(luma: NDArray[np.float64]) -> Check:
    second = np.abs(np.diff(luma, n=2)) if len(luma) > 2 else np.zeros(1)
    value = float(second.mean())
    limit = THRESHOLDS["flicker"]
    ok = value <= limit
    return Check(
        name="flicker",
        value=round(value, 3),
        threshold=limit,
        passed=ok,
        score=max(0.0, 1.0 - value / (4 * limit)),
        reason=f"brightness jumps {value:.1f}/255 frame to frame"
        + (" (steady)" if ok else f", above {limit}: the picture flickers"),
    )


def _sharpness(grey: list[NDArray[np.uint8]]) -> Check:
    picks = grey[:: max(1, len(grey) // 8)]
    value = float(np.median([cv2.Laplacian(g, cv2.CV_64F).var() for g in picks]))
    limit = THRESHOLDS["sharpness"]
    ok = value >= limit
    return Check(
        name="sharpness",
        value=round(value, 2),
        threshold=limit,
        passed=ok,
        score=min(1.0, value / (2 * limit)),
        reason=f"detail (Laplacian variance) {value:.0f}"
        + ("" if ok else f", under {limit:.0f}: soft or blurred"),
    )


def _duration(clip: ClipData, asked: Asked) -> Check:
    gap = clip.duration - asked.duration
    allowed = max(0.25, THRESHOLDS["duration"] * asked.duration)
    ok = -allowed <= gap <= max(1.0, asked.duration)
    return Check(
        name="duration",
        value=round(clip.duration, 3),
        threshold=round(asked.duration - allowed, 3),
        passed=ok,
        hard=True,
        score=1.0 if ok else 0.0,
        reason=f"{clip.duration:.2f} s for {asked.duration:.2f} s asked"
        + ("" if ok else (": too short to fill the shot" if gap < 0 else ": far too long")),
    )


def _fps(clip: ClipData, asked: Asked) -> Check:
    off = abs(clip.fps - asked.fps) / asked.fps
    limit = THRESHOLDS["fps"]
    ok = off <= limit
    return Check(
        name="fps",
        value=round(clip.fps, 3),
        threshold=float(asked.fps),
        passed=ok,
        score=1.0 if ok else 0.8,
        reason=f"{clip.fps:.2f} fps for {asked.fps} asked"
        + ("" if ok else "; the cut retimes it (motion may judder)"),
    )


def _resolution(clip: ClipData, asked: Asked) -> Check:
    share = min(clip.width, clip.height) / min(asked.width, asked.height)
    limit = THRESHOLDS["resolution"]
    ok = share >= limit
    return Check(
        name="resolution",
        value=round(share, 3),
        threshold=limit,
        passed=ok,
        score=min(1.0, share),
        reason=f"{clip.width}x{clip.height} for {asked.width}x{asked.height} asked"
        + ("" if ok else "; the cut upscales it (soft)"),
    )


def _aspect(clip: ClipData, asked: Asked) -> Check:
    have, want = clip.width / clip.height, asked.width / asked.height
    off = abs(have - want) / want
    limit = THRESHOLDS["aspect"]
    ok = off <= limit
    return Check(
        name="aspect",
        value=round(have, 4),
        threshold=round(want, 4),
        passed=ok,
        score=1.0 if ok else 0.6,
        reason=f"aspect {have:.3f} for {want:.3f} asked"
        + ("" if ok else "; the cut crops or pads it"),
    )


def _audio(clip: ClipData) -> Check:
    if clip.audio is None or clip.audio.size == 0:
        return Check(
            name="audio",
            value=0.0,
            threshold=THRESHOLDS["clipped"],
            passed=False,
            score=0.0,
            reason="the stage has sound, but the clip has no audio stream",
        )
    share = float((np.abs(clip.audio) >= _FULL_SCALE).mean())
    limit = THRESHOLDS["clipped"]
    ok = share <= limit
    return Check(
        name="audio",
        value=round(share, 5),
        threshold=limit,
        passed=ok,
        score=1.0 if ok else 0.3,
        reason=f"audio present, {share:.2%} of samples at full scale" + ("" if ok else ": clipped"),
    )
