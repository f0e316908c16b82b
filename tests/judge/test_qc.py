"""Each technical check fires, with its reason, on a clip made with that defect, and none
fires on a clean clip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.judge.clips import DEFECTS, FPS, Frame, clean, push_in

from shotrelay.judge import Asked, judge_clip


def test_a_clean_clip_passes_every_check(write: Callable[..., Path], asked: Asked) -> None:
    judged = judge_clip(write("clean", clean()), asked)
    assert [c.line() for c in judged.failed] == []
    assert not judged.defective
    assert judged.score > 0.8
    assert {c.name for c in judged.checks} >= {
        "black", "frozen", "flicker", "sharpness", "duration", "fps", "resolution", "aspect",
        "motion",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("defect", "words", "hard"),
    [
        ("black", "black", True),
        ("frozen", "does not move", True),
        ("flicker", "flickers", False),
        ("duration", "too short", True),
        ("motion", "other way", False),
    ],
)
def test_each_defect_fires_its_check_with_a_reason(
    write: Callable[..., Path], asked: Asked, defect: str, words: str, hard: bool
) -> None:
    judged = judge_clip(write(defect, DEFECTS[defect]()), asked)
    check = judged.check(defect)
    assert check is not None and not check.passed, judged.summary()
    assert words in check.reason
    assert check.hard is hard
    assert judged.defective is hard
    assert judged.score < judge_clip(write("clean", clean()), asked).score


def test_each_check_carries_its_value_and_threshold(
    write: Callable[..., Path], asked: Asked
) -> None:
    black = judge_clip(write("black", DEFECTS["black"]()), asked).check("black")
    assert black is not None
    assert black.value == 1.0 and black.threshold == 0.1
    assert "100% of frames are black" in black.reason


def test_a_push_in_shows_expansion_and_a_pull_out_does_not_pass_as_one(
    write: Callable[..., Path], asked: Asked
) -> None:
    frames = push_in(int(2 * FPS))
    inward = asked.model_copy(update={"camera": "push-in"})
    check = judge_clip(write("push", frames), inward).check("motion")
    assert check is not None and check.passed, check
    pulled = judge_clip(write("pull", frames[::-1]), inward).check("motion")
    assert pulled is not None and not pulled.passed and "other way" in pulled.reason


def test_a_static_shot_that_pans_is_flagged(write: Callable[..., Path], asked: Asked) -> None:
    still = asked.model_copy(update={"camera": "static"})
    check = judge_clip(write("pan", clean()), still).check("motion")
    assert check is not None and not check.passed and "the camera moves" in check.reason


def test_soft_frames_fail_sharpness(write: Callable[..., Path], asked: Asked) -> None:
    import cv2

    soft: list[Frame] = [cv2.GaussianBlur(f, (0, 0), 6) for f in clean()]
    check = judge_clip(write("soft", soft), asked).check("sharpness")
    assert check is not None and not check.passed and "soft or blurred" in check.reason


def test_format_checks_compare_with_what_was_asked(
    write: Callable[..., Path], asked: Asked
) -> None:
    wide = asked.model_copy(update={"width": 1920, "height": 1080, "fps": 25})
    judged = judge_clip(write("clean", clean()), wide)
    res, fps = judged.check("resolution"), judged.check("fps")
    assert res is not None and not res.passed and "320x180 for 1920x1080" in res.reason
    assert fps is not None and not fps.passed
    square = asked.model_copy(update={"width": 1080, "height": 1080})
    aspect = judge_clip(write("clean", clean()), square).check("aspect")
    assert aspect is not None and not aspect.passed


def test_audio_missing_or_clipped_fails_where_the_stage_has_sound(
    write: Callable[..., Path], asked: Asked, tmp_path: Path
) -> None:
    from shotrelay.media import get_backend, mux_audio, tone, write_wav

    voiced = asked.model_copy(update={"audio": True})
    silent = judge_clip(write("clean", clean()), voiced).check("audio")
    assert silent is not None and not silent.passed and "no audio stream" in silent.reason
    ok = mux_audio(write("clean", clean()), tone(tmp_path / "t.wav", 2.0), tmp_path / "a.mp4")
    good = judge_clip(ok, voiced).check("audio")
    assert good is not None and good.passed, good
    loud = write_wav(tmp_path / "loud.wav", np.sign(np.sin(np.arange(96000) / 20.0)))
    raw = tmp_path / "b.mkv"  # PCM keeps the flat tops that AAC would smooth
    args = ["-i", str(write("c2", clean())), "-i", str(loud), "-c:v", "copy"]
    get_backend().run([*args, "-c:a", "pcm_s16le", str(raw)], what="mux pcm")
    bad = judge_clip(raw, voiced)
    check = bad.check("audio")
    assert check is not None and not check.passed and "clipped" in check.reason
