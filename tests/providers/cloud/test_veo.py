"""Veo on the Gemini API: predictLongRunning, operations polling, safety filter, key handling."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from shotrelay.errors import InvalidInput, Rejected
from shotrelay.providers.base import JobState
from shotrelay.providers.veo import VeoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply

MODEL = "veo-3.1-generate-preview"
SUBMIT = f"/v1beta/models/{MODEL}:predictLongRunning"
OP = "models/veo-3.1-generate-preview/operations/op-1"


def veo(server: FakeServer) -> VeoProvider:
    return VeoProvider(base_url=server.url, api_key=SECRET)


def done(server: FakeServer, uri: str) -> dict[str, object]:
    return {
        "name": OP,
        "done": True,
        "response": {"generateVideoResponse": {"generatedSamples": [{"video": {"uri": uri}}]}},
    }


def test_round_trip_body_shape_no_seed_and_keyed_download(
    server: FakeServer, png: Path, tmp_path: Path
) -> None:
    server.on("POST", SUBMIT, Reply(json={"name": OP}))
    server.on(
        "GET",
        f"/v1beta/{OP}",
        Reply(json={"name": OP}),
        Reply(json=done(server, server.url + "/v1beta/files/f1:download?alt=media")),
    )
    server.on("GET", "/v1beta/files/f1:download", Reply(body=MP4, content_type="video/mp4"))
    v = veo(server)
    req = make_request(
        "veo",
        MODEL,
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png},
        seed=42,
        negative="cartoon",
        clip_seconds=8,
        resolution="1080p",
    )

    handle = run(v.submit(req))
    states = [run(v.poll(handle)).state for _ in range(2)]
    result = run(v.fetch(handle, req, tmp_path))

    sent = server.received("POST", SUBMIT)[0]
    assert sent.headers["x-goog-api-key"] == SECRET
    body = sent.json()
    instance, parameters = body["instances"][0], body["parameters"]
    assert instance["prompt"].startswith("a red kite")
    assert base64.b64decode(instance["image"]["bytesBase64Encoded"]) == png.read_bytes()
    assert instance["image"]["mimeType"] == "image/png"
    assert "lastFrame" in instance
    assert parameters["durationSeconds"] == 8 and parameters["aspectRatio"] == "16:9"
    assert parameters["negativePrompt"] == "cartoon" and parameters["resolution"] == "1080p"
    assert "seed" not in parameters and "seed" not in instance
    assert states == [JobState.RUNNING, JobState.SUCCEEDED]
    assert handle.remote_id == OP
    download = server.received("GET", "/v1beta/files/f1:download")[0]
    assert download.headers["x-goog-api-key"] == SECRET
    assert result.metadata == {"seed_ignored": True}
    assert result.path.read_bytes() == MP4


def test_key_is_not_sent_to_a_foreign_download_host(server: FakeServer, tmp_path: Path) -> None:
    other = FakeServer().start()
    try:
        other.on("GET", "/blob", Reply(body=MP4, content_type="video/mp4"))
        server.on("POST", SUBMIT, Reply(json={"name": OP}))
        server.on("GET", f"/v1beta/{OP}", Reply(json=done(server, server.url + "/redirect")))
        server.on(
            "GET",
            "/redirect",
            Reply(status=302, headers={"Location": other.url + "/blob"}, body=b""),
        )
        v = veo(server)
        req = make_request("veo", MODEL, Task.TEXT_TO_VIDEO)
        result = run(v.fetch(run(v.submit(req)), req, tmp_path))
        assert result.path.read_bytes() == MP4
        assert server.received("GET", "/redirect")[0].headers["x-goog-api-key"] == SECRET
        assert "x-goog-api-key" not in other.received("GET", "/blob")[0].headers
    finally:
        other.stop()


def test_rai_filtered_response_raises_rejected(server: FakeServer) -> None:
    server.on("POST", SUBMIT, Reply(json={"name": OP}))
    server.on(
        "GET",
        f"/v1beta/{OP}",
        Reply(
            json={
                "name": OP,
                "done": True,
                "response": {
                    "generateVideoResponse": {
                        "raiMediaFilteredCount": 1,
                        "raiMediaFilteredReasons": ["celebrity likeness"],
                    }
                },
            }
        ),
    )
    v = veo(server)
    handle = run(v.submit(make_request("veo", MODEL, Task.TEXT_TO_VIDEO)))
    with pytest.raises(Rejected, match="celebrity likeness"):
        run(v.poll(handle))


def test_invalid_argument_operation_error_is_invalid_input(server: FakeServer) -> None:
    server.on("POST", SUBMIT, Reply(json={"name": OP}))
    server.on(
        "GET",
        f"/v1beta/{OP}",
        Reply(
            json={
                "name": OP,
                "done": True,
                "error": {"code": 3, "message": "durationSeconds must be 4, 6 or 8"},
            }
        ),
    )
    v = veo(server)
    handle = run(v.submit(make_request("veo", MODEL, Task.TEXT_TO_VIDEO)))
    with pytest.raises(InvalidInput, match="durationSeconds"):
        run(v.poll(handle))


def test_unmapped_task_is_invalid_input_before_sending(server: FakeServer) -> None:
    with pytest.raises(InvalidInput):
        run(veo(server).submit(make_request("veo", MODEL, Task.UPSCALE)))
    assert server.requests == []
