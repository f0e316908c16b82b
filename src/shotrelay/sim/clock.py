"""A virtual clock for asyncio: timers fire in order, at once, without real sleeping.

The loop's ``time()`` is virtual. When nothing is ready to run and the loop would block
until the next timer, the clock jumps to that timer instead. Real I/O still works (the
selector is polled without waiting first), so threads and sockets are not starved.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["VirtualClockLoop", "run_virtual"]

T = TypeVar("T")


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock advances only by jumping to the next timer."""

    def __init__(self, start: float = 0.0) -> None:
        super().__init__()
        self._virtual_now = start
        real: selectors.BaseSelector = self._selector  # type: ignore[attr-defined]
        real_select = real.select

        def select(timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            events = real_select(0)
            if events or timeout == 0:
                return events
            if timeout is None:
                return real_select(None)  # no timers: only real I/O can wake us
            self._virtual_now += timeout
            return []

        real.select = select  # type: ignore[method-assign]

    def time(self) -> float:
        """The virtual time in seconds."""
        return self._virtual_now


def run_virtual(main: Coroutine[Any, Any, T], *, start: float = 0.0) -> T:
    """Run ``main`` to completion on a fresh virtual-clock loop and return its result."""
    with asyncio.Runner(loop_factory=lambda: VirtualClockLoop(start)) as runner:
        return runner.run(main)
