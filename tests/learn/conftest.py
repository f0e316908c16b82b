"""Every learn test keeps the user's outcomes store in its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def outcomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store's path for this test."""
    path = tmp_path / "outcomes.jsonl"
    monkeypatch.setenv("SHOTRELAY_OUTCOMES", str(path))
    return path
