"""The failure scenarios every HTTP adapter must classify the same way, on a real socket."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from shotrelay.errors import (
    InvalidInput,
    ProviderError,
    RateLimited,
    SubmissionUnknown,
    TransientError,
    Unreachable,
)
from shotrelay.providers.base import JobRequest
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.http import HttpProvider
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.providers.veo import VeoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply


def _lipsync_inputs(folder: Path) -> dict[str, Path]:
    (folder / "v.mp4").write_bytes(MP4)
    (folder / "a.wav").write_bytes(b"RIFF....WAVE")
    return {"video": folder / "v.mp4", "audio": folder / "a.wav"}


@dataclass
class Play:
    """How one provider's protocol looks to the fake server."""

    make: type[HttpProvider]
    request: Callable[[Path], JobRequest]
    submit: str
    submitted: Callable[[str], dict[str, object]]
    status: str
    finished: Callable[[str], dict[str, object]]


PLAYS = {
    "fal": Play(
        FalProvider,
        lambda d: make_request("fal", "fal-ai/wan/v2.2/text-to-video", Task.TEXT_TO_VIDEO),
        "/fal-ai/wan/v2.2/text-to-video",
        lambda u: {
            "request_id": "r",
            "status_url": u + "/fal-ai/wan/requests/r/status",
            "response_url": u + "/result",
            "cancel_url": u + "/c",
        },
        "/fal-ai/wan/requests/r/status",
        lambda u: {"status": "COMPLETED", "video": {"url": u + "/media"}},
    ),
    "runway": Play(
        RunwayProvider,
        lambda d: make_request("runway", "gen4.5", Task.TEXT_TO_VIDEO),
        "/v1/text_to_video",
        lambda u: {"id": "t"},
        "/v1/tasks/t",
        lambda u: {"status": "SUCCEEDED", "output": [u + "/media"]},
    ),
    "luma": Play(
        LumaProvider,
        lambda d: make_request("luma", "ray-2", Task.TEXT_TO_VIDEO),
        "/generations/video",
        lambda u: {"id": "g"},
        "/generations/g",
        lambda u: {"state": "completed", "assets": {"video": u + "/media"}},
    ),
    "veo": Play(
        VeoProvider,
        lambda d: make_request("veo", "veo-3.1-fast-generate-preview", Task.TEXT_TO_VIDEO),
        "/v1beta/models/veo-3.1-fast-generate-preview:predictLongRunning",
        lambda u: {"name": "operations/o"},
        "/v1beta/operations/o",
        lambda u: {
            "done": True,
            "response": {
                "generateVideoResponse": {"generatedSamples": [{"video": {"uri": u + "/media"}}]}
            },
        },
    ),
    "replicate": Play(
        ReplicateProvider,
        lambda d: make_request("replicate", "minimax/video-01", Task.TEXT_TO_VIDEO),
        "/v1/models/minimax/video-01/predictions",
        lambda u: {"id": "p"},
        "/v1/predictions/p",
        lambda u: {"status": "succeeded", "output": [u + "/media"]},
    ),
    "sync": Play(
        SyncSoProvider,
        lambda d: make_request("sync", "lipsync-2", Task.LIPSYNC, inputs=_lipsync_inputs(d)),
        "/v2/generate",
        lambda u: {"id": "s"},
        "/v2/generate/s",
        lambda u: {"status": "COMPLETED", "outputUrl": u + "/media"},
    ),
}

plays = pytest.mark.parametrize("play", PLAYS.values(), ids=PLAYS.keys())


def setup(server: FakeServer, play: Play, **kw: object) -> HttpProvider:
    server.on("POST", play.submit, Reply(json=play.submitted(server.url)))
    server.on("GET", play.status, Reply(json=play.finished(server.url)))
    server.on("GET", "/result", Reply(json=play.finished(server.url)))
    server.on("GET", "/media", Reply(body=MP4, content_type="video/mp4"))
    return play.make(base_url=server.url, api_key=SECRET, **kw)  # type: ignore[arg-type]


def no_leak(exc: BaseException) -> None:
    assert SECRET not in str(exc) and SECRET not in repr(exc.args)


