"""One run per project: a second process is refused or waits; a killed holder's lock is freed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.cli import app
from shotrelay.engine.lock import ProjectLock, read_holder
from shotrelay.engine.workspace import workspace_for
from shotrelay.errors import EngineError
from shotrelay.relay.actions import approve, pick, redo, status
from shotrelay.relay.run import run
from shotrelay.relay.studio import run_studio_projects
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks

PROJECT = """name: ad
shots:
  - {id: a, duration: 2, subject: a cat}
"""

# Holds the lock until its stdin closes (or it is killed); says "held" once it has it.
HOLDER = """
import sys
from pathlib import Path
from shotrelay.engine.lock import ProjectLock
lock = ProjectLock(Path(sys.argv[1]), "ad", "shotrelay run").acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


class Holder:
    """Another process holding a workspace's lock."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "held"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def finish(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        assert self.proc.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture
def project(tmp_path: Path) -> Path:
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT)
    return file


@pytest.fixture
def holder(project: Path) -> Iterator[Holder]:
    h = Holder(workspace_for(project).root)
    yield h
    if h.proc.poll() is None:
        h.kill()


def _run(project: Path, **kw: object):  # type: ignore[no-untyped-def]
    class Catalog:
        models = LOCAL_MODELS

    return run(
        project,
        providers={"local": FakeProvider("local")},
        catalog=Catalog(),
        hooks=hooks(FakeCutter()),
        **kw,
    )  # type: ignore[arg-type]


def test_a_second_process_is_refused_naming_the_holder(project: Path, holder: Holder) -> None:
    with pytest.raises(EngineError) as err:
        _run(project)
    text = str(err.value)
    assert text.startswith(f"project ad is being run by pid {holder.pid} (shotrelay run, started ")
    assert text.endswith("wait for it, or run again with --wait")
    assert not workspace_for(project).journal.exists()  # refused before touching the journal


def test_every_mutating_action_is_refused_and_reading_is_not(project: Path, holder: Holder) -> None:
    for action in (
        lambda: approve(project),
        lambda: pick(project, "a", 1),
        lambda: redo(project, "a"),
        lambda: run_studio_projects([project]),
    ):
        with pytest.raises(EngineError, match=f"being run by pid {holder.pid}"):
            action()
    assert status(project).project == "ad"  # reading never takes the lock


def test_a_killed_holders_lock_is_taken_over(project: Path, holder: Holder) -> None:
    root = workspace_for(project).root
    with pytest.raises(EngineError):
        ProjectLock(root, "ad", "shotrelay run").acquire()
    holder.kill()  # kill -9: no clean-up ran; the OS released the lock
    assert read_holder(root / "run.lock").pid == holder.pid  # the file still names it
    result = _run(project)
    assert result.status == "done", result.failures
    assert read_holder(root / "run.lock").pid == os.getpid()


def test_wait_blocks_until_the_holder_ends_and_says_so(project: Path, holder: Holder) -> None:
    root = workspace_for(project).root
    said: list[str] = []
    waiting, got = threading.Event(), threading.Event()

    def say(line: str) -> None:
        said.append(line)
        waiting.set()

    lock = ProjectLock(root, "ad", "shotrelay approve")

    def take() -> None:
        lock.acquire(wait=True, on_wait=say)
        got.set()

    waiter = threading.Thread(target=take)
    waiter.start()
    assert waiting.wait(timeout=30)
    assert not got.is_set()  # said it waits, and does: the other process still holds it
    holder.finish()
    waiter.join(timeout=30)
    assert got.is_set()
    assert len(said) == 1
    assert said[0].startswith(f"waiting for project ad is being run by pid {holder.pid} (")
    assert said[0].endswith(") to finish ...")
    assert read_holder(root / "run.lock").command == "shotrelay approve"
    lock.release()


def test_a_run_gives_the_lock_back_and_a_redo_holds_it_throughout(project: Path) -> None:
    assert _run(project).status == "done"
    root = workspace_for(project).root
    ProjectLock(root, "ad", "test").acquire().release()  # free again
    assert (
        redo(
            project,
            "a",
            providers={"local": FakeProvider("local")},
            catalog=type("C", (), {"models": LOCAL_MODELS})(),
            hooks=hooks(FakeCutter()),
        ).status
        == "done"
    )
    assert read_holder(root / "run.lock").command == "shotrelay redo"
    other = subprocess.run(
        [sys.executable, "-c", HOLDER, str(root)], input="", capture_output=True, text=True
    )
    assert other.returncode == 0 and other.stdout.strip() == "held"


def test_cli_refuses_a_second_run_with_the_message(project: Path, holder: Holder) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(project)])
    assert result.exit_code == 2
    assert f"project ad is being run by pid {holder.pid} (shotrelay run, started" in result.output
    assert "run again with --wait" in result.output
    assert runner.invoke(app, ["approve", str(project)]).exit_code == 2
    assert runner.invoke(app, ["status", str(project)]).exit_code == 0


def test_another_thread_of_the_same_process_is_refused(project: Path) -> None:
    root = workspace_for(project).root
    held = ProjectLock(root, "ad", "shotrelay run").acquire()
    refused: list[BaseException] = []

    def second() -> None:  # as a server handling a second request for the same project
        try:
            ProjectLock(root, "ad", "shotrelay run").acquire()
        except EngineError as exc:
            refused.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join()
    assert refused and "is being run by" in str(refused[0])
    again = ProjectLock(root, "ad", "shotrelay redo").acquire()  # the holder may re-enter
    again.release()
    held.release()
    ProjectLock(root, "ad", "shotrelay run").acquire().release()  # free again
