"""The fault server speaks each provider's protocol as the official SDKs type it: its status and
listing answers validate against the SDKs' own models (lumaai, openai, runwayml, replicate,
google-genai), so the matrix does not only test our adapters against dicts we wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from google.genai import types as genai
from google.genai._operations_converters import _GenerateVideosOperation_from_mldev
from lumaai.types import Generation, GenerationListResponse
from openai.types import Video
from pydantic import TypeAdapter
from replicate.prediction import Prediction
from runwayml.types import TaskRetrieveResponse

from .protocols import PROTOCOLS
from .provider_server import ProviderServer


@pytest.fixture
def serve(media: dict[str, bytes]) -> Iterator[Any]:
    servers: list[ProviderServer] = []

    def make(name: str) -> ProviderServer:
        protocol = PROTOCOLS[name]()
        protocol.media = media[protocol.media_type]
        servers.append(ProviderServer(protocol).start())
        return servers[-1]

    yield make
    for s in servers:
        s.stop()


def call(server: ProviderServer, method: str, path: str, **kw: Any) -> Any:
    response = httpx.request(method, server.url + path, timeout=5, **kw)
    assert response.status_code < 300, response.text
    return response.json()


def test_luma_generation_and_listing_validate_with_the_lumaai_sdk(serve: Any) -> None:
    s = serve("luma")
    made = call(s, "POST", "/generations/video", json={"model": "ray-2", "prompt": "kite"})
    Generation.model_validate(made)
    done = Generation.model_validate(call(s, "GET", f"/generations/{made['id']}"))
    assert done.state == "completed" and done.assets and done.assets.video
    listed = GenerationListResponse.model_validate(call(s, "GET", "/generations"))
    assert [g.id for g in listed.generations] == [made["id"]]


def test_sora_video_and_listing_validate_with_the_openai_sdk(serve: Any) -> None:
    s = serve("sora")
    form = {"prompt": "kite", "model": "sora-2", "seconds": "4", "size": "1280x720"}
    made = call(s, "POST", "/v1/videos", files={k: (None, v) for k, v in form.items()})
    Video.model_validate(made)
    assert Video.model_validate(call(s, "GET", f"/v1/videos/{made['id']}")).status == "completed"
    page = call(s, "GET", "/v1/videos")
    assert page["object"] == "list"
    assert [Video.model_validate(v).prompt for v in page["data"]] == ["kite"]


def test_runway_task_validates_with_the_runwayml_sdk(serve: Any) -> None:
    s = serve("runway")
    s.fail_as("moderation")
    made = call(s, "POST", "/v1/text_to_video", json={"model": "gen4.5", "promptText": "kite"})
    body = call(s, "GET", f"/v1/tasks/{made['id']}")
    task: Any = TypeAdapter(TaskRetrieveResponse).validate_python(body)
    assert task.status == "FAILED"
    ok = call(s, "POST", "/v1/text_to_video", json={"model": "gen4.5", "promptText": "kite"})
    body = call(s, "GET", f"/v1/tasks/{ok['id']}")
    assert TypeAdapter(TaskRetrieveResponse).validate_python(body).status == "SUCCEEDED"


def test_replicate_prediction_and_listing_validate_with_the_replicate_sdk(serve: Any) -> None:
    s = serve("replicate")
    made = call(s, "POST", "/v1/models/minimax/video-01/predictions", json={"input": {}})
    Prediction.parse_obj(made)  # the SDK's models are pydantic v1
    for item in call(s, "GET", "/v1/predictions")["results"]:
        assert Prediction.parse_obj(item).status == "succeeded"


def test_veo_operation_validates_with_the_genai_sdk(serve: Any) -> None:
    s = serve("veo")
    made = call(
        s,
        "POST",
        "/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning",
        json={"instances": [{"prompt": "kite"}]},
    )
    op = call(s, "GET", f"/v1beta/{made['name']}")
    parsed = genai.GenerateVideosOperation.model_validate(
        _GenerateVideosOperation_from_mldev(op)  # how the SDK reads a Gemini API operation
    )
    assert parsed.done and parsed.response and parsed.response.generated_videos
    video = parsed.response.generated_videos[0].video
    assert video is not None and video.uri and video.uri.endswith(":download?alt=media")
