"""Luma bodies validate against the official SDK's request types (lumaai 1.21.0, Stainless
types generated from Luma's OpenAPI spec)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from shotrelay.providers.luma import LumaProvider
from shotrelay.spec.vocabulary import Task

from .conftest import SECRET, make_request
from .schemas.sdk_types import typed_dict_schema

gen = pytest.importorskip("lumaai.types.generations", reason="pip install -e '.[sdk-tests]'")


def test_modify_sends_generation_type_and_matches_the_sdk(png: Path, tmp_path: Path) -> None:
    mp4 = tmp_path / "c.mp4"
    mp4.write_bytes(b"\x00" * 32)
    req = make_request("luma", "ray-2", Task.VIDEO_TO_VIDEO,
                       inputs={"video": mp4, "first_frame": png})  # fmt: skip
    body = LumaProvider(api_key=SECRET).request_body(req)
    assert body["generation_type"] == "modify_video"
    jsonschema.validate(body, typed_dict_schema(gen.video_modify_params.VideoModifyParams))


@pytest.mark.parametrize("frames", [{}, {"first_frame": 1}, {"first_frame": 1, "last_frame": 1}])
def test_video_generation_matches_the_sdk(png: Path, frames: dict[str, int]) -> None:
    inputs = {role: png for role in frames}
    task = Task.IMAGE_TO_VIDEO if inputs else Task.TEXT_TO_VIDEO
    req = make_request("luma", "ray-2", task, inputs=inputs, resolution="720p", clip_seconds=5)
    body = LumaProvider(api_key=SECRET).request_body(req)
    jsonschema.validate(body, typed_dict_schema(gen.video_create_params.VideoCreateParams))
