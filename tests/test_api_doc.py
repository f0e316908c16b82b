"""docs/api.md's example runs as written (offline, on the local providers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[1] / "docs" / "api.md"


def test_the_documented_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    said = capsys.readouterr().out
    assert "done" in said and "final.mp4" in said
    assert "report.html contact-sheet.png ['otio']" in said
