"""A subject fit keeps each shot's subject in a narrower frame where a centre crop loses it,
moving only on the cut."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from shotrelay.edit.framing import crop_x_expression, subject_lefts
from shotrelay.edit.versions import deliver
from shotrelay.media import write_video
from shotrelay.media.frames import iter_frames
from shotrelay.spec.models import Captions, Deliverable, Format

FMT = Format(aspect="16:9", resolution="360p", fps=12)
SHOTS = [(0.0, 1.0), (1.0, 2.0)]


def _frame(x: int) -> np.ndarray:
    frame = np.full((360, 640, 3), 110, np.uint8)
    frame[150:220, x : x + 70] = (220, 20, 20)
    return frame


def _red(frame: np.ndarray) -> int:
    r, g = frame[:, :, 0].astype(int), frame[:, :, 1].astype(int)
    return int(((r > 170) & (g < 80)).sum())


def test_the_window_sits_over_each_shots_subject(tmp_path: Path) -> None:
    master = write_video(tmp_path / "m.mp4", [_frame(30)] * 12 + [_frame(540)] * 12, fps=12)
    window = 0.3164  # 9:16 out of 16:9
    left, right = subject_lefts(master, SHOTS, window)
    assert left <= 30 / 640 and left + window >= 100 / 640
    assert right <= 540 / 640 and right + window >= 610 / 640
    assert crop_x_expression(SHOTS, [left, right]) == (
        f"if(lt(t,1.0000),{left:.4f}*iw,{right:.4f}*iw)"
    )


def test_a_subject_crop_keeps_what_a_centre_crop_cuts(tmp_path: Path) -> None:
    master = write_video(tmp_path / "m.mp4", [_frame(30)] * 12 + [_frame(540)] * 12, fps=12)
    made = {
        fit: deliver(
            Path(shutil.copy(master, tmp_path / f"{fit}.mp4")),
            fmt=FMT,
            cues=[],
            captions=Captions(),
            deliverables=[Deliverable(aspect="9:16", fit=fit)],
            cache=tmp_path / fit,
            shots=SHOTS,
        ).versions[0]
        for fit in ("crop", "subject")
    }
    centre = list(iter_frames(made["crop"].path))
    subject = list(iter_frames(made["subject"].path))
    assert len(subject) == 24 and subject[0].shape[:2] == (640, 360)
    for index in (3, 9, 15, 21):  # both shots
        assert _red(centre[index]) == 0
        assert _red(subject[index]) > 5000  # the whole square, scaled up 1.78x
