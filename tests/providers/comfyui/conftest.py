"""A loopback ComfyUI per test and a provider pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from shotrelay.catalog.loader import load_catalog
from shotrelay.providers.base import JobRequest
from shotrelay.providers.comfyui import ComfyUIProvider
from shotrelay.providers.credentials import Credentials
from shotrelay.spec.vocabulary import Stage, Task

from .fakecomfy import FakeComfy

TASKS = {
    "comfyui-wan2.2-i2v": Task.IMAGE_TO_VIDEO,
    "comfyui-ltxv-t2v": Task.TEXT_TO_VIDEO,
    "comfyui-sdxl-keyframe": Task.TEXT_TO_IMAGE,
}


@pytest.fixture
def comfy() -> Iterator[FakeComfy]:
    server = FakeComfy().start()
    yield server
    server.stop()


@pytest.fixture
def provider(comfy: FakeComfy) -> ComfyUIProvider:
    return ComfyUIProvider(base_url=comfy.url, credentials=Credentials(env={}))


@pytest.fixture
def frame(tmp_path: Path) -> Path:
    path = tmp_path / "keyframe.png"
    Image.new("RGB", (64, 36), (200, 40, 40)).save(path)
    return path


def request_for(model_id: str, job_id: str = "job-a", **over: Any) -> JobRequest:
    """A request as the relay builds one for a catalog row."""
    fields: dict[str, Any] = {
        "job_id": job_id,
        "shot_id": "s1",
        "stage": Stage.KEYFRAME if TASKS[model_id] is Task.TEXT_TO_IMAGE else Stage.GENERATE,
        "task": TASKS[model_id],
        "model": load_catalog(use_env=False).get(model_id),
        "prompt": "a red kite over a grey sea",
        "params": {"width": 1280, "height": 720, "fps": 24, "clip_seconds": 3.0},
    }
    fields.update(over)
    return JobRequest(**fields)
