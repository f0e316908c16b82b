"""Fixtures for the judge tests: what a 2 s pan right asks, and a writer of test clips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.judge.clips import FPS, SECONDS, Frame, H, W

from shotrelay.judge import Asked
from shotrelay.media import write_video


@pytest.fixture(autouse=True)
def outcomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's outcomes store, in the test's own folder."""
    path = tmp_path / "outcomes.jsonl"
    monkeypatch.setenv("SHOTRELAY_OUTCOMES", str(path))
    return path


@pytest.fixture
def asked() -> Asked:
    """A 2 s pan right at 12 fps, 320x180."""
    return Asked(duration=SECONDS, fps=FPS, width=W, height=H, camera="pan-right")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, list[Frame]], Path]:
    """Write frames as an MP4 under tmp_path."""

    def _write(name: str, frames: list[Frame]) -> Path:
        return write_video(tmp_path / f"{name}.mp4", frames, fps=FPS)

    return _write
