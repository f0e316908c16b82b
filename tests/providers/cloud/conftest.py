"""Fixtures for the cloud adapter tests: a loopback server, tiny media, request builders."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image

from shotrelay.catalog.profile import Inputs, Latency, ModelProfile, Pricing, PricingRule
from shotrelay.providers.base import JobRequest
from shotrelay.spec.vocabulary import Stage, Task

from .fakeserver import FakeServer

T = TypeVar("T")

#: A key distinctive enough that a leak into any message or handle is caught.
SECRET = "sk-LEAKCHECK-7f3a9c"

_STAGE = {task: stage for stage in Stage for task in stage.tasks}


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine to completion."""
    return asyncio.run(coro)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "frame.png"
    Image.new("RGB", (8, 6), (200, 40, 40)).save(path)
    return path


def profile(provider: str, api_model: str, task: Task, **inputs: bool) -> ModelProfile:
    return ModelProfile(
        id=f"{provider}-test",
        provider=provider,
        name="test model",
        api_model=api_model,
        tasks=[task],
        inputs=Inputs(**inputs),
        pricing=Pricing(rule=PricingRule.PER_SECOND, usd=0.1),
        latency=Latency(base_s=30),
    )


def make_request(
    provider: str,
    api_model: str,
    task: Task,
    *,
    inputs: dict[str, Path] | None = None,
    seed: int | None = None,
    prompt: str = "a red kite over a grey sea, slow push-in",
    negative: str = "",
    model_inputs: dict[str, bool] | None = None,
    **params: Any,
) -> JobRequest:
    base = {"clip_seconds": 5, "aspect": "16:9", "width": 1280, "height": 720}
    return JobRequest(
        job_id="job123",
        shot_id="s1",
        stage=_STAGE[task],
        task=task,
        model=profile(provider, api_model, task, **(model_inputs or {})),
        prompt=prompt,
        negative_prompt=negative,
        inputs=inputs or {},
        params={**base, **params},
        seed=seed,
    )


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4
