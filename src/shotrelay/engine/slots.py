"""Who may call a provider next: per-model concurrency, and the hook a scheduler replaces.

The executor starts every ready job at once; a job holds a *slot* of its model while it is
submitted, waited on and fetched. The default gives slots first come, first served up to the
model's documented concurrency. A scheduler (``shotrelay.schedule``) passes its own
:class:`Slots` to grant them by priority instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import JobNode

__all__ = ["ModelSlots", "Slots"]


class Slots(Protocol):
    """Grants the right to have one job in flight at a model."""

    def slot(self, model: ModelProfile, node: JobNode) -> AbstractAsyncContextManager[None]:
        """Hold while the job is submitted, waited on and fetched."""
        ...


class ModelSlots:
    """First come, first served, up to ``model.concurrency`` jobs in flight per model."""

    def __init__(self) -> None:
        self._sems: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, model: ModelProfile, node: JobNode) -> AsyncIterator[None]:
        """Wait for a free slot of ``model``; release it on exit."""
        sem = self._sems.setdefault(model.id, asyncio.Semaphore(model.concurrency))
        async with sem:
            yield
