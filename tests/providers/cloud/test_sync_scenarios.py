"""The seven loopback scenarios for the synchronous adapters (OpenAI images, ElevenLabs):
success, 429 with Retry-After, 5xx then success, moderation, malformed body, truncated
download, timeout. (The asynchronous adapters have theirs in test_scenarios.py.)"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shotrelay.errors import RateLimited, Rejected, SubmissionUnknown, TransientError
from shotrelay.providers.base import JobRequest, JobState
from shotrelay.providers.elevenlabs import ElevenLabsProvider
from shotrelay.providers.http import SyncHttpProvider
from shotrelay.providers.openai import OpenAIImagesProvider
from shotrelay.spec.vocabulary import Task

from .conftest import SECRET, make_request, run
from .fakeserver import FakeServer, Reply

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
MP3 = b"ID3\x04\x00" + bytes(range(250))


@dataclass
class Play:
    """How one synchronous provider answers."""

    make: type[SyncHttpProvider]
    request: Callable[[], JobRequest]
    path: str
    ok: Callable[[str], Reply]
    output: bytes
    moderation: Reply


PLAYS = {
    "openai-images": Play(
        OpenAIImagesProvider,
        lambda: make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE),
        "/v1/images/generations",
        lambda u: Reply(json={"data": [{"b64_json": base64.b64encode(PNG).decode()}]}),
        PNG,
        Reply(
            status=400,
            json={
                "error": {
                    "code": "moderation_blocked",
                    "message": "Your request was rejected by the safety system.",
                }
            },
        ),
    ),
    "elevenlabs": Play(
        ElevenLabsProvider,
        lambda: make_request(
            "elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Hi.", voice_id="v"
        ),
        "/v1/text-to-speech/v",
        lambda u: Reply(body=MP3, content_type="audio/mpeg"),
        MP3,
        Reply(
            status=400,
            json={
                "detail": {
                    "status": "bad_prompt",
                    "message": "Your prompt appears to have violated our Terms of Service.",
                }
            },
        ),
    ),
}
plays = pytest.mark.parametrize("play", PLAYS.values(), ids=PLAYS.keys())


def make(server: FakeServer, play: Play, tmp_path: Path, **kw: Any) -> SyncHttpProvider:
    server.on("POST", play.path, play.ok(server.url))
    return play.make(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "spool", **kw)


def spooled(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "spool"
    return sorted(folder.iterdir()) if folder.exists() else []


def no_leak(exc: BaseException) -> None:
    assert SECRET not in str(exc) and SECRET not in repr(exc.args)


@plays
def test_success_spools_then_fetches(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = make(server, play, tmp_path)
    req = play.request()
    handle = run(p.submit(req))
    assert run(p.poll(handle)).state is JobState.SUCCEEDED
    assert run(p.fetch(handle, req, tmp_path / "out")).path.read_bytes() == play.output
    assert SECRET not in handle.model_dump_json()


@plays
def test_429_is_rate_limited_with_retry_after(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = make(server, play, tmp_path)
    server.on(
        "POST", play.path, Reply(status=429, json={"error": "busy"}, headers={"Retry-After": "9"})
    )
    with pytest.raises(RateLimited) as info:
        run(p.submit(play.request()))
    assert info.value.retry_after == 9.0
    no_leak(info.value)


@plays
def test_5xx_is_a_maybe_made_call(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = make(server, play, tmp_path)
    server.routes[("POST", play.path)].insert(0, Reply(status=500, json={"error": "oops"}))
    with pytest.raises(SubmissionUnknown):
        run(p.submit(play.request()))
    assert run(p.submit(play.request())).data["spool"]


@plays
def test_moderation_refusal_is_rejected(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = make(server, play, tmp_path)
    server.on("POST", play.path, play.moderation)
    with pytest.raises(Rejected) as info:
        run(p.submit(play.request()))
    no_leak(info.value)


@plays
def test_malformed_answer_is_ambiguous_and_spools_nothing(
    server: FakeServer, play: Play, tmp_path: Path
) -> None:
    p = make(server, play, tmp_path)
    server.on("POST", play.path, Reply(body=b"<html>502 gateway</html>", content_type="text/html"))
    with pytest.raises(SubmissionUnknown, match=r"not JSON|not audio"):
        run(p.submit(play.request()))
    assert spooled(tmp_path) == []


@plays
def test_truncated_answer_is_ambiguous(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = make(server, play, tmp_path)
    server.on("POST", play.path, Reply(body=MP3, content_type="audio/mpeg", truncate_to=20))
    if play.make is OpenAIImagesProvider:
        server.on("POST", play.path, Reply(json={"data": [{}]}, truncate_to=5))
    with pytest.raises(SubmissionUnknown):
        run(p.submit(play.request()))
    assert spooled(tmp_path) == []


def test_image_by_url_is_downloaded_by_fetch_with_the_same_handle(
    server: FakeServer, tmp_path: Path
) -> None:
    play = PLAYS["openai-images"]
    p = make(server, play, tmp_path)
    server.on("POST", play.path, Reply(json={"data": [{"url": server.url + "/img.png"}]}))
    server.on(
        "GET",
        "/img.png",
        Reply(body=PNG, content_type="image/png", truncate_to=20),
        Reply(body=PNG, content_type="image/png"),
    )
    req = play.request()
    handle = run(p.submit(req))  # the paid call is done; the download is fetch's
    assert run(p.poll(handle)).state.value == "succeeded"
    with pytest.raises(TransientError, match="download"):
        run(p.fetch(handle, req, tmp_path / "out"))
    result = run(p.fetch(handle, req, tmp_path / "out"))
    assert result.path.read_bytes() == PNG
    assert len(server.received("POST", play.path)) == 1


@plays
def test_slow_answer_is_ambiguous(server: FakeServer, play: Play, tmp_path: Path) -> None:
    p = make(server, play, tmp_path, timeout=0.2)
    ok = play.ok(server.url)
    ok.delay = 0.5
    server.on("POST", play.path, ok)
    with pytest.raises(SubmissionUnknown, match="answer was lost"):
        run(p.submit(play.request()))
