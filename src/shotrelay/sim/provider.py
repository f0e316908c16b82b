"""Simulated providers: catalog latencies with spread, seeded failures, enforced concurrency.

Every random draw is a pure function of (seed, job id, attempt), so the same job behaves the
same whichever scheduler runs it and in whatever order: baselines are compared on equal terms.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from shotrelay.catalog.calls import call_cost, call_seconds
from shotrelay.errors import RateLimited, Rejected
from shotrelay.providers.base import Handle, JobRequest, JobState, JobStatus, ProviderResult

__all__ = ["CallRecord", "SimProvider", "take_quality"]

#: Standard deviation of a take's quality around its model's (what more takes can win).
TAKE_SPREAD = 0.05


@dataclass(frozen=True)
class CallRecord:
    """One simulated call: which model, when it ran, and whether it succeeded."""

    job_id: str
    model: str
    start: float
    end: float
    ok: bool


@dataclass
class _Run:
    request: JobRequest
    start: float
    end: float
    fail: bool
    quality: float
    closed: bool = False


@dataclass
class SimProvider:
    """A provider whose jobs take catalog time on the running loop's (virtual) clock."""

    name: str
    seed: int = 0
    transient_rate: float = 0.05
    rejected_rate: float = 0.0
    calls: list[CallRecord] = field(default_factory=list)
    _runs: dict[str, _Run] = field(default_factory=dict)
    _attempts: dict[str, int] = field(default_factory=dict)
    _in_flight: dict[str, int] = field(default_factory=dict)

    def available(self) -> tuple[bool, str]:
        """Always available."""
        return True, ""

    async def submit(self, request: JobRequest) -> Handle:
        """Accept the job, or refuse it (over concurrency, or a seeded rejection)."""
        model = request.model
        if self._in_flight.get(model.id, 0) >= model.concurrency:
            raise RateLimited(
                f"{model.id}: {model.concurrency} jobs already in flight",
                provider=self.name,
                model=model.id,
            )
        attempt = self._attempts.get(request.job_id, 0) + 1
        self._attempts[request.job_id] = attempt
        rng = random.Random(_seed(self.seed, request.job_id, attempt))
        if rng.random() < self.rejected_rate:
            raise Rejected("simulated content rejection", provider=self.name, model=model.id)
        mean = call_seconds(model, request.params)
        seconds = _lognormal(rng, mean, model.latency.spread)
        fail = rng.random() < self.transient_rate
        if fail:
            seconds *= rng.uniform(0.1, 1.0)  # a job fails somewhere along the way
        now = asyncio.get_running_loop().time()
        remote = f"{request.job_id[:16]}-{attempt}"
        self._runs[remote] = _Run(
            request, now, now + seconds, fail, take_quality(self.seed, request)
        )
        self._in_flight[model.id] = self._in_flight.get(model.id, 0) + 1
        return Handle(provider=self.name, remote_id=remote)

    async def poll(self, handle: Handle) -> JobStatus:
        """Wait (virtually) until the job ends, then report how it ended."""
        run = self._runs[handle.remote_id]
        loop = asyncio.get_running_loop()
        if loop.time() < run.end:
            await asyncio.sleep(run.end - loop.time())
        if not run.closed:
            run.closed = True
            model = run.request.model.id
            self._in_flight[model] -= 1
            self.calls.append(
                CallRecord(run.request.job_id, model, run.start, run.end, not run.fail)
            )
        if run.fail:
            return JobStatus(state=JobState.FAILED, message="simulated failure")
        return JobStatus(state=JobState.SUCCEEDED, progress=1.0)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Write a tiny file naming the job and the take's drawn quality."""
        run = self._runs[handle.remote_id]
        path = dest / "out.json"
        path.write_text(json.dumps({"job": request.job_id, "quality": run.quality}))
        cost = call_cost(request.model, request.params).usd
        return ProviderResult(path=path, media_type="application/json", cost_usd=cost)

    async def cancel(self, handle: Handle) -> None:
        """Nothing to cancel."""
        return None

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """The simulator never loses a job."""
        return None


def take_quality(seed: int, request: JobRequest) -> float:
    """A take's quality offset (mean 0): the same job always draws the same offset."""
    rng = random.Random(_seed(seed, request.job_id, 0))
    return rng.gauss(0.0, TAKE_SPREAD)


def _seed(seed: int, job_id: str, attempt: int) -> int:
    digest = hashlib.sha256(f"{seed}:{job_id}:{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _lognormal(rng: random.Random, mean: float, cv: float) -> float:
    if mean <= 0:
        return 0.0
    sigma2 = math.log(1.0 + cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))
