"""Against a real ComfyUI, only when ``SHOTRELAY_COMFYUI_URL`` points at one (skipped
otherwise): the server answers as the adapter reads it, and, where SDXL base is installed, a
keyframe goes through the whole protocol (upload-free text-to-image, the smallest job)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest
from PIL import Image

from shotrelay.providers.base import JobState
from shotrelay.providers.comfyui import ComfyUIProvider, inspect_server
from shotrelay.providers.comfyui.workflows import SHIPPED, find_workflow
from shotrelay.providers.credentials import Credentials

from .conftest import request_for

LIVE = (os.environ.get("SHOTRELAY_COMFYUI_URL") or "").rstrip("/")
pytestmark = pytest.mark.skipif(not LIVE, reason="set SHOTRELAY_COMFYUI_URL to a real ComfyUI")


def test_a_real_server_answers_system_stats_and_object_info() -> None:
    report = inspect_server(LIVE, [SHIPPED])
    assert report.ok, report.error
    assert report.devices, "system_stats lists no device"
    assert {f.name for f in report.workflows} == {"ltxv-t2v", "sdxl-keyframe", "wan2.2-i2v"}


def test_a_real_server_renders_an_sdxl_keyframe(tmp_path: Path) -> None:
    info = httpx.get(f"{LIVE}/object_info/CheckpointLoaderSimple", timeout=30).json()
    choices = info["CheckpointLoaderSimple"]["input"]["required"]["ckpt_name"][0]
    wanted = find_workflow("sdxl-keyframe", [SHIPPED]).graph["1"]["inputs"]["ckpt_name"]
    if wanted not in choices:
        pytest.skip(f"{wanted} is not installed on {LIVE}")
    provider = ComfyUIProvider(base_url=LIVE, credentials=Credentials(env={}))
    request = request_for(
        "comfyui-sdxl-keyframe",
        job_id=f"live-{os.getpid()}",
        params={"width": 768, "height": 512},
    )

    async def scenario() -> Path:
        handle = await provider.submit(request)
        for _ in range(3600):
            status = await provider.poll(handle)
            if status.state in (JobState.SUCCEEDED, JobState.FAILED):
                break
            await asyncio.sleep(1)
        assert status.state is JobState.SUCCEEDED, status.message
        return (await provider.fetch(handle, request, tmp_path)).path

    path = asyncio.run(scenario())
    assert Image.open(path).size == (768, 512)
