"""Fixtures for the fault-injection suite: tiny real media, made once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image

from shotrelay.media import write_video

from .rig import ADAPTERS, Rig


def make_mp3(path: Path, seconds: float = 0.3, rate: int = 44100) -> bytes:
    """A short 440 Hz tone encoded as MP3 with PyAV."""
    with av.open(str(path), "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=rate)
        t = np.arange(int(seconds * rate)) / rate
        samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path.read_bytes()


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """Media type -> the bytes a provider serves: an MP4 clip, a PNG still, an MP3 line."""
    folder = tmp_path_factory.mktemp("media")
    frames = [np.full((90, 160, 3), 30 + 3 * i, np.uint8) for i in range(60)]  # 5 s, as asked
    mp4 = write_video(folder / "clip.mp4", frames, fps=12).read_bytes()
    Image.new("RGB", (64, 36), (200, 60, 40)).save(folder / "still.png")
    yield {
        "video/mp4": mp4,
        "image/png": (folder / "still.png").read_bytes(),
        "audio/mpeg": make_mp3(folder / "line.mp3"),
    }


@pytest.fixture
def make_rig(
    tmp_path: Path, media: dict[str, bytes], request: pytest.FixtureRequest
) -> Iterator[Callable[..., Rig]]:
    """Rigs for one test; each records its server's accepted count for the matrix report."""
    rigs: list[Rig] = []

    def make(adapter: str, **kw: Any) -> Rig:
        rig = Rig(tmp_path / f"rig{len(rigs)}", ADAPTERS[adapter], media, **kw)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        request.node.user_properties.append(("accepted", rig.accepted))
        rig.close()
