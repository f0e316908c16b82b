"""``shotrelay mcp --http`` serves the same tools over streamable HTTP on loopback (the SDK's
own client connects by URL); a non-loopback host is refused before anything listens."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp_helpers import TOOLS, data

SHOTRELAY = str(Path(sys.executable).parent / "shotrelay")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    args = [SHOTRELAY, "mcp", "--http", "--port", str(port), "--root", str(tmp_path)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # readiness, not timing: wait until it accepts, or exits
            if _listening(port) or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1].decode()
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_tools_over_streamable_http(http_server: int) -> None:
    async def steps() -> tuple[set[str], dict[str, object]]:
        async with Client(f"http://127.0.0.1:{http_server}/mcp") as client:
            names = {t.name for t in (await client.list_tools()).tools}
            return names, data(await client.call_tool("doctor", {}))

    names, found = anyio.run(steps)
    assert names == TOOLS
    assert "local" in {p["name"] for p in found["providers"]}  # type: ignore[union-attr]


def test_a_non_loopback_host_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [SHOTRELAY, "mcp", "--http", "--host", "0.0.0.0", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "'0.0.0.0' is not a loopback address" in done.stderr
