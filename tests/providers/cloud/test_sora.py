"""Sora (OpenAI videos API): multipart create, states, authorized content download, and the
seven loopback scenarios (success, 429, 5xx, moderation, malformed, truncated, timeout)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from shotrelay.catalog.params import CallParams
from shotrelay.errors import (
    InvalidInput,
    RateLimited,
    Rejected,
    RemoteFailure,
    SubmissionUnknown,
    TransientError,
)
from shotrelay.providers.base import JobState
from shotrelay.providers.sora import SoraProvider, pick_seconds, pick_size
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply
from .multipart import filenames, parse_multipart

VIDEO = {"id": "video_1", "object": "video", "model": "sora-2", "progress": 0}


def sora(server: FakeServer, **kw: object) -> SoraProvider:
    return SoraProvider(base_url=server.url, api_key=SECRET, **kw)  # type: ignore[arg-type]


def script(server: FakeServer) -> None:
    server.on("POST", "/v1/videos", Reply(json={**VIDEO, "status": "queued"}))
    server.on(
        "GET",
        "/v1/videos/video_1",
        Reply(json={**VIDEO, "status": "queued"}),
        Reply(json={**VIDEO, "status": "in_progress", "progress": 40}),
        Reply(json={**VIDEO, "status": "completed", "progress": 100, "expires_at": 1}),
    )
    server.on("GET", "/v1/videos/video_1/content", Reply(body=MP4, content_type="video/mp4"))


def no_leak(exc: BaseException) -> None:
    assert SECRET not in str(exc) and SECRET not in repr(exc.args)


def test_text_to_video_is_multipart_and_downloads_content_with_auth(
    server: FakeServer, tmp_path: Path
) -> None:
    script(server)
    p = sora(server)
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=8)

    handle = run(p.submit(req))
    states = [run(p.poll(handle)) for _ in range(3)]
    result = run(p.fetch(handle, req, tmp_path))

    sent = server.received("POST", "/v1/videos")[0]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    fields = parse_multipart(sent.headers["content-type"], sent.body)
    assert fields == {
        "prompt": req.prompt.encode(),
        "model": b"sora-2",
        "seconds": b"8",
        "size": b"1280x720",
    }
    assert handle.remote_id == "video_1" and SECRET not in handle.model_dump_json()
    assert [s.state for s in states] == [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED]
    assert states[1].progress == pytest.approx(0.4)
    download = server.received("GET", "/v1/videos/video_1/content")[0]
    assert download.headers["authorization"] == f"Bearer {SECRET}"
    assert result.path.read_bytes() == MP4 and result.media_type == "video/mp4"


def test_first_frame_goes_as_input_reference_fitted_to_the_size(
    server: FakeServer, tmp_path: Path
) -> None:
    script(server)
    frame = tmp_path / "first.png"
    Image.new("RGB", (64, 48), (10, 200, 30)).save(frame)
    req = make_request(
        "sora", "sora-2", Task.IMAGE_TO_VIDEO, inputs={"first_frame": frame}, width=720, height=1280
    )
    run(sora(server).submit(req))
    sent = server.received("POST", "/v1/videos")[0]
    ctype = sent.headers["content-type"]
    # the fitted copy was a temporary file, removed once sent
    assert not any(Path(tempfile.gettempdir()).glob(f"shotrelay-sora-{req.job_id}-*"))
    parts = parse_multipart(ctype, sent.body)
    assert parts["size"] == b"720x1280"
    assert filenames(ctype, sent.body)["input_reference"]
    with Image.open(io.BytesIO(parts["input_reference"])) as image:
        assert image.size == (720, 1280)
        assert image.getpixel((360, 640)) == (10, 200, 30)


def test_image_to_video_without_a_frame_is_invalid_input(server: FakeServer) -> None:
    with pytest.raises(InvalidInput, match="first_frame"):
        run(sora(server).submit(make_request("sora", "sora-2", Task.IMAGE_TO_VIDEO)))
    assert server.requests == []


def test_429_is_rate_limited_with_retry_after(server: FakeServer) -> None:
    server.on(
        "POST",
        "/v1/videos",
        Reply(status=429, json={"error": {"message": "slow down"}}, headers={"Retry-After": "7"}),
    )
    with pytest.raises(RateLimited) as info:
        run(sora(server).submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))
    assert info.value.retry_after == 7.0
    no_leak(info.value)


def test_5xx_then_success(server: FakeServer) -> None:
    script(server)
    server.routes[("POST", "/v1/videos")].insert(0, Reply(status=503, json={"error": "down"}))
    p = sora(server)
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)
    with pytest.raises(SubmissionUnknown, match=r"503.*may have been accepted"):
        run(p.submit(req))
    assert run(p.submit(req)).remote_id == "video_1"


def test_moderation_block_on_submit_is_rejected(server: FakeServer) -> None:
    server.on(
        "POST",
        "/v1/videos",
        Reply(
            status=400,
            json={"error": {"code": "moderation_blocked", "message": "Your request was blocked."}},
        ),
    )
    with pytest.raises(Rejected) as info:
        run(sora(server).submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))
    no_leak(info.value)


def test_moderation_failure_while_generating_is_rejected_other_failure_is_remote(
    server: FakeServer,
) -> None:
    script(server)
    blocked = {"code": "moderation_blocked", "message": "The output was blocked."}
    server.on(
        "GET", "/v1/videos/video_1", Reply(json={**VIDEO, "status": "failed", "error": blocked})
    )
    p = sora(server)
    handle = run(p.submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))
    with pytest.raises(Rejected, match="moderation_blocked"):
        run(p.poll(handle))
    broken = {"code": "internal_error", "message": "render failed"}
    server.on(
        "GET", "/v1/videos/video_1", Reply(json={**VIDEO, "status": "failed", "error": broken})
    )
    with pytest.raises(RemoteFailure, match="render failed"):
        run(p.poll(handle))


def test_malformed_bodies_are_transient(server: FakeServer) -> None:
    script(server)
    p = sora(server)
    handle = run(p.submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))
    server.on(
        "GET", "/v1/videos/video_1", Reply(body=b'{"status": ', content_type="application/json")
    )
    with pytest.raises(TransientError, match="not JSON"):
        run(p.poll(handle))
    server.on("GET", "/v1/videos/video_1", Reply(json={"status": "rendering?"}))
    with pytest.raises(TransientError, match="unknown video status"):
        run(p.poll(handle))
    server.on("POST", "/v1/videos", Reply(json={"object": "video"}))
    with pytest.raises(SubmissionUnknown, match="no video id"):  # answered, unusable
        run(p.submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))


def test_truncated_download_is_transient_and_leaves_no_file(
    server: FakeServer, tmp_path: Path
) -> None:
    script(server)
    server.on("GET", "/v1/videos/video_1", Reply(json={**VIDEO, "status": "completed"}))
    server.on(
        "GET",
        "/v1/videos/video_1/content",
        Reply(body=MP4, content_type="video/mp4", truncate_to=100),
    )
    p = sora(server)
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)
    with pytest.raises(TransientError, match="download"):
        run(p.fetch(run(p.submit(req)), req, tmp_path / "out"))
    assert list((tmp_path / "out").iterdir()) == []


def test_slow_submission_answer_is_a_maybe_accepted_submission(server: FakeServer) -> None:
    server.on("POST", "/v1/videos", Reply(json={**VIDEO, "status": "queued"}, delay=0.5))
    with pytest.raises(SubmissionUnknown, match="answer was lost"):
        run(sora(server, timeout=0.2).submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))


def test_retired_endpoint_404_is_invalid_input(server: FakeServer) -> None:
    server.on("POST", "/v1/videos", Reply(status=404, json={"error": {"message": "Not found"}}))
    with pytest.raises(InvalidInput, match="404"):
        run(sora(server).submit(make_request("sora", "sora-2", Task.TEXT_TO_VIDEO)))


def test_find_matches_the_listed_video_and_cancel_deletes(server: FakeServer) -> None:
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=4)
    listed = {"model": "sora-2", "seconds": "4", "size": "1280x720"}
    server.on(
        "GET",
        "/v1/videos",
        Reply(
            json={
                "data": [
                    {**listed, "id": "v_other", "prompt": "something else", "status": "queued"},
                    {**listed, "id": "v_failed", "prompt": req.prompt, "status": "failed"},
                    {**listed, "id": "v_mine", "prompt": req.prompt, "status": "in_progress"},
                ]
            }
        ),
    )
    server.on("DELETE", "/v1/videos/v_mine", Reply(json={"id": "v_mine", "deleted": True}))
    p = sora(server)
    found = run(p.find(req))
    assert found is not None and found.remote_id == "v_mine"
    assert server.received("GET", "/v1/videos")[0].query["order"] == ["desc"]
    run(p.cancel(found))
    assert len(server.received("DELETE", "/v1/videos/v_mine")) == 1


def test_duration_and_size_mapping() -> None:
    assert [pick_seconds(s) for s in (1, 4, 5, 6, 8, 10, 20)] == [
        "4",
        "4",
        "8",
        "8",
        "8",
        "12",
        "12",
    ]
    assert pick_size(CallParams(aspect="9:16"), "sora-2") == "720x1280"
    assert pick_size(CallParams(aspect="16:9", resolution="1080p"), "sora-2") == "1280x720"
    assert pick_size(
        CallParams(width=1920, height=1080, resolution="1080p"),
        "sora-2-pro",
    ) == ("1792x1024")
    assert pick_size(CallParams(size="1024x1792"), "sora-2-pro") == "1024x1792"


def test_unreadable_first_frame_leaves_no_temporary_file(
    server: FakeServer, tmp_path: Path
) -> None:
    frame = tmp_path / "first.png"
    frame.write_bytes(b"not an image at all")
    req = make_request(
        "sora", "sora-2", Task.IMAGE_TO_VIDEO, inputs={"first_frame": frame}, clip_seconds=4
    )
    req = req.model_copy(update={"job_id": "job-unreadable"})
    with pytest.raises(InvalidInput, match="first_frame"):
        run(sora(server).submit(req))
    assert not any(Path(tempfile.gettempdir()).glob("shotrelay-sora-job-unreadable-*"))
    assert server.requests == []


@pytest.mark.parametrize(
    ("clip", "rendered", "billed"), [(6, None, 8), (1, None, 4), (6, "12", 12)]
)
def test_actual_cost_is_the_billed_length_times_the_price(
    server: FakeServer, tmp_path: Path, clip: float, rendered: str | None, billed: int
) -> None:
    script(server)
    done = {**VIDEO, "status": "completed", "progress": 100}
    if rendered is not None:
        done["seconds"] = rendered
    server.on("GET", "/v1/videos/video_1", Reply(json=done))
    p = sora(server)
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=clip)
    result = run(p.fetch(run(p.submit(req)), req, tmp_path))
    assert result.cost_usd == pytest.approx(0.1 * billed)
