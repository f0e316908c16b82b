"""Progress from ComfyUI's ``/ws?clientId=`` WebSocket: progress only, never state.

The server sends JSON text frames ``{"type": "progress", "data": {"value", "max",
"prompt_id", "node"}}`` while a sampler steps, and (newer servers) ``progress_state`` with
every node's ``value``/``max``; binary frames are previews and are skipped. If the socket
cannot be opened or drops, polling still decides every state; the feed tries again later.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

__all__ = ["ProgressFeed", "fraction"]

log = logging.getLogger(__name__)


def fraction(message: Any) -> tuple[str, float] | None:
    """(prompt id, 0..1) from one WebSocket message, or None when it says nothing of progress."""
    if not isinstance(message, dict) or not isinstance(message.get("data"), dict):
        return None
    data, kind = message["data"], message.get("type")
    pid = data.get("prompt_id")
    if not isinstance(pid, str):
        return None
    if kind == "progress":
        value, top = data.get("value"), data.get("max")
        if isinstance(value, int | float) and isinstance(top, int | float) and top > 0:
            return pid, max(0.0, min(1.0, value / top))
    if kind == "progress_state" and isinstance(data.get("nodes"), dict):
        done = total = 0.0
        for node in data["nodes"].values():
            if isinstance(node, dict) and isinstance(node.get("max"), int | float):
                total += float(node["max"])
                done += float(node.get("value") or 0)
        if total > 0:
            return pid, max(0.0, min(1.0, done / total))
    return None


class ProgressFeed:
    """Listens on one server's WebSocket in the running event loop; ``get`` reads the last
    fraction seen for a prompt. ``now`` is the clock used to space reconnection attempts."""

    def __init__(self, ws_url: str, now: Callable[[], float], retry_s: float = 30.0) -> None:
        self.ws_url = ws_url
        self._now = now
        self._retry_s = retry_s
        self._seen: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next_try = 0.0

    def get(self, pid: str) -> float | None:
        """The last progress seen for ``pid`` (None before any)."""
        return self._seen.get(pid)

    def ensure(self) -> None:
        """Start listening in the current loop unless already listening (or waiting to retry)."""
        loop = asyncio.get_running_loop()
        if self._task is not None and self._loop is loop and not self._task.done():
            return
        if self._now() < self._next_try and self._loop is loop:
            return
        self._loop = loop
        self._next_try = self._now() + self._retry_s
        self._task = loop.create_task(self._listen(), name="comfyui-progress")

    async def close(self) -> None:
        """Stop listening."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task
        self._task = None

    async def _listen(self) -> None:
        try:
            async with connect(self.ws_url, open_timeout=10, max_size=2**24) as ws:
                async for frame in ws:
                    if isinstance(frame, bytes):
                        continue  # a preview image
                    try:
                        found = fraction(json.loads(frame))
                    except ValueError:
                        continue
                    if found is not None:
                        self._seen[found[0]] = found[1]
        except (OSError, TimeoutError, WebSocketException) as exc:
            log.info("comfyui progress socket %s: %s (polling goes on)", self.ws_url, exc)
