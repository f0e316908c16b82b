"""The virtual clock: timers fire in order and time jumps instead of passing."""

from __future__ import annotations

import asyncio

from shotrelay.sim.clock import run_virtual


def test_an_eight_hour_day_of_sleeps_ends_at_eight_hours_virtual_time() -> None:
    async def main() -> tuple[float, list[int]]:
        loop = asyncio.get_running_loop()
        order: list[int] = []

        async def nap(hours: int) -> None:
            await asyncio.sleep(hours * 3600)
            order.append(hours)

        await asyncio.gather(*(nap(h) for h in (8, 3, 5, 1)))
        return loop.time(), order

    now, order = run_virtual(main())
    assert now == 8 * 3600 and order == [1, 3, 5, 8]


def test_ready_work_runs_before_the_clock_moves() -> None:
    async def main() -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        seen: list[tuple[str, float]] = []
        loop.call_later(10, lambda: seen.append(("timer", loop.time())))
        loop.call_soon(lambda: seen.append(("soon", loop.time())))
        await asyncio.sleep(20)
        return seen

    assert run_virtual(main(), start=100.0) == [("soon", 100.0), ("timer", 110.0)]


def test_threads_still_complete() -> None:
    async def main() -> int:
        return await asyncio.to_thread(sum, [1, 2, 3])

    assert run_virtual(main()) == 6
