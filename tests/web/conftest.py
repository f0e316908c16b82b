"""Projects for the studio's tests: two unrun copies of the example ad."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.web_projects import write_project


@pytest.fixture
def two_projects(tmp_path: Path) -> tuple[Path, Path]:
    """Two unrun projects in one folder: ``ad-a`` and ``ad-b``."""
    return write_project(tmp_path, "ad-a"), write_project(tmp_path, "ad-b")
