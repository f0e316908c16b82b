"""Replicate and sync.so: field mapping, states, moderation, listing."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.errors import InvalidInput, Rejected
from shotrelay.providers.base import JobState
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply


def test_replicate_official_model_round_trip(server: FakeServer, png: Path, tmp_path: Path) -> None:
    path = "/v1/models/kwaivgi/kling-v2.1/predictions"
    server.on("POST", path, Reply(status=201, json={"id": "p1", "status": "starting"}))
    server.on(
        "GET",
        "/v1/predictions/p1",
        Reply(json={"status": "starting"}),
        Reply(json={"status": "processing"}),
        Reply(json={"status": "succeeded", "output": server.url + "/o.mp4"}),
    )
    server.on("GET", "/o.mp4", Reply(body=MP4, content_type="video/mp4"))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET)
    req = make_request(
        "replicate",
        "kwaivgi/kling-v2.1",
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png},
        seed=9,
        model_inputs={"seed": False},
    )
    handle = run(rep.submit(req))
    states = [run(rep.poll(handle)).state for _ in range(3)]
    result = run(rep.fetch(handle, req, tmp_path))
    sent = server.received("POST", path)[0]
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    body = sent.json()["input"]
    assert body["start_image"].startswith("data:image/png") and body["duration"] == 5
    assert "seed" not in body  # the catalog says this model takes no seed
    assert states == [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED]
    assert result.path.read_bytes() == MP4


def test_replicate_pinned_version_uses_predictions_endpoint(server: FakeServer) -> None:
    server.on("POST", "/v1/predictions", Reply(json={"id": "p2"}))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET)
    run(rep.submit(make_request("replicate", "owner/film:abc123", Task.TEXT_TO_VIDEO)))
    assert server.received("POST", "/v1/predictions")[0].json()["version"] == "abc123"


def test_replicate_nsfw_failure_is_rejected_and_find_matches(server: FakeServer) -> None:
    server.on("POST", "/v1/models/google/veo-3/predictions", Reply(json={"id": "p3"}))
    server.on(
        "GET",
        "/v1/predictions/p3",
        Reply(json={"status": "failed", "error": "NSFW content detected"}),
    )
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET)
    req = make_request("replicate", "google/veo-3", Task.TEXT_TO_VIDEO)
    with pytest.raises(Rejected):
        run(rep.poll(run(rep.submit(req))))
    server.on(
        "GET",
        "/v1/predictions",
        Reply(
            json={
                "results": [
                    {
                        "id": "x",
                        "model": "google/veo-3",
                        "status": "processing",
                        "input": {"prompt": "no"},
                    },
                    {
                        "id": "p4",
                        "model": "google/veo-3",
                        "status": "processing",
                        "input": {"prompt": req.prompt},
                    },
                ]
            }
        ),
    )
    found = run(rep.find(req))
    assert found is not None and found.remote_id == "p4"


def test_sync_so_lipsync_round_trip_and_rejection(server: FakeServer, tmp_path: Path) -> None:
    video, audio = tmp_path / "clip.mp4", tmp_path / "line.wav"
    video.write_bytes(MP4)
    audio.write_bytes(b"RIFF....WAVEfmt ")
    server.on("POST", "/v2/generate", Reply(json={"id": "s1", "status": "PENDING"}))
    server.on(
        "GET",
        "/v2/generate/s1",
        Reply(json={"status": "PROCESSING"}),
        Reply(json={"status": "COMPLETED", "outputUrl": server.url + "/ls.mp4"}),
    )
    server.on("GET", "/ls.mp4", Reply(body=MP4, content_type="video/mp4"))
    sy = SyncSoProvider(base_url=server.url, api_key=SECRET)
    req = make_request("sync", "lipsync-2", Task.LIPSYNC, inputs={"video": video, "audio": audio})
    handle = run(sy.submit(req))
    assert [run(sy.poll(handle)).state for _ in range(2)] == [JobState.RUNNING, JobState.SUCCEEDED]
    assert run(sy.fetch(handle, req, tmp_path / "out")).path.read_bytes() == MP4
    sent = server.received("POST", "/v2/generate")[0]
    assert sent.headers["x-api-key"] == SECRET
    body = sent.json()
    assert body["model"] == "lipsync-2"
    assert [i["type"] for i in body["input"]] == ["video", "audio"]
    assert body["input"][0]["url"].startswith("data:video/mp4;base64,")
    server.on("GET", "/v2/generate/s1", Reply(json={"status": "REJECTED", "error": "face"}))
    with pytest.raises(Rejected):
        run(sy.poll(handle))


def test_sync_so_needs_both_inputs(server: FakeServer) -> None:
    sy = SyncSoProvider(base_url=server.url, api_key=SECRET)
    with pytest.raises(InvalidInput, match="audio"):
        run(sy.submit(make_request("sync", "lipsync-2", Task.LIPSYNC)))
