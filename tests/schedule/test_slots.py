"""PrioritySlots: the waiting job with the least slack gets the next free slot."""

from __future__ import annotations

import asyncio

import pytest

from shotrelay.catalog.profile import Latency, ModelProfile, Pricing, PricingRule
from shotrelay.engine.jobs import JobNode
from shotrelay.schedule.priority import Key
from shotrelay.schedule.slots import PrioritySlots, SlotQueue
from shotrelay.sim.clock import run_virtual
from shotrelay.spec.vocabulary import Task

MODEL = ModelProfile(
    id="m",
    provider="sim",
    name="m",
    api_model="m",
    tasks=[Task.TEXT_TO_VIDEO],
    pricing=Pricing(rule=PricingRule.FREE),
    latency=Latency(base_s=10),
    concurrency=2,
)


def key(slack: float, order: int = 0) -> Key:
    return (0.0, 0.0, 0.0, slack, order, "")


async def hold(
    queue: SlotQueue, name: str, k: Key, seconds: float, log: list[str], model: ModelProfile = MODEL
) -> None:
    async with queue.acquire(model, k):
        log.append(f"{name}@{asyncio.get_running_loop().time():.0f}")
        await asyncio.sleep(seconds)


def test_two_slots_three_jobs_least_slack_first() -> None:
    # All three wait at t=0; slacks: a 300, b 100, c 200. b and c start; a takes the first
    # slot to free (c's, at 20 s), not its arrival turn.
    async def main() -> list[str]:
        queue, log = SlotQueue(), []
        await asyncio.gather(
            hold(queue, "a", key(300), 10, log),
            hold(queue, "b", key(100), 50, log),
            hold(queue, "c", key(200), 20, log),
        )
        return log

    assert run_virtual(main()) == ["b@0", "c@0", "a@20"]


def test_a_later_arrival_with_less_slack_passes_those_already_waiting() -> None:
    async def late(queue: SlotQueue, log: list[str]) -> None:
        await asyncio.sleep(5)
        await hold(queue, "urgent", key(1), 10, log)

    async def main() -> list[str]:
        queue, log = SlotQueue(), []
        await asyncio.gather(
            hold(queue, "x", key(10), 30, log),
            hold(queue, "y", key(10), 30, log),
            hold(queue, "waits", key(500), 10, log),
            late(queue, log),
        )
        return log

    assert run_virtual(main()) == ["x@0", "y@0", "urgent@30", "waits@30"]


def test_ties_go_to_the_earlier_shot() -> None:
    async def main() -> list[str]:
        queue, log = SlotQueue(), []
        one = MODEL.model_copy(update={"concurrency": 1})

        async def go(name: str, order: int) -> None:
            async with queue.acquire(one, key(50, order)):
                log.append(name)
                await asyncio.sleep(1)

        await asyncio.gather(go("shot3", 3), go("shot1", 1), go("shot2", 2))
        return log

    assert run_virtual(main()) == ["shot1", "shot2", "shot3"]


def test_a_cancelled_waiter_gives_up_its_place_and_a_granted_one_its_slot() -> None:
    async def main() -> tuple[list[str], int]:
        queue, log = SlotQueue(), []
        one = MODEL.model_copy(update={"concurrency": 1})
        first = asyncio.ensure_future(hold(queue, "first", key(1), 10, [], one))
        gone = asyncio.ensure_future(hold(queue, "gone", key(2), 10, log, one))
        await asyncio.sleep(1)
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        await first
        await hold(queue, "next", key(3), 1, log, one)
        return log, queue._models["m"].busy

    log, busy = run_virtual(main())
    assert log == ["next@10"] and busy == 0


def test_priority_slots_key_the_engine_node() -> None:
    seen: list[str] = []

    def k(node: JobNode) -> Key:
        seen.append(node.id)
        return key(1)

    async def main() -> None:
        slots = PrioritySlots(SlotQueue(), k)
        async with slots.slot(MODEL, JobNode(id="s1/generate/t1", shot_id="s1", step="generate")):
            pass

    run_virtual(main())
    assert seen == ["s1/generate/t1"]
