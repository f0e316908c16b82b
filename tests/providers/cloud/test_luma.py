"""Luma adapter: keyframes, states, failure reasons, listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.errors import Rejected, RemoteFailure
from shotrelay.providers.base import JobState
from shotrelay.providers.luma import LumaProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply


def luma(server: FakeServer) -> LumaProvider:
    return LumaProvider(base_url=server.url, api_key=SECRET)


def test_keyframes_states_and_download(server: FakeServer, png: Path, tmp_path: Path) -> None:
    server.on(
        "POST", "/generations/video", Reply(status=201, json={"id": "g-1", "state": "queued"})
    )
    server.on(
        "GET",
        "/generations/g-1",
        Reply(json={"id": "g-1", "state": "queued"}),
        Reply(json={"id": "g-1", "state": "dreaming"}),
        Reply(
            json={"id": "g-1", "state": "completed", "assets": {"video": server.url + "/a/v.mp4"}}
        ),
    )
    server.on("GET", "/a/v.mp4", Reply(body=MP4, content_type="video/mp4"))
    lu = luma(server)
    req = make_request(
        "luma",
        "ray-2",
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png},
        seed=5,
        resolution="720p",
        clip_seconds=9,
    )

    handle = run(lu.submit(req))
    states = [run(lu.poll(handle)).state for _ in range(3)]
    result = run(lu.fetch(handle, req, tmp_path))

    sent = server.received("POST", "/generations/video")[0]
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    body = sent.json()
    assert body["model"] == "ray-2" and body["prompt"].startswith("a red kite")
    assert body["duration"] == "9s" and body["resolution"] == "720p"
    assert body["aspect_ratio"] == "16:9"
    assert body["keyframes"]["frame0"]["type"] == "image"
    assert body["keyframes"]["frame1"]["url"].startswith("data:image/png;base64,")
    assert "seed" not in body
    assert states == [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED]
    assert result.path.read_bytes() == MP4


def test_moderation_failure_reason_raises_rejected(server: FakeServer) -> None:
    server.on("POST", "/generations/video", Reply(json={"id": "g-2"}))
    server.on(
        "GET",
        "/generations/g-2",
        Reply(json={"id": "g-2", "state": "failed", "failure_reason": "Prompt failed moderation"}),
    )
    lu = luma(server)
    handle = run(lu.submit(make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)))
    with pytest.raises(Rejected, match="moderation"):
        run(lu.poll(handle))


def test_other_failure_reason_raises_remote_failure(server: FakeServer) -> None:
    server.on("POST", "/generations/video", Reply(json={"id": "g-3"}))
    server.on(
        "GET",
        "/generations/g-3",
        Reply(json={"id": "g-3", "state": "failed", "failure_reason": "internal error"}),
    )
    lu = luma(server)
    handle = run(lu.submit(make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)))
    with pytest.raises(RemoteFailure, match="internal error"):
        run(lu.poll(handle))


def test_find_adopts_the_listed_generation_with_the_same_request(server: FakeServer) -> None:
    req = make_request("luma", "ray-flash-2", Task.TEXT_TO_VIDEO)
    echoed = {"model": "ray-flash-2", "prompt": req.prompt, "duration": "5s"}
    server.on(
        "GET",
        "/generations",
        Reply(
            json={
                "generations": [
                    {
                        "id": "other",
                        "state": "completed",
                        "request": {**echoed, "prompt": "something else"},
                    },
                    {"id": "mine", "state": "dreaming", "request": echoed},
                ]
            }
        ),
    )
    handle = run(luma(server).find(req))
    assert handle is not None and handle.remote_id == "mine"
    assert server.received("GET", "/generations")[0].query["limit"] == ["100"]


def test_find_returns_none_when_absent(server: FakeServer) -> None:
    server.on("GET", "/generations", Reply(json={"generations": []}))
    assert run(luma(server).find(make_request("luma", "ray-2", Task.TEXT_TO_VIDEO))) is None


def test_photon_image_uses_image_endpoint_and_image_asset(
    server: FakeServer, png: Path, tmp_path: Path
) -> None:
    server.on("POST", "/generations/image", Reply(json={"id": "p-1"}))
    server.on(
        "GET",
        "/generations/p-1",
        Reply(
            json={"id": "p-1", "state": "completed", "assets": {"image": server.url + "/a/i.jpg"}}
        ),
    )
    server.on("GET", "/a/i.jpg", Reply(body=b"\xff\xd8\xff fake jpeg", content_type="image/jpeg"))
    lu = luma(server)
    req = make_request("luma", "photon-1", Task.TEXT_TO_IMAGE, inputs={"reference_0": png})
    handle = run(lu.submit(req))
    result = run(lu.fetch(handle, req, tmp_path))
    body = server.received("POST", "/generations/image")[0].json()
    assert body["image_ref"][0]["url"].startswith("data:image/png")
    assert "duration" not in body and "keyframes" not in body
    assert result.media_type == "image/jpeg"
