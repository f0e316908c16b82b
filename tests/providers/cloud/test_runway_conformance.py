"""Every Runway body validates against the schema of the official SDK's request type for its
model (runwayml 5.24.0, Stainless types generated from Runway's OpenAPI spec)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import InvalidInput
from shotrelay.providers.runway import RunwayProvider
from shotrelay.spec.vocabulary import Stage, Task

from .conftest import SECRET, make_request
from .schemas.sdk_types import typed_dict_schema, variant_for

types = pytest.importorskip("runwayml.types", reason="pip install -e '.[sdk-tests]'")

_STAGE = {task: stage for stage in Stage for task in stage.tasks}
_PARAMS: dict[Task, Any] = {
    Task.IMAGE_TO_VIDEO: types.ImageToVideoCreateParams,
    Task.TEXT_TO_VIDEO: types.TextToVideoCreateParams,
    Task.VIDEO_TO_VIDEO: types.VideoToVideoCreateParams,
    Task.TEXT_TO_IMAGE: types.TextToImageCreateParams,
    Task.UPSCALE: types.VideoUpscaleCreateParams,
    Task.INTERPOLATE: types.VideoUpscaleCreateParams,
}
ROWS = [m for m in load_catalog().models if m.provider == "runway" and m.status != "retired"]
CASES = [(m, t) for m in ROWS for t in m.tasks]
ASPECTS = [(1280, 720), (720, 1280), (1024, 768), (768, 1024), (1000, 1000), (2100, 900)]


def schema(model: str, task: Task) -> dict[str, Any]:
    if model == "router":  # the Model Router row: generate.video's request type
        return typed_dict_schema(types.generate.video_create_params.VideoCreateParams)
    return variant_for(_PARAMS[task], model)


def _request(row: ModelProfile, task: Task, inputs: dict[str, Path], **params: Any) -> Any:
    req = make_request("runway", row.endpoint(task), task, inputs=inputs, seed=5, **params)
    return req.model_copy(update={"model": row, "stage": _STAGE[task]})


@pytest.mark.parametrize(("row", "task"), CASES, ids=[f"{m.id}-{t.value}" for m, t in CASES])
def test_runway_body_matches_the_sdk_type_for_every_aspect(
    row: ModelProfile, task: Task, png: Path, tmp_path: Path
) -> None:
    mp4 = tmp_path / "c.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    inputs: dict[str, Path] = {}
    if task is Task.IMAGE_TO_VIDEO:
        inputs = {"first_frame": png, **({"last_frame": png} if row.inputs.last_frame else {})}
    elif task in (Task.VIDEO_TO_VIDEO, Task.UPSCALE, Task.INTERPOLATE):
        inputs = {"video": mp4, **({"reference_0": png} if row.inputs.reference_images else {})}
    elif task is Task.TEXT_TO_IMAGE and row.inputs.reference_images:
        inputs = {"reference_0": png}
    runway = RunwayProvider(api_key=SECRET)
    for w, h in ASPECTS:
        seconds = row.clip_length(5.0) or 5.0
        body = runway.request_body(
            _request(row, task, inputs, width=w, height=h, clip_seconds=seconds, fps=24, factor=2)
        )
        jsonschema.validate(body, schema(row.endpoint(task), task))


def test_gen45_text_to_video_4_3_shot_sends_a_ratio_it_takes() -> None:
    req = make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO, width=1024, height=768)
    body = RunwayProvider(api_key=SECRET).request_body(req)
    assert body["ratio"] in ("1280:720", "720:1280")
    jsonschema.validate(body, schema("gen4.5", Task.TEXT_TO_VIDEO))


def test_aleph2_reference_goes_in_keyframes(png: Path, tmp_path: Path) -> None:
    mp4 = tmp_path / "c.mp4"
    mp4.write_bytes(b"\x00" * 32)
    req = make_request("runway", "aleph2", Task.VIDEO_TO_VIDEO,
                       inputs={"video": mp4, "reference_0": png})  # fmt: skip
    body = RunwayProvider(api_key=SECRET).request_body(req)
    assert "references" not in body and body["keyframes"][0]["at"] == 0.0
    jsonschema.validate(body, schema("aleph2", Task.VIDEO_TO_VIDEO))


def test_last_frame_only_where_the_model_takes_position_last(png: Path) -> None:
    frames = {"first_frame": png, "last_frame": png}
    runway = RunwayProvider(api_key=SECRET)
    with pytest.raises(InvalidInput, match="first frame only"):
        runway.request_body(make_request("runway", "gen4.5", Task.IMAGE_TO_VIDEO, inputs=frames))
    body = runway.request_body(make_request("runway", "veo3.1", Task.IMAGE_TO_VIDEO,
                                            inputs=frames, clip_seconds=8))  # fmt: skip
    jsonschema.validate(body, schema("veo3.1", Task.IMAGE_TO_VIDEO))


def test_enhance_frame_rate_is_sendable(tmp_path: Path) -> None:
    mp4 = tmp_path / "c.mp4"
    mp4.write_bytes(b"\x00" * 32)
    req = make_request("runway", "enhance_frame_rate", Task.INTERPOLATE,
                       inputs={"video": mp4}, fps=24, factor=2)  # fmt: skip
    runway = RunwayProvider(api_key=SECRET)
    assert runway.build_submit(req).url == "/v1/video_upscale"
    body = runway.request_body(req)
    assert body["targetFramerate"] == "48"
    jsonschema.validate(body, schema("enhance_frame_rate", Task.INTERPOLATE))


def test_inline_video_is_capped_at_5_mb(tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\x00" * (5 * 1024 * 1024 + 1))
    req = make_request("runway", "aleph2", Task.VIDEO_TO_VIDEO, inputs={"video": big})
    with pytest.raises(InvalidInput):
        RunwayProvider(api_key=SECRET).request_body(req)


def test_catalog_runway_models_exist_in_the_sdk() -> None:
    for row in ROWS:
        for task in row.tasks:
            schema(row.endpoint(task), task)  # LookupError names a removed model (upscale_v1)
