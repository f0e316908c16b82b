"""Every body the fal adapter builds for a catalog row validates against that endpoint's
published input schema (tests/providers/cloud/schemas/fal/), unknown fields refused."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.catalog.profile import ModelProfile
from shotrelay.providers.base import JobRequest
from shotrelay.providers.fal import FalProvider
from shotrelay.spec.vocabulary import Stage, Task

from .conftest import SECRET, make_request
from .schemas import load_schema, schema_file, strict

_STAGE = {task: stage for stage in Stage for task in stage.tasks}
FAL_ROWS = [m for m in load_catalog().models if m.provider == "fal" and m.status != "retired"]
CASES = [(m, t) for m in FAL_ROWS for t in m.tasks]


def _variants(model: ModelProfile, task: Task, png: Path, mp4: Path) -> list[dict[str, Path]]:
    """The input sets a route may send this row for this task."""
    ins = model.inputs
    if task in (Task.IMAGE_TO_VIDEO,):
        out = [{"first_frame": png}]
        if ins.last_frame:
            out.append({"first_frame": png, "last_frame": png})
        return out
    if task is Task.TEXT_TO_IMAGE:
        return [{"reference_0": png}] if ins.reference_images else [{}]
    if task is Task.LIPSYNC:
        return [{"video": mp4, "audio": mp4}]
    if task in (Task.UPSCALE, Task.INTERPOLATE, Task.VIDEO_TO_VIDEO):
        return [{"video": mp4}]
    return [{}]


def _request(model: ModelProfile, task: Task, inputs: dict[str, Path]) -> JobRequest:
    seconds = model.clip_length(5.0) or 5.0
    req = make_request(
        "fal",
        model.endpoint(task),
        task,
        inputs=inputs,
        seed=7,
        negative="blurry",
        clip_seconds=seconds,
        factor=2,
        scale=2,
    )
    return req.model_copy(update={"model": model, "stage": _STAGE[task]})


@pytest.mark.parametrize(("model", "task"), CASES, ids=[f"{m.id}-{t.value}" for m, t in CASES])
def test_fal_body_matches_published_schema(
    model: ModelProfile, task: Task, png: Path, tmp_path: Path
) -> None:
    endpoint = model.endpoint(task)
    assert schema_file("fal", endpoint).exists(), f"no stored schema for {endpoint}"
    doc = load_schema("fal", endpoint)
    assert doc["source"] and doc["retrieved"]
    mp4 = tmp_path / "clip.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    fal = FalProvider(base_url="http://127.0.0.1:9", api_key=SECRET)
    for inputs in _variants(model, task, png, mp4):
        body = fal.request_body(_request(model, task, inputs))
        jsonschema.validate(body, strict(doc["schema"]))


def test_kling_v3_takes_start_and_end_image_url_and_no_seed(png: Path) -> None:
    req = make_request(
        "fal", "fal-ai/kling-video/v3/pro/image-to-video", Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png}, seed=3,
    )  # fmt: skip
    body = FalProvider(api_key=SECRET).request_body(req)
    assert "start_image_url" in body and "end_image_url" in body
    assert "image_url" not in body and "tail_image_url" not in body and "seed" not in body


def test_kling_v4_sends_middle_keyframes_in_order(png: Path) -> None:
    inputs = {"first_frame": png, "middle_1": png, "middle_0": png, "last_frame": png}
    req = make_request(
        "fal", "fal-ai/kling-video/v4/image-to-video", Task.IMAGE_TO_VIDEO, inputs=inputs
    )
    body = FalProvider(api_key=SECRET).request_body(req)
    assert len(body["middle_image_urls"]) == 2
    doc = load_schema("fal", "fal-ai/kling-video/v4/image-to-video")
    jsonschema.validate(body, strict(doc["schema"]))


def test_topaz_takes_upscale_factor(tmp_path: Path) -> None:
    mp4 = tmp_path / "c.mp4"
    mp4.write_bytes(b"\x00" * 16)
    req = make_request(
        "fal", "fal-ai/topaz/upscale/video", Task.UPSCALE, inputs={"video": mp4}, scale=2
    )
    body = FalProvider(api_key=SECRET).request_body(req)
    assert body.get("upscale_factor") == 2 and "scale" not in body


RESOLUTION_CASES = [
    (m, t)
    for m, t in CASES
    if m.resolutions and "resolution" in str(load_schema("fal", m.endpoint(t))["schema"])
]


@pytest.mark.parametrize(
    ("model", "task"), RESOLUTION_CASES, ids=[f"{m.id}-{t.value}" for m, t in RESOLUTION_CASES]
)
def test_fal_sends_every_resolution_the_row_promises(
    model: ModelProfile, task: Task, png: Path, tmp_path: Path
) -> None:
    """A row that lists 1080p must be able to ask for it: the endpoint's own field and value."""
    doc = load_schema("fal", model.endpoint(task))
    fal = FalProvider(base_url="http://127.0.0.1:9", api_key=SECRET)
    inputs = _variants(model, task, png, tmp_path / "clip.mp4")[0]
    for resolution in model.resolutions:
        req = _request(model, task, inputs)
        req = req.model_copy(update={"params": req.params.but(resolution=resolution)})
        body = fal.request_body(req)
        assert body.get("resolution") in (resolution, "2160p"), (resolution, body)
        jsonschema.validate(body, strict(doc["schema"]))
