"""Simulated providers: catalog latency with spread, seeded failures, enforced concurrency."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from shotrelay.errors import RateLimited, Rejected
from shotrelay.providers.base import JobRequest, JobState, Provider
from shotrelay.sim.clock import run_virtual
from shotrelay.sim.provider import SimProvider
from shotrelay.spec.vocabulary import Stage, Task

from .sim_fakes import GEN


def request(i: int) -> JobRequest:
    return JobRequest(
        job_id=f"job{i}",
        shot_id="s1",
        stage=Stage.GENERATE,
        task=Task.TEXT_TO_VIDEO,
        model=GEN.model_copy(update={"concurrency": 1000}),
        params={"clip_seconds": 4.0},
    )


def durations(seed: int, n: int, fail: float = 0.0) -> list[tuple[float, bool]]:
    async def main() -> list[tuple[float, bool]]:
        p = SimProvider("simco", seed=seed, transient_rate=fail)
        out = []
        for i in range(n):
            h = await p.submit(request(i))
            start = asyncio.get_running_loop().time()
            status = await p.poll(h)
            out.append(
                (asyncio.get_running_loop().time() - start, status.state == JobState.SUCCEEDED)
            )
        return out

    return run_virtual(main())


def test_it_is_a_provider() -> None:
    assert isinstance(SimProvider("simco"), Provider)


def test_latency_follows_the_catalog_mean_and_spread() -> None:
    runs = [d for d, _ in durations(1, 400)]
    mean = sum(runs) / len(runs)
    sd = (sum((d - mean) ** 2 for d in runs) / len(runs)) ** 0.5
    assert mean == pytest.approx(1200, rel=0.05)
    assert sd / mean == pytest.approx(0.3, rel=0.15)


def test_draws_are_a_function_of_seed_and_job() -> None:
    assert durations(3, 20) == durations(3, 20)
    assert durations(3, 20) != durations(4, 20)


def test_failures_come_at_the_seeded_rate() -> None:
    runs = durations(5, 1000, fail=0.05)
    failed = sum(1 for _, ok in runs if not ok)
    assert 30 <= failed <= 70


def test_concurrency_is_enforced_and_rejections_are_drawn() -> None:
    async def main() -> None:
        p = SimProvider("simco")
        one = request(1).model_copy(update={"model": GEN})
        await p.submit(one)
        with pytest.raises(RateLimited):
            await p.submit(request(2).model_copy(update={"model": GEN}))
        refusing = SimProvider("simco", rejected_rate=1.0)
        with pytest.raises(Rejected):
            await refusing.submit(request(3))

    run_virtual(main())


def test_fetch_writes_the_takes_quality_and_the_call_cost(tmp_path: Path) -> None:
    async def main() -> tuple[float | None, str]:
        p = SimProvider("simco", transient_rate=0.0)
        h = await p.submit(request(1))
        await p.poll(h)
        res = await p.fetch(h, request(1), tmp_path)
        return res.cost_usd, res.path.read_text()

    cost, text = run_virtual(main())
    assert cost == 1.0 and '"quality"' in text
