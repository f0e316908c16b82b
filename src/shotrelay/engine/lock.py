"""One run per project: an OS advisory lock on ``<workspace>/run.lock``.

The operating system releases the lock when its holder exits, however it exits (kill -9
included), so a crashed run never leaves a stale lock: the next run takes over and the
engine reconciles the journal's in-flight jobs. The file holds the holder's pid, host,
command and start time, only to say who holds it. Commands that change a project (run,
redo, approve, pick, studio) take the lock; reading ones (status, report, route) never do.

The code holding a project's lock may take it again (a ``redo`` runs a ``run``): holds are
counted and the lock is released by the last one. Only the holder's own context (its thread,
and the asyncio tasks it starts) may take it again: another thread of the same process, say
a server running two requests, is refused like another process.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from shotrelay.errors import EngineError

__all__ = ["Holder", "ProjectLock", "lock_file"]

LOCK_NAME = "run.lock"


def lock_file(root: Path) -> Path:
    """The lock file of the workspace at ``root``."""
    return root / LOCK_NAME


@dataclass(frozen=True)
class Holder:
    """Who holds a project's lock, as its file says."""

    pid: int | None
    host: str
    command: str
    started: float | None

    def describe(self) -> str:
        """``pid 1234 (shotrelay run, started 16:02:11)``, with the host when not this one."""
        who = f"pid {self.pid}" if self.pid is not None else "another process"
        if self.host and self.host != socket.gethostname():
            who += f" on {self.host}"
        when = (
            f", started {datetime.fromtimestamp(self.started).strftime('%H:%M:%S')}"
            if self.started is not None
            else ""
        )
        return f"{who} ({self.command or 'shotrelay'}{when})"


# path -> (open file descriptor, holds) for the locks this process holds
_HELD: dict[str, tuple[int, int]] = {}
_GUARD = threading.Lock()
# the lock paths the current context holds (a thread's, inherited by the tasks it starts)
_OWNED: ContextVar[frozenset[str]] = ContextVar("shotrelay_project_locks", default=frozenset())


class ProjectLock:
    """The lock of one project's workspace; a context manager (see :meth:`acquire`)."""

    def __init__(self, root: Path, project: str, command: str) -> None:
        self.path = lock_file(root)
        self.project = project
        self.command = command
        self._key = str(self.path.absolute())
        self._held = False

    def acquire(
        self,
        *,
        wait: bool = False,
        on_wait: Callable[[str], None] | None = None,
        poll: float | None = None,
    ) -> ProjectLock:
        """Take the lock, or raise EngineError naming its holder.

        With ``wait``, say so through ``on_wait`` and block until the holder ends (in
        ``flock`` itself, or every ``poll`` seconds when given: tests inject it).
        """
        with _GUARD:
            if self._reenter():
                return self
            fd = self._open()
            if _try_lock(fd):
                return self._took(fd)
        holder = read_holder(self.path)
        busy = f"project {self.project} is being run by {holder.describe()}"
        if not wait:
            os.close(fd)
            raise EngineError(f"{busy}; wait for it, or run again with --wait")
        if on_wait is not None:
            on_wait(f"waiting for {busy} to finish ...")
        try:
            if poll is None:
                _lock_blocking(fd)
            else:
                while not _try_lock(fd):
                    time.sleep(poll)
        except BaseException:
            os.close(fd)
            raise
        with _GUARD:
            return self._took(fd)

    async def acquire_async(
        self, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
    ) -> ProjectLock:
        """:meth:`acquire` without blocking the event loop while waiting."""
        if not wait:
            return self.acquire()
        return await asyncio.to_thread(self.acquire, wait=True, on_wait=on_wait)

    def release(self) -> None:
        """Give the lock back (the last hold in this process unlocks the file)."""
        if not self._held:
            return
        self._held = False
        with _GUARD:
            fd, holds = _HELD[self._key]
            if holds > 1:
                _HELD[self._key] = (fd, holds - 1)
                return
            del _HELD[self._key]
            _OWNED.set(_OWNED.get() - {self._key})
            _unlock(fd)
            os.close(fd)

    def __enter__(self) -> ProjectLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def _reenter(self) -> bool:
        held = _HELD.get(self._key)
        if held is None or self._key not in _OWNED.get():
            return False
        _HELD[self._key] = (held[0], held[1] + 1)
        self._held = True
        return True

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)

    def _took(self, fd: int) -> ProjectLock:
        if self._reenter():  # another task of this process won the race meanwhile
            os.close(fd)
            return self
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "started": time.time(),
        }
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode())
        _HELD[self._key] = (fd, 1)
        _OWNED.set(_OWNED.get() | {self._key})
        self._held = True
        return self


def read_holder(path: Path) -> Holder:
    """What the lock file says about its holder (blank fields when it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    pid, started = data.get("pid"), data.get("started")
    return Holder(
        pid=pid if isinstance(pid, int) else None,
        host=str(data.get("host") or ""),
        command=str(data.get("command") or ""),
        started=float(started) if isinstance(started, int | float) else None,
    )


if sys.platform == "win32":  # pragma: no cover - only Linux is tested
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock_blocking(fd: int) -> None:
        while not _try_lock(fd):
            time.sleep(1.0)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock_blocking(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
