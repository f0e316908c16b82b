"""PrioritySlots: per-model concurrency, with free slots granted by priority, not arrival."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import JobNode
from shotrelay.schedule.priority import Key

__all__ = ["PrioritySlots", "SlotQueue"]


@dataclass
class _Model:
    capacity: int
    busy: int = 0
    waiting: list[tuple[Key, int, asyncio.Future[None]]] = field(default_factory=list)
    kicked: bool = False


class SlotQueue:
    """The slots of every model, shared by every project of a studio.

    A grant is decided ``settle_s`` after a slot frees or a job arrives, so that every job
    made ready by the same event is waiting before the choice is made (under the simulator's
    virtual clock this costs no time at all in practice: nothing else happens in between).
    """

    def __init__(self, *, settle_s: float = 0.001) -> None:
        self.settle_s = settle_s
        self._models: dict[str, _Model] = {}
        self._seq = itertools.count()

    @asynccontextmanager
    async def acquire(self, model: ModelProfile, key: Key) -> AsyncIterator[None]:
        """Wait until this job is the best waiting one and a slot of ``model`` is free."""
        m = self._models.setdefault(model.id, _Model(capacity=model.concurrency))
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(m.waiting, (key, next(self._seq), fut))
        self._kick(m)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                m.busy -= 1
                self._kick(m)
            raise
        try:
            yield
        finally:
            m.busy -= 1
            self._kick(m)

    def _kick(self, m: _Model) -> None:
        if not m.kicked:
            m.kicked = True
            asyncio.get_running_loop().call_later(self.settle_s, self._grant, m)

    def _grant(self, m: _Model) -> None:
        m.kicked = False
        while m.busy < m.capacity and m.waiting:
            _, _, fut = heapq.heappop(m.waiting)
            if fut.done():  # its waiter was cancelled
                continue
            m.busy += 1
            fut.set_result(None)


class PrioritySlots:
    """The engine's Slots hook for one project: its jobs' keys, over a shared queue."""

    def __init__(self, queue: SlotQueue, key: Callable[[JobNode], Key]) -> None:
        self.queue = queue
        self.key = key

    def slot(self, model: ModelProfile, node: JobNode) -> AbstractAsyncContextManager[None]:
        """Hold while the job is submitted, waited on and fetched."""
        return self.queue.acquire(model, self.key(node))
