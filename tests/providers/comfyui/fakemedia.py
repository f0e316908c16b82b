"""What the loopback ComfyUI's save nodes write: real pictures and H.264 clips (PyAV)."""

from __future__ import annotations

import io
from typing import Any

import av
import numpy as np
from PIL import Image

__all__ = ["clip_values", "mp4", "png"]


def clip_values(prompt: dict[str, Any]) -> dict[str, int]:
    """Width, height, frames and fps as the workflow asks for them."""
    out = {"width": 512, "height": 288, "length": 17, "fps": 16}
    for node in prompt.values():
        inputs = node["inputs"]
        for key in ("width", "height", "length"):
            if isinstance(inputs.get(key), int | float) and not isinstance(inputs.get(key), bool):
                out[key] = int(inputs[key])
        if node["class_type"] == "CreateVideo" and isinstance(inputs.get("fps"), int | float):
            out["fps"] = round(inputs["fps"])
    return out


def png(width: int, height: int, seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (40 + seed * 30 % 200, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


def mp4(values: dict[str, int], seed: int) -> bytes:
    """A real H.264 clip of the asked frame count and rate, at a quarter of the asked size."""
    width = max(32, values["width"] // 4 // 2 * 2)
    height = max(18, values["height"] // 4 // 2 * 2)
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=values["fps"])
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(values["length"]):
            frame = np.zeros((height, width, 3), np.uint8)
            frame[:, :, 0] = (seed * 40 + i * 3) % 256
            frame[:, :, 1] = 120
            frame[:, :, 2] = (200 - i * 2) % 256
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buf.getvalue()
