"""docs/agents.md is true: its client configuration is valid JSON that names the command
the server runs as, and its Python example runs as written (over stdio)."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).parents[2] / "docs" / "agents.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_client_configuration_launches_shotrelay_mcp() -> None:
    (config,) = _blocks("json")
    entry = json.loads(config)["mcpServers"]["shotrelay"]
    assert entry["command"] == "shotrelay" and entry["args"][0] == "mcp"


def test_the_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (example,) = _blocks("python")
    bin_dir = str(Path(sys.executable).parent)  # where the shotrelay command is installed
    monkeypatch.setenv("PATH", bin_dir + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("HOME", str(tmp_path))  # the server's outcomes store: not the user's
    monkeypatch.chdir(DOC.parents[1])
    exec(compile(example, str(DOC), "exec"), {})
    assert float(capsys.readouterr().out.strip()) >= 0
