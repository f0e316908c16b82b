"""A tiny project run once through the real engine (local provider, no waits)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from report_tiny import TINY

from shotrelay.relay import EngineHooks, run


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


def write_tiny(folder: Path) -> Path:
    """The tiny project file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def ran_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project after a full run (animatic, relay, cut, manifest)."""
    path = write_tiny(tmp_path_factory.mktemp("ran"))
    result = run(path, auto_approve=True, hooks=EngineHooks(sleep=_no_wait))
    assert result.status == "done", result.failures
    return path


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    """The tiny project, never run."""
    return write_tiny(tmp_path)
