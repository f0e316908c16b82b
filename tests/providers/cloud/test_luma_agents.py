"""Luma's current API (the Agents API, Ray 3.2): every body validates against the stored
reference schema, and a generation runs submit -> poll -> download on a loopback server."""

from __future__ import annotations

import base64
from pathlib import Path

import jsonschema
import pytest

from shotrelay.errors import InvalidInput, QuotaError, Rejected
from shotrelay.providers.luma import LumaAgentsProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply
from .schemas import load_schema

SCHEMA = load_schema("luma_agents", "generations")["schema"]


def _agents(server: FakeServer) -> LumaAgentsProvider:
    return LumaAgentsProvider(base_url=server.url + "/v1", api_key=SECRET)


@pytest.mark.parametrize(
    ("frames", "seconds", "aspect", "duration"),
    [({}, 5, "16:9", "5s"), ({"first_frame"}, 4, "9:16", "5s"),
     ({"first_frame", "last_frame"}, 9, "4:3", "10s")],
)  # fmt: skip
def test_bodies_match_the_published_reference(
    png: Path, frames: set[str], seconds: int, aspect: str, duration: str
) -> None:
    inputs = {role: png for role in frames}
    task = Task.IMAGE_TO_VIDEO if inputs else Task.TEXT_TO_VIDEO
    req = make_request("luma_agents", "ray-3.2", task, inputs=inputs, resolution="720p",
                       clip_seconds=seconds, aspect=aspect, loop=not inputs)  # fmt: skip
    body = LumaAgentsProvider(api_key=SECRET).request_body(req)
    jsonschema.validate(body, SCHEMA)
    assert body["video"]["duration"] == duration and body["aspect_ratio"] == aspect
    if "first_frame" in frames:
        ref = body["video"]["start_frame"]
        assert ref["media_type"] == "image/png"
        assert base64.b64decode(ref["data"]) == png.read_bytes()


def test_a_wrong_field_would_fail_the_schema() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"model": "ray-3.2", "type": "video", "prompt": "x",
                             "keyframes": {"frame0": {}}}, SCHEMA)  # fmt: skip


def test_generation_runs_on_loopback(server: FakeServer, png: Path, tmp_path: Path) -> None:
    server.on("POST", "/v1/generations", Reply(status=201, json={"id": "g1", "state": "queued"}))
    server.on(
        "GET",
        "/v1/generations/g1",
        Reply(json={"id": "g1", "state": "processing"}),
        Reply(json={"id": "g1", "state": "completed",
                    "output": [{"type": "video", "url": server.url + "/out/g1.mp4"}]}),
    )  # fmt: skip
    server.on("GET", "/out/g1.mp4", Reply(body=MP4, content_type="video/mp4"))
    agents = _agents(server)
    req = make_request("luma_agents", "ray-3.2", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png})

    handle = run(agents.submit(req))
    assert run(agents.poll(handle)).state.value == "running"
    assert run(agents.poll(handle)).state.value == "succeeded"
    result = run(agents.fetch(handle, req, tmp_path))

    assert result.path.read_bytes() == MP4
    (sent,) = server.received("POST", "/v1/generations")
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    jsonschema.validate(sent.json(), SCHEMA)
    (download,) = server.received("GET", "/out/g1.mp4")
    assert "authorization" not in download.headers  # presigned: the key stays home


@pytest.mark.parametrize(
    ("code", "kind"), [("content_moderated", Rejected), ("budget_exhausted", QuotaError)]
)
def test_failure_codes(server: FakeServer, code: str, kind: type[Exception]) -> None:
    server.on("POST", "/v1/generations", Reply(json={"id": "g2", "state": "queued"}))
    failed = {"id": "g2", "state": "failed", "failure_code": code, "failure_reason": "no"}
    server.on("GET", "/v1/generations/g2", Reply(json=failed))
    agents = _agents(server)
    handle = run(agents.submit(make_request("luma_agents", "ray-3.2", Task.TEXT_TO_VIDEO)))
    with pytest.raises(kind):
        run(agents.poll(handle))


def test_without_its_own_key_it_is_not_usable_and_edits_are_refused() -> None:
    from shotrelay.providers.credentials import Credentials

    bare = LumaAgentsProvider(credentials=Credentials(env={"LUMAAI_API_KEY": "x"}))
    assert bare.available() == (False, "set LUMA_AGENTS_API_KEY")
    req = make_request("luma_agents", "ray-3.2", Task.TEXT_TO_IMAGE)
    with pytest.raises(InvalidInput, match="video generation only"):
        LumaAgentsProvider(api_key=SECRET).request_body(req)


@pytest.mark.parametrize("status", [404, 410])
def test_a_retired_legacy_api_is_invalid_input_so_the_engine_moves_on(
    server: FakeServer, status: int
) -> None:
    from shotrelay.providers.luma import LumaProvider

    server.on("POST", "/dream-machine/v1/generations/video",
              Reply(status=status, json={"detail": "Gone"}))  # fmt: skip
    legacy = LumaProvider(base_url=server.url + "/dream-machine/v1", api_key=SECRET)
    with pytest.raises(InvalidInput, match=str(status)):
        run(legacy.submit(make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)))
