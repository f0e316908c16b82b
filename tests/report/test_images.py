"""Report images: the middle frame of a clip, streamed when the clip has no duration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from shotrelay.report.images import data_uri, frame_of

FRAMES = 120
WIDTH, HEIGHT = 320, 240


def _raw_h264(path: Path, frames: int = FRAMES, size: tuple[int, int] = (WIDTH, HEIGHT)) -> Path:
    """A raw H.264 stream: no container, so the stream has no duration."""
    width, height = size
    with av.open(str(path), "w", format="h264") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for i in range(frames):
            grey = np.full((height, width, 3), i % 256, np.uint8)
            out.mux(stream.encode(av.VideoFrame.from_ndarray(grey, format="rgb24")))
        out.mux(stream.encode())
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = _raw_h264(tmp_path_factory.mktemp("images") / "nodur.h264")
    with av.open(str(path)) as probe:
        assert not probe.streams.video[0].duration
    return path


def test_a_clip_without_duration_gives_its_middle_frame(clip: Path) -> None:
    frame = frame_of(clip)
    assert frame.shape == (HEIGHT, WIDTH, 3)
    assert abs(float(frame.mean()) - FRAMES // 2) < 4


_PEAK = """
import resource, sys
from pathlib import Path
from shotrelay.report.images import frame_of
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
frame_of(Path(sys.argv[1]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_the_middle_frame_is_found_without_holding_every_frame(tmp_path: Path) -> None:
    # 200 frames of 640x360 RGB are 138 MB decoded; a streamed search holds a few frames.
    long = _raw_h264(tmp_path / "long.h264", frames=200, size=(640, 360))
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(long)], capture_output=True, text=True, check=True
    )
    grown_mb = int(done.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux
    assert grown_mb < 40


def test_an_empty_or_broken_file_gives_no_image(tmp_path: Path) -> None:
    broken = tmp_path / "broken.h264"
    broken.write_bytes(b"\x00\x00\x00\x01garbage")
    assert data_uri(broken) is None
    assert data_uri(tmp_path / "missing.mp4") is None
