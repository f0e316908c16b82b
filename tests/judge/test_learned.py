"""Learned scorers on a tiny CLIP-shaped ONNX export built in the test: the real loading,
preprocessing, tokenising and inference code runs, and the checks say what they found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.judge.clips import FPS, Frame, H, W
from tests.judge.tiny_clip import aesthetic_model, export

from shotrelay.errors import SpecError
from shotrelay.judge import Asked, LearnedScorers, judge_clip
from shotrelay.judge.learned import AESTHETIC_ENV, CLIP_ENV

RED, BLUE = (220, 20, 20), (20, 20, 220)
#: Identity projection and hand-set word rows: "red" points where red pixels land.
EYE = np.eye(3, dtype=np.float32)
TABLE = np.zeros((8, 3), np.float32)
TABLE[2], TABLE[3] = (1, -1, -1), (-1, -1, 1)  # red, blue (tiny_clip.WORDS)


def solid(rgb: tuple[int, int, int], n: int = int(2 * FPS)) -> list[Frame]:
    return [np.full((H, W, 3), rgb, np.uint8) for _ in range(n)]


def normalised(rgb: tuple[int, int, int]) -> np.ndarray:
    """The test export's preprocessing (mean 0.5, std 0.25) of one colour, by hand."""
    return (np.array(rgb, np.float32) / 255 - 0.5) / 0.25


def test_a_random_model_gives_the_embedding_a_hand_computation_gives(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    proj = rng.normal(size=(3, 8)).astype(np.float32)
    scorers = LearnedScorers(export(tmp_path / "clip", proj))
    got = scorers.image_embeddings(solid(RED, 1))[0]
    want = normalised(RED) @ proj
    assert np.allclose(got, want / np.linalg.norm(want), atol=1e-4)


def test_frames_are_resized_by_their_short_side_and_centre_cropped(tmp_path: Path) -> None:
    scorers = LearnedScorers(export(tmp_path / "clip", EYE, TABLE))
    thirds = np.zeros((90, 270, 3), np.uint8)
    thirds[:, :90], thirds[:, 90:180], thirds[:, 180:] = RED, (20, 220, 20), BLUE
    pixels = scorers.pixels([thirds])
    assert pixels.shape == (1, 3, 32, 32)
    middle = pixels[0, :, :, 4:-4].reshape(3, -1).mean(axis=1)  # off bicubic's edge ringing
    assert np.allclose(middle, normalised((20, 220, 20)), atol=0.05)


def test_the_clip_that_shows_the_prompt_passes_and_the_other_fails(
    tmp_path: Path, write: Callable[[str, list[Frame]], Path], asked: Asked
) -> None:
    scorers = LearnedScorers(export(tmp_path / "clip", EYE, TABLE))
    still = asked.model_copy(update={"camera": "", "still_ok": True})
    red = judge_clip(write("red", solid(RED)), still, learned=scorers, prompt="a red cup")
    blue = judge_clip(write("blue", solid(BLUE)), still, learned=scorers, prompt="a red cup")
    r, b = red.check("clip_alignment"), blue.check("clip_alignment")
    assert r is not None and b is not None
    assert r.passed and r.value > 0.9 and r.score == 1.0
    assert not b.passed and b.value < 0 and b.score == 0.0
    assert "under 0.2" in b.reason
    assert red.score > blue.score


def test_no_prompt_no_alignment_check(tmp_path: Path) -> None:
    scorers = LearnedScorers(export(tmp_path / "clip"))
    assert scorers.checks(solid(RED, 2), "  ") == []


def test_the_aesthetic_head_reads_the_image_embeddings(tmp_path: Path) -> None:
    folder = export(tmp_path / "clip", EYE, TABLE)
    weights = np.array([2.0, -1.0, 0.5], np.float32)
    head = aesthetic_model(tmp_path / "aesthetic.onnx", weights, bias=5.5)
    scorers = LearnedScorers(folder, head)
    checks = {c.name: c for c in scorers.checks(solid(RED, 3), "")}
    unit = normalised(RED) / np.linalg.norm(normalised(RED))
    want = float(unit @ weights + 5.5)
    assert checks["aesthetic"].value == pytest.approx(want, abs=1e-3)
    assert checks["aesthetic"].passed == (want >= 5.0)
    low = LearnedScorers(folder, aesthetic_model(tmp_path / "low.onnx", weights, bias=1.0))
    poor = low.checks(solid(RED, 3), "")[0]
    assert not poor.passed and "under 5" in poor.reason


def test_an_aesthetic_head_for_another_clip_width_is_refused(tmp_path: Path) -> None:
    folder = export(tmp_path / "clip", EYE, TABLE)
    head = aesthetic_model(tmp_path / "wide.onnx", np.ones(768, np.float32), bias=5.0)
    with pytest.raises(SpecError, match="reads 768 values, CLIP gives 3") as err:
        LearnedScorers(folder, head).checks(solid(RED, 1), "")
    assert err.value.field == AESTHETIC_ENV and err.value.fix


def test_a_missing_tower_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    folder = export(tmp_path / "clip")
    (folder / "onnx" / "text_model.onnx").unlink()
    with pytest.raises(SpecError, match=r"no text_model\.onnx") as err:
        LearnedScorers(folder)
    assert err.value.file == str(folder) and "Xenova" in (err.value.fix or "")


def test_the_environment_names_the_models(tmp_path: Path) -> None:
    assert LearnedScorers.from_env({}) is None
    folder = export(tmp_path / "clip")
    assert isinstance(LearnedScorers.from_env({CLIP_ENV: str(folder)}), LearnedScorers)
    with pytest.raises(SpecError, match="is set but"):
        LearnedScorers.from_env({AESTHETIC_ENV: str(tmp_path / "x.onnx")})
    with pytest.raises(SpecError, match="does not exist") as err:
        LearnedScorers.from_env({CLIP_ENV: str(folder), AESTHETIC_ENV: str(tmp_path / "x.onnx")})
    assert err.value.field == AESTHETIC_ENV