@plays
def test_success_downloads_the_output(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = setup(server, play)
    req = play.request(tmp_path)
    handle = run(p.submit(req))
    run(p.poll(handle))
    result = run(p.fetch(handle, req, tmp_path))
    assert result.path.read_bytes() == MP4 and result.path.suffix == ".mp4"
    assert SECRET not in handle.model_dump_json()


@plays
@pytest.mark.parametrize(
    ("header", "expected"), [("12", 12.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_429_is_rate_limited_with_parsed_retry_after(
    server: FakeServer, play: Play, tmp_path: Path, header: str, expected: float
) -> None:
    p = setup(server, play)
    server.on(
        "POST",
        play.submit,
        Reply(status=429, json={"error": "busy"}, headers={"Retry-After": header}),
    )
    with pytest.raises(RateLimited) as info:
        run(p.submit(play.request(tmp_path)))
    assert info.value.retry_after == expected  # a date in the past means "now"
    no_leak(info.value)


@plays
def test_5xx_on_submit_is_a_maybe_accepted_submission(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = setup(server, play)
    server.routes[("POST", play.submit)].insert(0, Reply(status=502, json={"error": "bad gw"}))
    with pytest.raises(SubmissionUnknown, match="may have been accepted") as info:
        run(p.submit(play.request(tmp_path)))
    no_leak(info.value)
    assert len(server.received("POST", play.submit)) == 1  # never resent by the adapter


@plays
def test_5xx_on_a_poll_is_transient(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = setup(server, play)
    handle = run(p.submit(play.request(tmp_path)))
    server.on("GET", play.status, Reply(status=503, json={"error": "busy"}))
    with pytest.raises(TransientError) as info:
        run(p.poll(handle))
    assert not isinstance(info.value, SubmissionUnknown)


@plays
def test_a_closed_port_is_unreachable(play: Play, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    p = play.make(base_url=f"http://127.0.0.1:{port}", api_key=SECRET)  # type: ignore[call-arg]
    with pytest.raises(Unreachable, match="could not connect") as info:
        run(p.submit(play.request(tmp_path)))
    no_leak(info.value)


@plays
def test_poll_retries_once_on_a_dropped_connection(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = setup(server, play)
    handle = run(p.submit(play.request(tmp_path)))
    server.routes[("GET", play.status)].insert(
        0, Reply(json=play.finished(server.url), truncate_to=0)
    )
    assert run(p.poll(handle)).state.value == "succeeded"
    assert len(server.received("GET", play.status)) == 2


@plays
def test_malformed_status_body_is_transient(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = setup(server, play)
    handle = run(p.submit(play.request(tmp_path)))
    server.on("GET", play.status, Reply(body=b'{"status": ', content_type="application/json"))
    with pytest.raises(TransientError, match="not JSON"):
        run(p.poll(handle))


@plays
def test_truncated_download_is_transient(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = setup(server, play)
    server.on("GET", "/media", Reply(body=MP4, content_type="video/mp4", truncate_to=64))
    req = play.request(tmp_path)
    with pytest.raises(TransientError, match="download"):
        run(p.fetch(run(p.submit(req)), req, tmp_path / "out"))
    assert list((tmp_path / "out").iterdir()) == []


@plays
def test_html_instead_of_media_is_transient(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = setup(server, play)
    server.on("GET", "/media", Reply(body=b"<html>expired</html>", content_type="text/html"))
    req = play.request(tmp_path)
    with pytest.raises(TransientError, match="not a media file"):
        run(p.fetch(run(p.submit(req)), req, tmp_path / "out"))


@plays
def test_output_over_the_size_cap_is_refused(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = setup(server, play, max_download_bytes=100)
    req = play.request(tmp_path)
    with pytest.raises(InvalidInput, match="cap"):
        run(p.fetch(run(p.submit(req)), req, tmp_path / "out"))
    assert list((tmp_path / "out").iterdir()) == []


@plays
def test_slow_submission_answer_is_ambiguous_and_a_slow_poll_transient(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = setup(server, play, timeout=0.2)
    handle = run(p.submit(play.request(tmp_path)))
    server.on("POST", play.submit, Reply(json=play.submitted(server.url), delay=0.5))
    with pytest.raises(SubmissionUnknown, match="answer was lost"):
        run(p.submit(play.request(tmp_path)))
    server.on("GET", play.status, Reply(json=play.finished(server.url), delay=0.5))
    with pytest.raises(TransientError, match="timed out"):
        run(p.poll(handle))


@plays
@pytest.mark.parametrize(
    ("status", "kind"), [(401, "AuthError"), (402, "QuotaError"), (400, "InvalidInput")]
)
def test_status_codes_map_onto_the_hierarchy(
    server: FakeServer, play: Play, tmp_path: Path, status: int, kind: str
) -> None:
    p = setup(server, play)
    server.on("POST", play.submit, Reply(status=status, json={"message": f"no: {SECRET}"}))
    with pytest.raises(ProviderError) as info:
        run(p.submit(play.request(tmp_path)))
    assert type(info.value).__name__ == kind
    no_leak(info.value)
