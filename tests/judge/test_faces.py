"""Face similarity against the character references: the same face passes, another fails,
and no face on either side means no check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import pytest
from tests.judge.clips import FPS, SECONDS, H, W, clean
from tests.judge.faces import OTHERS, face, rgb, scene

from shotrelay.judge import FACE_LIMIT, Asked, find_faces, judge_clip

_N = int(SECONDS * FPS)


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A 640x480 reference still of the character."""
    path = tmp_path / "ada.png"
    cv2.imwrite(str(path), scene(face(), w=640, h=480, x=200, y=100, size=200))
    return path


def _take(write: Callable[..., Path], name: str, person: dict[str, object] | None) -> Path:
    """A still-ish take with ``person`` (face keywords; None = no face) drifting and dimming."""
    frames = []
    for i in range(_N):
        if person is None:
            frames.append(clean()[i])
            continue
        size = 120 - i  # the camera eases out a little and the light changes
        grey = scene(face(**person), w=W, h=H, x=100 + i, y=30, size=size, gain=0.8 + i / 60)  # type: ignore[arg-type]
        frames.append(rgb(grey))
    return write(name, frames)


def test_the_drawn_faces_are_found_by_the_cascade(reference: Path) -> None:
    grey = cv2.imread(str(reference), cv2.IMREAD_GRAYSCALE)
    assert len(find_faces(grey)) == 1
    for kw in OTHERS.values():
        assert len(find_faces(scene(face(**kw), w=W, h=H, x=100, y=30, size=120))) == 1  # type: ignore[arg-type]


def test_the_same_face_passes(write: Callable[..., Path], reference: Path) -> None:
    asked = Asked(duration=SECONDS, fps=FPS, width=W, height=H)
    judged = judge_clip(_take(write, "same", {}), asked, references=[reference])
    check = judged.check("face")
    assert check is not None and check.passed, check
    assert check.value > 0.9
    assert "face similarity" in check.reason and "ada.png" in check.reason


@pytest.mark.parametrize("who", sorted(OTHERS))
def test_another_face_fails_with_a_reason(
    write: Callable[..., Path], reference: Path, who: str
) -> None:
    asked = Asked(duration=SECONDS, fps=FPS, width=W, height=H)
    judged = judge_clip(_take(write, "other", OTHERS[who]), asked, references=[reference])
    check = judged.check("face")
    assert check is not None and not check.passed, check
    assert check.value < FACE_LIMIT and not check.hard
    assert "does not match the reference" in check.reason
    same = judge_clip(_take(write, "same", {}), asked, references=[reference])
    same_face = same.check("face")
    # The face check ranks them; the take's total also weighs content checks (a beard is
    # sharper than a bare face), so compare what the face check gives each.
    assert same_face is not None and same_face.score > check.score


def test_no_face_in_the_take_or_the_references_means_no_check(
    write: Callable[..., Path], reference: Path, tmp_path: Path
) -> None:
    asked = Asked(duration=SECONDS, fps=FPS, width=W, height=H, camera="pan-right")
    no_face = judge_clip(_take(write, "landscape", None), asked, references=[reference])
    assert no_face.check("face") is None
    faceless = tmp_path / "faceless.png"
    cv2.imwrite(str(faceless), clean()[0])
    missing = tmp_path / "missing.png"
    judged = judge_clip(_take(write, "same", {}), asked, references=[faceless, missing])
    assert judged.check("face") is None
