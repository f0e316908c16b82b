"""Secrets never leave the request headers: after a three-provider run whose servers echo
the key back in their error bodies, no key appears in the journal, the manifest, any file of
the workspace, the report, logs, events or the CLI's stdout/stderr."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from providers.cloud.fakeserver import FakeServer, Reply
from providers.cloud.mixed_project import (
    KEYS,
    Servers,
    configure,
    run_project,
    script,
    write_project,
)
from shotrelay.cli import app
from shotrelay.engine.events import EngineEvent
from shotrelay.progress import RunView
from shotrelay.relay import RunResult


def leaks(data: bytes) -> list[str]:
    """Which keys ``data`` contains (by variable name, so the report never shows a value)."""
    return [name for name, value in KEYS.items() if value.encode() in data]


@pytest.fixture
def servers() -> Iterator[Servers]:
    made = Servers(FakeServer().start(), FakeServer().start(), FakeServer().start())
    yield made
    for server in made.all():
        server.stop()


def echo_keys_in_errors(servers: Servers) -> None:
    """Each provider fails once with its key echoed in the error body (as some do)."""
    rw, lu, sy = servers.runway, servers.luma, servers.sync
    rw.routes[("POST", "/v1/image_to_video")].insert(
        0,
        Reply(
            status=429,
            json={"error": f"rate limited for key {KEYS['RUNWAYML_API_SECRET']}"},
            headers={"Retry-After": "1"},
        ),
    )
    lu.routes[("GET", "/generations/gen-1")].insert(
        0, Reply(status=503, json={"detail": f"overloaded; Bearer {KEYS['LUMAAI_API_KEY']}"})
    )
    sy.routes[("POST", "/v2/generate")].insert(
        0, Reply(status=500, json={"message": f"x-api-key {KEYS['SYNC_API_KEY']} hit a bug"})
    )
    # A 500 on a submission may hide an accepted job: the engine asks sync.so's listing,
    # which does not hold it, and only then submits again.
    sy.on("GET", "/v2/generations", Reply(json=[]))


def test_keys_never_reach_journal_manifest_report_logs_or_output(
    servers: Servers,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure(monkeypatch, servers)
    script(servers, tmp_path)
    echo_keys_in_errors(servers)
    project = write_project(tmp_path / "film")
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    events: list[EngineEvent] = []
    # What `shotrelay run` prints when its output is not a terminal: every line of it.
    view = RunView(Console(file=sys.stdout, force_terminal=False), sys.stdout)

    def on_event(event: EngineEvent) -> None:
        events.append(event)
        view(event)

    with view:
        result: RunResult = run_project(project, on_event)
    assert result.status == "done", (result.message, result.failures)
    # The echoed errors really happened and were recorded (so the check below means something).
    messages = [e.message or "" for e in events]
    assert any("429" in m and "***" in m for m in messages), messages  # echoed, then masked
    assert all(len(s.requests) > 3 for s in servers.all())
    # Each server did receive its key: the secret went onto the wire, and only there.
    assert servers.runway.requests[0].headers["authorization"].endswith(KEYS["RUNWAYML_API_SECRET"])

    cli = CliRunner()
    outputs = [cli.invoke(app, [cmd, str(project)]) for cmd in ("status", "report")]
    outputs.append(cli.invoke(app, ["doctor", "--json"]))
    for out in outputs:
        assert out.exit_code == 0, out.output

    captured = capsys.readouterr()
    texts = {
        "stdout": captured.out,
        "stderr": captured.err,
        "logs": caplog.text,
        "events": "\n".join(e.model_dump_json() for e in events),
        "result": result.model_dump_json(),
        "cli": "\n".join(o.output for o in outputs),
    }
    found = {where: leaks(text.encode()) for where, text in texts.items()}
    workspace = project.parent / ".shotrelay"
    files = [p for p in project.parent.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" or "journal" in p.name for p in files), files
    assert result.manifest is not None and result.manifest in files
    assert any(p.suffix == ".html" for p in files), "the report was written"
    found.update({str(p.relative_to(project.parent)): leaks(p.read_bytes()) for p in files})
    assert workspace.is_dir()
    assert {where: names for where, names in found.items() if names} == {}
