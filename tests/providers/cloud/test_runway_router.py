"""Runway's Model Router: the router config and ``generate.video`` requests are what the
runwayml SDK sends, the body validates against the SDK's request type, and the model the
router chose is kept in the handle (journalled) and the result."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from shotrelay.errors import TransientError
from shotrelay.providers.http import data_uri
from shotrelay.providers.runway import RunwayProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply
from .schemas.sdk_types import typed_dict_schema
from .test_sdk_equivalence import SKIP, essential

SLUG = "shotrelay-video-50c"  # the row's $0.10/s x 5 s = $0.50 = 50 credits
ROUTED = {
    "id": "t9",
    "routing": {
        "configId": SLUG, "model": "gen4.5", "provider": "runway",
        "estimatedCost": {"credits": 48}, "resolvedInput": {"duration": 5, "ratio": "1280:720",
        "resolution": "720p"}, "resolvedSettings": {"optimizeFor": "quality", "priceCeiling": 50},
    },
}  # fmt: skip
ROUTER = {"id": "r1", "slug": SLUG, "name": "x", "createdAt": "2026-12-02T00:00:00Z",
          "settings": {"schemaVersion": 1}}  # fmt: skip


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _script(server: FakeServer, listed: list[dict[str, object]]) -> None:
    server.on("GET", "/v1/routers", Reply(json={"data": listed, "nextCursor": None}))
    server.on("POST", "/v1/routers", Reply(json=ROUTER))
    server.on("POST", "/v1/generate/video", Reply(json=ROUTED))


def test_router_requests_match_the_sdk(server: FakeServer, png: Path, tmp_path: Path) -> None:
    runwayml = pytest.importorskip("runwayml", reason=SKIP)
    client = runwayml.RunwayML(api_key=SECRET, base_url=server.url, max_retries=0)
    _script(server, [])
    done = {"id": "t9", "status": "SUCCEEDED", "output": [server.url + "/o.mp4"],
            "cost": {"credits": 47}}  # fmt: skip
    server.on("GET", "/v1/tasks/t9", Reply(json=done))
    server.on("GET", "/o.mp4", Reply(body=MP4, content_type="video/mp4"))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET)
    req = make_request("runway", "router", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png})

    handle = run(runway.submit(req))
    ours = [essential(r) for r in server.requests]
    server.requests.clear()
    client.routers.list(limit=100)
    client.routers.create(
        slug=SLUG,
        name="shotrelay video, at most 50 credits",
        settings={"max_credits_per_generation": {"video": 50}, "optimize_for": "quality"},
    )
    client.generate.video.create(
        config_id=SLUG,
        input={"prompt_text": req.prompt, "aspect_ratio": "16:9", "duration": 5,
               "reference_images": [{"role": "first", "uri": data_uri(png)}]},
    )  # fmt: skip
    assert ours == [essential(r) for r in server.requests]

    body = server.requests[-1].json()
    params = pytest.importorskip("runwayml.types.generate.video_create_params")
    jsonschema.validate(body, typed_dict_schema(params.VideoCreateParams))
    assert handle.data["routed_model"] == "gen4.5" and handle.data["estimated_credits"] == 48
    assert handle.data["estimated_usd"] == pytest.approx(0.48)

    result = run(runway.fetch(handle, req, tmp_path))
    assert result.metadata["routed_model"] == "gen4.5"
    assert result.cost_usd == pytest.approx(0.47)


def test_an_existing_router_is_reused_and_looked_up_once(server: FakeServer) -> None:
    _script(server, [{"slug": "someone-else"}, {"slug": SLUG}])
    runway = RunwayProvider(base_url=server.url, api_key=SECRET)
    req = make_request("runway", "router", Task.TEXT_TO_VIDEO)
    run(runway.submit(req))
    run(runway.submit(req))
    assert server.received("POST", "/v1/routers") == []
    assert len(server.received("GET", "/v1/routers")) == 1
    assert len(server.received("POST", "/v1/generate/video")) == 2


def test_the_cap_follows_the_clip_length(server: FakeServer) -> None:
    _script(server, [])
    runway = RunwayProvider(base_url=server.url, api_key=SECRET)
    run(runway.submit(make_request("runway", "router", Task.TEXT_TO_VIDEO, clip_seconds=8)))
    (created,) = server.received("POST", "/v1/routers")
    assert created.json()["settings"]["maxCreditsPerGeneration"] == {"video": 80}
    (sent,) = server.received("POST", "/v1/generate/video")
    assert sent.json()["configId"] == "shotrelay-video-80c"
    assert sent.json()["input"]["duration"] == 8


def test_a_failed_router_lookup_submits_nothing(server: FakeServer) -> None:
    server.on("GET", "/v1/routers", Reply(status=503, json={"error": "down"}))
    server.on("POST", "/v1/generate/video", Reply(json=ROUTED))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET)
    with pytest.raises(TransientError, match="503"):
        run(runway.submit(make_request("runway", "router", Task.TEXT_TO_VIDEO)))
    assert server.received("POST", "/v1/generate/video") == []
