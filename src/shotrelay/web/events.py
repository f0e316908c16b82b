"""Live updates over server-sent events: the board again whenever the journal moves.

The stream polls cheaply (a few ``stat`` calls) and renders the board only when the
journal, the manifest, the project file or the studio's own activity changed, so a run
started from the CLI shows up as live as one started from the page.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from anyio import to_thread
from starlette.requests import Request

from shotrelay.web.runs import Served, Studio

__all__ = ["board_stream", "signature"]

#: Seconds between two looks at the journal's files.
POLL = 0.4


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def signature(served: Served, studio: Studio) -> tuple[object, ...]:
    """What changes whenever anything the board shows changes."""
    ws = served.workspace
    files = [ws.journal, ws.journal.with_name(ws.journal.name + "-wal"), ws.manifest, ws.route]
    return (
        *(_stamp(f) for f in [*files, served.file]),
        studio.activity(served.slug).version,
    )


async def board_stream(
    request: Request,
    served: Served,
    studio: Studio,
    render: Callable[[Served], str],
) -> AsyncIterator[dict[str, str]]:
    """``board`` events carrying the live part of the board, sent when it changed."""
    last: tuple[object, ...] | None = None
    while not await request.is_disconnected():
        now = signature(served, studio)
        if now != last:
            last = now
            html = await to_thread.run_sync(render, served)
            yield {"event": "board", "data": html}
        await asyncio.sleep(POLL)
