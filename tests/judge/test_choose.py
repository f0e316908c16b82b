"""The judged winner among takes of unequal quality is the best one, and the choice says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from tests.judge.clips import DEFECTS, clean, pan

from shotrelay.judge import Asked, asked_for, choose, judge_clip
from shotrelay.spec.models import Format, Shot
from shotrelay.spec.vocabulary import CameraMove


def test_the_best_take_wins_and_the_runner_up_says_what_it_lost_on(
    write: Callable[..., Path], asked: Asked
) -> None:
    soft = [cv2.GaussianBlur(f, (0, 0), 6) for f in clean()]
    judged = {
        1: judge_clip(write("black", DEFECTS["black"]()), asked),
        2: judge_clip(write("flicker", DEFECTS["flicker"]()), asked),
        3: judge_clip(write("soft", soft), asked),
        4: judge_clip(write("clean", clean()), asked),
    }
    choice = choose(judged)
    assert choice.take == 4
    assert "take 4 judged best" in choice.why
    assert choice.runner_up == 3 and "sharpness" in choice.why
    assert set(choice.scores) == {1, 2, 3, 4}


def test_when_every_take_is_defective_none_is_chosen(
    write: Callable[..., Path], asked: Asked
) -> None:
    judged = {
        1: judge_clip(write("black", DEFECTS["black"]()), asked),
        2: judge_clip(write("frozen", DEFECTS["frozen"]()), asked),
    }
    choice = choose(judged)
    assert choice.take is None
    assert "every take failed hard QC" in choice.why and "pick one by hand" in choice.why


def test_continuity_flags_a_colour_jump_from_the_previous_shot(
    write: Callable[..., Path], asked: Asked
) -> None:
    before = write("before", clean())
    same = judge_clip(write("same", pan(24, 8.0, seed=7)), asked, previous=before)
    check = same.check("continuity")
    assert check is not None and check.passed, check
    tint = np.array([250, 60, 10], np.float32)
    warm = [(0.4 * f + 0.6 * tint).astype(np.uint8) for f in pan(24, 8.0, seed=7)]
    jumped = judge_clip(write("jump", warm), asked, previous=before).check("continuity")
    assert jumped is not None and not jumped.passed and "colour jumps" in jumped.reason


def test_asked_for_reads_the_shot_and_the_format() -> None:
    shot = Shot(duration=4, camera=CameraMove.PUSH_IN)
    asked = asked_for(shot, Format(resolution="720p", aspect="9:16", fps=30), duration=5.0)
    assert (asked.duration, asked.fps, asked.camera) == (5.0, 30, "push-in")
    assert (asked.width, asked.height) == (720, 1280)
