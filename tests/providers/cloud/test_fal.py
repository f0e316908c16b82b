"""fal queue adapter against a loopback server playing fal's queue protocol."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from shotrelay.errors import (
    AuthError,
    InvalidInput,
    ProviderError,
    RateLimited,
    Rejected,
    RemoteFailure,
    SubmissionUnknown,
    TransientError,
)
from shotrelay.providers.base import JobState
from shotrelay.providers.credentials import Credentials
from shotrelay.providers.fal import FalProvider, fal_family
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply

KLING = "fal-ai/kling-video/v2.1/pro/image-to-video"
REQ = "/fal-ai/kling-video/requests/r-1"


def provider(server: FakeServer, **kw: object) -> FalProvider:
    return FalProvider(base_url=server.url, api_key=SECRET, **kw)  # type: ignore[arg-type]


def script_queue(server: FakeServer, result: dict[str, object] | None = None) -> None:
    base = server.url + REQ
    server.on(
        "POST",
        f"/{KLING}",
        Reply(
            json={
                "request_id": "r-1",
                "status_url": base + "/status",
                "response_url": base,
                "cancel_url": base + "/cancel",
            }
        ),
    )
    server.on(
        "GET",
        REQ + "/status",
        Reply(json={"status": "IN_QUEUE", "queue_position": 2}),
        Reply(json={"status": "IN_PROGRESS"}),
        Reply(json={"status": "COMPLETED"}),
    )
    server.on(
        "GET",
        REQ,
        Reply(json=result or {"video": {"url": server.url + "/cdn/out.mp4"}}),
    )
    server.on("GET", "/cdn/out.mp4", Reply(body=MP4, content_type="video/mp4"))


def test_image_to_video_round_trip_maps_fields_and_downloads(
    server: FakeServer, png: Path, tmp_path: Path
) -> None:
    script_queue(server)
    fal = provider(server)
    req = make_request(
        "fal",
        KLING,
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png},
        seed=7,
        negative="blur",
    )

    handle = run(fal.submit(req))
    states = [run(fal.poll(handle)).state for _ in range(3)]
    result = run(fal.fetch(handle, req, tmp_path / "out"))

    assert handle.remote_id == "r-1"
    assert handle.data["status_url"].endswith(REQ + "/status")
    assert states == [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED]
    assert result.path.read_bytes() == MP4
    assert result.media_type == "video/mp4"
    sent = server.received("POST", f"/{KLING}")[0]
    assert sent.headers["authorization"] == f"Key {SECRET}"
    body = sent.json()
    assert body["prompt"].startswith("a red kite")
    assert body["image_url"].startswith("data:image/png;base64,")
    assert base64.b64decode(body["image_url"].split(",", 1)[1]) == png.read_bytes()
    assert body["tail_image_url"] == body["image_url"]
    assert body["duration"] == "5"
    assert body["negative_prompt"] == "blur"
    assert "seed" not in body  # fal's Kling 2.x schema has no seed field
    assert "aspect_ratio" not in body  # the first frame sets the aspect
    assert SECRET not in handle.model_dump_json()


def test_flux_image_result_is_images_0_url(server: FakeServer, tmp_path: Path) -> None:
    endpoint = "fal-ai/flux/dev"
    base = server.url + "/fal-ai/flux/requests/i-9"
    server.on(
        "POST",
        "/" + endpoint,
        Reply(
            json={
                "request_id": "i-9",
                "status_url": base + "/status",
                "response_url": base,
                "cancel_url": base + "/cancel",
            }
        ),
    )
    server.on(
        "GET", "/fal-ai/flux/requests/i-9", Reply(json={"images": [{"url": server.url + "/img"}]})
    )
    server.on("GET", "/img", Reply(body=b"\x89PNG fake", content_type="image/png"))
    fal = provider(server)
    req = make_request("fal", endpoint, Task.TEXT_TO_IMAGE, seed=3)

    handle = run(fal.submit(req))
    result = run(fal.fetch(handle, req, tmp_path))

    body = server.received("POST", "/" + endpoint)[0].json()
    assert body["image_size"] == {"width": 1280, "height": 720}
    assert "duration" not in body and body["seed"] == 3
    assert result.media_type == "image/png" and result.path.suffix == ".png"


def test_family_mapping_picks_endpoint_specific_last_frame_field() -> None:
    assert fal_family("fal-ai/kling-video/v2.5-turbo/pro/image-to-video").inputs["last_frame"] == (
        "tail_image_url"
    )
    assert fal_family("fal-ai/bytedance/seedance/v1/pro/image-to-video").inputs["last_frame"] == (
        "end_image_url"
    )
    assert fal_family("fal-ai/rife/video").inputs == {"video": "video_url"}


def test_input_the_endpoint_cannot_take_is_invalid_before_any_request(
    server: FakeServer, png: Path
) -> None:
    fal = provider(server)
    req = make_request(
        "fal",
        "fal-ai/pika/v2.2/image-to-video",
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png},
    )
    with pytest.raises(InvalidInput, match="last_frame"):
        run(fal.submit(req))
    assert server.requests == []


def test_429_raises_rate_limited_with_retry_after(server: FakeServer) -> None:
    server.on(
        "POST",
        f"/{KLING}",
        Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "17"}),
    )
    with pytest.raises(RateLimited) as info:
        run(provider(server).submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    assert info.value.retry_after == 17
    assert info.value.provider == "fal" and info.value.model == "fal-test"
    assert SECRET not in str(info.value)


def test_5xx_on_submit_is_a_maybe_accepted_submission(server: FakeServer) -> None:
    script_queue(server)
    server.routes[("POST", f"/{KLING}")].insert(
        0, Reply(status=503, body=b"upstream down", content_type="text/plain")
    )
    fal = provider(server)
    req = make_request("fal", KLING, Task.TEXT_TO_VIDEO)
    with pytest.raises(SubmissionUnknown, match=r"503.*may have been accepted"):
        run(fal.submit(req))
    assert run(fal.submit(req)).remote_id == "r-1"
    assert len(server.received("POST", f"/{KLING}")) == 2  # single-shot: no hidden retry


def test_moderation_error_in_completed_status_raises_rejected(server: FakeServer) -> None:
    script_queue(server)
    server.on(
        "GET",
        REQ + "/status",
        Reply(
            json={
                "status": "COMPLETED",
                "error": "Output flagged by content policy",
                "error_type": "content_policy_violation",
            }
        ),
    )
    fal = provider(server)
    handle = run(fal.submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    with pytest.raises(Rejected, match="content policy"):
        run(fal.poll(handle))


def test_moderation_422_on_submit_raises_rejected(server: FakeServer) -> None:
    server.on(
        "POST",
        f"/{KLING}",
        Reply(
            status=422,
            json={"detail": [{"msg": "The prompt was flagged by our safety checker", "type": "x"}]},
        ),
    )
    with pytest.raises(Rejected):
        run(provider(server).submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))


def test_plain_422_is_invalid_input(server: FakeServer) -> None:
    server.on(
        "POST",
        f"/{KLING}",
        Reply(
            status=422,
            json={"detail": [{"msg": "duration must be 5 or 10", "type": "value_error"}]},
        ),
    )
    with pytest.raises(InvalidInput, match="duration must be 5 or 10"):
        run(provider(server).submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))


def test_other_failure_raises_remote_failure_with_its_text(server: FakeServer) -> None:
    script_queue(server)
    server.on("GET", REQ + "/status", Reply(json={"status": "COMPLETED", "error": "GPU fault"}))
    fal = provider(server)
    handle = run(fal.submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    with pytest.raises(RemoteFailure, match="GPU fault"):
        run(fal.poll(handle))


def test_malformed_json_answer_to_a_submission_is_ambiguous(server: FakeServer) -> None:
    server.on("POST", f"/{KLING}", Reply(body=b"<html>gateway</html>", content_type="text/html"))
    with pytest.raises(SubmissionUnknown, match="not JSON"):
        run(provider(server).submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))


def test_truncated_download_is_transient_and_leaves_no_file(
    server: FakeServer, tmp_path: Path
) -> None:
    script_queue(server)
    server.on("GET", "/cdn/out.mp4", Reply(body=MP4, content_type="video/mp4", truncate_to=100))
    fal = provider(server)
    req = make_request("fal", KLING, Task.TEXT_TO_VIDEO)
    handle = run(fal.submit(req))
    dest = tmp_path / "out"
    with pytest.raises(TransientError, match="download"):
        run(fal.fetch(handle, req, dest))
    assert list(dest.iterdir()) == []


def test_submission_slower_than_the_timeout_is_ambiguous(server: FakeServer) -> None:
    server.on("POST", f"/{KLING}", Reply(json={}, delay=0.5))
    fal = provider(server, timeout=0.2)
    with pytest.raises(SubmissionUnknown, match=r"answer was lost.*ReadTimeout"):
        run(fal.submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))


def test_401_is_auth_error_without_the_key(server: FakeServer) -> None:
    server.on("POST", f"/{KLING}", Reply(status=401, json={"detail": f"bad key {SECRET}"}))
    with pytest.raises(AuthError) as info:
        run(provider(server).submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    assert SECRET not in str(info.value)
    assert "FAL_KEY" in str(info.value)


def test_cancel_puts_the_cancel_url(server: FakeServer) -> None:
    script_queue(server)
    server.on("PUT", REQ + "/cancel", Reply(json={"status": "CANCELLATION_REQUESTED"}))
    fal = provider(server)
    handle = run(fal.submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    run(fal.cancel(handle))
    assert len(server.received("PUT", REQ + "/cancel")) == 1


def test_without_key_unavailable_and_find_not_implemented(tmp_path: Path) -> None:
    fal = FalProvider(credentials=Credentials(env={}, dotenv_path=tmp_path / ".env"))
    assert fal.available() == (False, "set FAL_KEY")
    with pytest.raises(ProviderError):  # fal has a listing; without a key it cannot be read
        run(fal.find(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
    with pytest.raises(ProviderError):
        run(fal.submit(make_request("fal", KLING, Task.TEXT_TO_VIDEO)))
