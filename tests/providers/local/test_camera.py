from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shotrelay.media import iter_frames, probe
from shotrelay.providers.local.camera import animate
from shotrelay.spec.vocabulary import CameraMove


def _render(
    still: Path, tmp_path: Path, move: CameraMove, seed: int | None = 1
) -> list[np.ndarray]:
    out = tmp_path / f"{move.value}-{seed}.mp4"
    with Image.open(still) as img:
        animate(img, out, move=move, width=160, height=90, fps=12, seconds=1.5, seed=seed)
    return list(iter_frames(out))


def _white(frame: np.ndarray) -> np.ndarray:
    return (frame.min(axis=2) > 200).astype(float)


def _centroid(mask: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(mask)
    return float(xs.mean()), float(ys.mean())


def _red(frame: np.ndarray) -> np.ndarray:
    f = frame.astype(int)
    return ((f[..., 0] > 150) & (f[..., 1] < 90) & (f[..., 2] < 90)).astype(float)


@pytest.mark.parametrize("move", list(CameraMove))
def test_every_move_writes_the_exact_frame_count(
    marker_still: Path, tmp_path: Path, move: CameraMove
) -> None:
    out = tmp_path / "m.mp4"
    with Image.open(marker_still) as img:
        animate(img, out, move=move, width=160, height=90, fps=12, seconds=1.5, seed=2)
    info = probe(out)
    assert (info.frames, info.width, info.height, info.fps) == (18, 160, 90, 12.0)


def test_push_in_grows_the_centre_and_pull_out_shrinks_it(
    marker_still: Path, tmp_path: Path
) -> None:
    push = _render(marker_still, tmp_path, CameraMove.PUSH_IN)
    pull = _render(marker_still, tmp_path, CameraMove.PULL_OUT)
    assert _white(push[-1]).sum() > 1.2 * _white(push[0]).sum()
    assert _white(pull[-1]).sum() < 0.85 * _white(pull[0]).sum()


@pytest.mark.parametrize(
    ("move", "axis", "sign"),
    [
        (CameraMove.PAN_LEFT, 0, +1),  # the camera turns left: content slides right
        (CameraMove.PAN_RIGHT, 0, -1),
        (CameraMove.TILT_UP, 1, +1),  # the camera tilts up: content slides down
        (CameraMove.TILT_DOWN, 1, -1),
    ],
)
def test_pans_and_tilts_move_content_the_right_way(
    marker_still: Path, tmp_path: Path, move: CameraMove, axis: int, sign: int
) -> None:
    frames = _render(marker_still, tmp_path, move)
    start, end = _centroid(_white(frames[0])), _centroid(_white(frames[-1]))
    shift = (end[axis] - start[axis]) * sign
    size = 160 if axis == 0 else 90
    assert shift > 0.08 * size


def test_orbit_moves_background_more_than_subject(marker_still: Path, tmp_path: Path) -> None:
    frames = _render(marker_still, tmp_path, CameraMove.ORBIT_LEFT)
    bg = _centroid(_red(frames[-1]))[0] - _centroid(_red(frames[0]))[0]
    subject = _centroid(_white(frames[-1]))[0] - _centroid(_white(frames[0]))[0]
    # Orbiting left, the far background sweeps left past a subject that stays nearly put.
    assert bg < -0.08 * 160
    assert abs(subject) < abs(bg) / 2


def test_handheld_is_seeded(marker_still: Path, tmp_path: Path) -> None:
    a = _render(marker_still, tmp_path, CameraMove.HANDHELD, seed=5)
    (tmp_path / "again").mkdir()
    b = _render(marker_still, tmp_path / "again", CameraMove.HANDHELD, seed=5)
    c = _render(marker_still, tmp_path, CameraMove.HANDHELD, seed=6)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert any(not np.array_equal(x, y) for x, y in zip(a, c, strict=True))
    # It shakes: the subject does not sit still.
    xs = [_centroid(_white(f))[0] for f in a]
    assert max(xs) - min(xs) > 0.5


def test_static_holds_the_keyframe(marker_still: Path, tmp_path: Path) -> None:
    frames = _render(marker_still, tmp_path, CameraMove.STATIC)
    still = np.asarray(Image.open(marker_still).convert("RGB")).astype(int)
    # Identical pictures, up to the encoder's rounding between I- and P-frames.
    assert all(np.abs(frames[0].astype(int) - f).mean() < 0.5 for f in frames)
    assert np.abs(frames[0].astype(int) - still).mean() < 4
