"""A three-provider project (Runway hero, Luma b-roll, sync.so lip sync) run through the real
engine against loopback servers that play each provider's protocol.

Providers come from the real entry points, configured only through the environment (base
URL overrides and fake keys), as a user would configure them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shotrelay.engine.events import EventCallback
from shotrelay.media import write_video
from shotrelay.relay import EngineHooks, RunResult, run_async

from .fakeserver import FakeServer, Reply

#: Distinctive fake keys: any of them found in an output is a leak.
KEYS = {
    "RUNWAYML_API_SECRET": "key_RUNWAY-leakcheck-4e1d0b",
    "LUMAAI_API_KEY": "luma-LEAKCHECK-9a7c55",
    "SYNC_API_KEY": "sk-SYNC-leakcheck-c3f2aa",
}
#: Other providers' keys are removed so the route cannot drift to them.
OTHER_KEYS = (
    "OPENAI_API_KEY", "FAL_KEY", "REPLICATE_API_TOKEN", "GEMINI_API_KEY", "ELEVENLABS_API_KEY",
    "ANTHROPIC_API_KEY",
)  # fmt: skip

PROJECT = """\
name: mixed
brief: A courier crosses a rooftop at dawn and delivers a line to camera.
format: {aspect: "16:9", resolution: 360p, fps: 12}
style:
  look: cinematic, anamorphic flares
  palette: ["#ffb347", "#1f3a93"]
characters:
  - name: Mara
    description: courier in her twenties, short dark hair
    wardrobe: orange windbreaker
    references: [mara.png]
shots:
  - id: hero
    duration: 2
    role: hero
    framing: wide
    subject: Mara
    action: vaults a low wall on the rooftop
    setting: a city rooftop at dawn
    characters: [Mara]
    models: {keyframe: runway-gen4-image, generate: runway-gen4-turbo}
  - id: broll
    duration: 2
    role: b-roll
    subject: the skyline behind Mara
    setting: a city rooftop at dawn
    continues_previous: true
    models: {generate: luma-ray-2}
  - id: talk
    duration: 2
    role: dialogue
    framing: medium-close
    subject: Mara
    setting: a city rooftop at dawn
    characters: [Mara]
    dialogue:
      - {speaker: Mara, line: "Package for the roof."}
    models: {keyframe: local-previs, generate: luma-ray-2, tts: local-tts, lipsync: sync-lipsync-2}
"""


@dataclass
class Servers:
    """One loopback server per provider."""

    runway: FakeServer
    luma: FakeServer
    sync: FakeServer

    def all(self) -> list[FakeServer]:
        return [self.runway, self.luma, self.sync]


def tiny_clip(path: Path, seconds: float = 2.0, fps: int = 12) -> bytes:
    """A 320x180 clip whose colour ramps, so first and last frames differ."""
    frames = []
    for i in range(round(seconds * fps)):
        frame = np.zeros((180, 320, 3), np.uint8)
        frame[:, :, 0] = 40 + 8 * i
        frame[:, :, 2] = 200 - 6 * i
        frames.append(frame)
    return write_video(path, frames, fps=fps).read_bytes()


def tiny_png(path: Path, colour: tuple[int, int, int]) -> bytes:
    Image.new("RGB", (320, 180), colour).save(path)
    return path.read_bytes()


def script(servers: Servers, media: Path) -> None:
    """Each server answers its provider's protocol and serves the outputs."""
    clip = tiny_clip(media / "out.mp4", seconds=6.0, fps=4)  # 24 frames, >= the 5 s asked
    still = tiny_png(media / "key.png", (220, 120, 40))
    rw = servers.runway
    rw.on("POST", "/v1/text_to_image", Reply(json={"id": "img-1"}))
    rw.on("POST", "/v1/image_to_video", Reply(json={"id": "vid-1"}))
    for task, out in (("img-1", "/out/key.png"), ("vid-1", "/out/clip.mp4")):
        rw.on(
            "GET",
            f"/v1/tasks/{task}",
            Reply(json={"id": task, "status": "RUNNING", "progress": 0.5}),
            Reply(json={"id": task, "status": "SUCCEEDED", "output": [rw.url + out]}),
        )
    rw.on("GET", "/out/key.png", Reply(body=still, content_type="image/png"))
    rw.on("GET", "/out/clip.mp4", Reply(body=clip, content_type="video/mp4"))
    lu = servers.luma
    lu.on("POST", "/generations/video", Reply(status=201, json={"id": "gen-1", "state": "queued"}))
    lu.on(
        "GET",
        "/generations/gen-1",
        Reply(json={"id": "gen-1", "state": "completed", "assets": {"video": lu.url + "/v.mp4"}}),
    )
    lu.on("GET", "/v.mp4", Reply(body=clip, content_type="video/mp4"))
    sy = servers.sync
    sy.on("POST", "/v2/generate", Reply(status=201, json={"id": "sync-1", "status": "PENDING"}))
    sy.on(
        "GET",
        "/v2/generate/sync-1",
        Reply(json={"id": "sync-1", "status": "COMPLETED", "outputUrl": sy.url + "/ls.mp4"}),
    )
    sy.on("GET", "/ls.mp4", Reply(body=clip, content_type="video/mp4"))


def write_project(folder: Path) -> Path:
    """The project file and its reference image."""
    folder.mkdir(parents=True, exist_ok=True)
    tiny_png(folder / "mara.png", (30, 160, 90))
    path = folder / "project.yaml"
    path.write_text(PROJECT)
    return path


def configure(monkeypatch: pytest.MonkeyPatch, servers: Servers) -> None:
    """Keys and base URLs in the environment, as a user would set them."""
    for name in OTHER_KEYS:
        monkeypatch.delenv(name, raising=False)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SHOTRELAY_RUNWAY_BASE_URL", servers.runway.url)
    monkeypatch.setenv("SHOTRELAY_LUMA_BASE_URL", servers.luma.url)
    monkeypatch.setenv("SHOTRELAY_SYNC_BASE_URL", servers.sync.url)


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)  # yield, or a waiting loop would starve the HTTP calls


def run_project(project: Path, on_event: EventCallback | None = None) -> RunResult:
    """Run it through the real engine with the auto-approved gate; no real sleeping."""
    hooks = EngineHooks(sleep=_no_wait)
    return asyncio.run(run_async(project, auto_approve=True, on_event=on_event, hooks=hooks))
