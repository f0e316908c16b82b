"""Veo: our predictLongRunning body equals what google-genai's request converter builds for the
same inputs (reference images as "ASSET", last frame, parameters).

google-genai 3.3.0 builds video requests only in Vertex mode (``generate_videos`` refuses the
Gemini Developer API, and only ``_GenerateVideosParameters_to_vertex`` exists); the
``instances``/``parameters`` body of ``predictLongRunning`` is the same on both paths, so the
converter is driven directly and the Gemini API ids are checked separately."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.providers.veo import VeoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import SECRET, make_request, run
from .fakeserver import FakeServer, Reply

genai = pytest.importorskip("google.genai", reason="pip install -e '.[sdk-tests]'")
from google.genai.models import _GenerateVideosParameters_to_vertex  # noqa: E402


def test_catalog_veo_rows_use_gemini_api_ids() -> None:
    rows = [m for m in load_catalog().models if m.provider == "veo" and m.status != "retired"]
    assert rows
    for row in rows:
        assert row.api_model.endswith("-preview"), f"{row.id}: {row.api_model} is a Vertex id"


def test_veo_body_equals_the_sdk_converter(server: FakeServer, png: Path) -> None:
    model = "veo-3.1-generate-preview"
    path = f"/v1beta/models/{model}:predictLongRunning"
    server.on("POST", path, Reply(json={"name": "operations/op1"}))
    inputs = {"first_frame": png, "last_frame": png, "reference_0": png}
    req = make_request("veo", model, Task.IMAGE_TO_VIDEO, inputs=inputs, clip_seconds=8,
                       resolution="720p", negative="blur")  # fmt: skip
    run(VeoProvider(base_url=server.url, api_key=SECRET).submit(req))
    ours = json.loads(server.requests[-1].body)
    server.requests.clear()

    types = genai.types
    image = types.Image(image_bytes=png.read_bytes(), mime_type="image/png")
    config = types.GenerateVideosConfig(
        number_of_videos=1,
        aspect_ratio="16:9",
        resolution="720p",
        duration_seconds=8,
        negative_prompt="blur",
        last_frame=image,
        reference_images=[types.VideoGenerationReferenceImage(image=image, reference_type="ASSET")],
    )
    source = types.GenerateVideosSource(prompt=req.prompt, image=image)
    sdk = _GenerateVideosParameters_to_vertex(None, {"source": source, "config": config})
    assert ours == sdk
