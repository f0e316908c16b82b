"""Runway adapter: field mapping, task polling, failure codes, cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.errors import InvalidInput, Rejected, RemoteFailure
from shotrelay.providers.base import JobState
from shotrelay.providers.runway import API_VERSION, IMAGE_RATIOS, RunwayProvider, pick_ratio
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply


def runway(server: FakeServer) -> RunwayProvider:
    return RunwayProvider(base_url=server.url, api_key=SECRET)


def script(server: FakeServer, path: str = "/v1/image_to_video", **final: object) -> None:
    server.on("POST", path, Reply(json={"id": "task-1"}))
    done = {"id": "task-1", "status": "SUCCEEDED", "output": [server.url + "/o/clip.mp4"]}
    server.on(
        "GET",
        "/v1/tasks/task-1",
        Reply(json={"id": "task-1", "status": "THROTTLED"}),
        Reply(json={"id": "task-1", "status": "RUNNING", "progress": 0.4}),
        Reply(json={**done, **final}),
    )
    server.on("GET", "/o/clip.mp4", Reply(body=MP4, content_type="video/mp4"))


def test_image_to_video_maps_fields_headers_ratio_and_cost(
    server: FakeServer, png: Path, tmp_path: Path
) -> None:
    script(server, cost={"credits": 25})
    rw = runway(server)
    req = make_request(
        "runway",
        "gen4_turbo",
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png},
        seed=11,
        width=1080,
        height=1920,
    )

    handle = run(rw.submit(req))
    polled = [run(rw.poll(handle)) for _ in range(3)]
    result = run(rw.fetch(handle, req, tmp_path))

    sent = server.received("POST", "/v1/image_to_video")[0]
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert sent.headers["x-runway-version"] == API_VERSION
    body = sent.json()
    assert body["model"] == "gen4_turbo"
    assert body["promptText"].startswith("a red kite")
    assert body["promptImage"].startswith("data:image/png;base64,")
    assert body["ratio"] == "720:1280"
    assert body["duration"] == 5 and body["seed"] == 11
    assert "negative_prompt" not in body and "negativePrompt" not in body
    assert [s.state for s in polled] == [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED]
    assert polled[1].progress == pytest.approx(0.4)
    assert result.cost_usd == pytest.approx(0.25)
    assert result.path.read_bytes() == MP4
    assert handle.remote_id == "task-1"


def test_first_and_last_frame_become_positioned_prompt_images(
    server: FakeServer, png: Path
) -> None:
    script(server)
    req = make_request(
        "runway", "veo3.1", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png, "last_frame": png}
    )
    run(runway(server).submit(req))
    images = server.received("POST", "/v1/image_to_video")[0].json()["promptImage"]
    assert [i["position"] for i in images] == ["first", "last"]


def test_text_to_image_sends_tagged_references(server: FakeServer, png: Path) -> None:
    script(server, path="/v1/text_to_image")
    req = make_request(
        "runway",
        "gen4_image",
        Task.TEXT_TO_IMAGE,
        inputs={"reference_0": png, "reference_1": png},
        reference_tags=["hero"],
        width=1920,
        height=1080,
    )
    run(runway(server).submit(req))
    body = server.received("POST", "/v1/text_to_image")[0].json()
    assert body["ratio"] == "1920:1080"
    assert [r["tag"] for r in body["referenceImages"]] == ["hero", "ref1"]
    assert "duration" not in body


def test_ratio_mapping_prefers_shape_then_height() -> None:
    assert pick_ratio(1280, 720, IMAGE_RATIOS) == "1280:720"
    assert pick_ratio(1920, 1080, IMAGE_RATIOS) == "1920:1080"
    assert pick_ratio(2.39, 1, ("1280:720", "1584:672")) == "1584:672"


def test_safety_failure_code_raises_rejected(server: FakeServer) -> None:
    server.on("POST", "/v1/text_to_video", Reply(json={"id": "task-1"}))
    server.on(
        "GET",
        "/v1/tasks/task-1",
        Reply(
            json={
                "id": "task-1",
                "status": "FAILED",
                "failure": "Prompt rejected",
                "failureCode": "SAFETY.INPUT.TEXT",
            }
        ),
    )
    rw = runway(server)
    handle = run(rw.submit(make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO)))
    with pytest.raises(Rejected, match=r"SAFETY\.INPUT\.TEXT"):
        run(rw.poll(handle))


def test_internal_failure_raises_remote_failure_with_its_code(server: FakeServer) -> None:
    server.on("POST", "/v1/text_to_video", Reply(json={"id": "task-1"}))
    server.on(
        "GET",
        "/v1/tasks/task-1",
        Reply(
            json={"id": "task-1", "status": "FAILED", "failureCode": "INTERNAL.BAD_OUTPUT.CODE01"}
        ),
    )
    rw = runway(server)
    handle = run(rw.submit(make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO)))
    with pytest.raises(RemoteFailure, match=r"INTERNAL\.BAD_OUTPUT"):
        run(rw.poll(handle))


def test_image_to_video_without_first_frame_is_invalid(server: FakeServer) -> None:
    with pytest.raises(InvalidInput, match="first_frame"):
        run(runway(server).submit(make_request("runway", "gen4_turbo", Task.IMAGE_TO_VIDEO)))
    assert server.requests == []


def test_cancel_deletes_the_task(server: FakeServer) -> None:
    server.on("POST", "/v1/text_to_video", Reply(json={"id": "task-1"}))
    server.on("DELETE", "/v1/tasks/task-1", Reply(status=204, body=b""))
    rw = runway(server)
    handle = run(rw.submit(make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO)))
    run(rw.cancel(handle))
    assert len(server.received("DELETE", "/v1/tasks/task-1")) == 1


def test_reference_tags_default_to_the_prompt_mentions(server: FakeServer, png: Path) -> None:
    server.on("POST", "/v1/text_to_image", Reply(json={"id": "t9"}))
    req = make_request(
        "runway",
        "gen4_image",
        Task.TEXT_TO_IMAGE,
        prompt="Still. @mara hands @theo_2 a parcel; @mara smiles. Mail a@b.com",
        inputs={"reference_0": png, "reference_1": png, "reference_2": png},
    )
    run(RunwayProvider(base_url=server.url, api_key=SECRET).submit(req))
    refs = server.received("POST", "/v1/text_to_image")[0].json()["referenceImages"]
    assert [r["tag"] for r in refs] == ["mara", "theo_2", "ref2"]
