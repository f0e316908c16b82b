"""Synchronous adapters (OpenAI images, ElevenLabs): output spooled at submit, adopted by find."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from shotrelay.errors import InvalidInput, RateLimited, SubmissionUnknown
from shotrelay.providers.base import JobState
from shotrelay.providers.elevenlabs import DEFAULT_VOICE, ElevenLabsProvider
from shotrelay.providers.openai import OpenAIImagesProvider, pick_size
from shotrelay.spec.vocabulary import Task

from .conftest import SECRET, make_request, run
from .fakeserver import FakeServer, Reply

PNG_BYTES = b"\x89PNG\r\n\x1a\n tiny"
MP3 = b"ID3\x04\x00 tiny mp3 frames" * 8


def openai(server: FakeServer, tmp_path: Path) -> OpenAIImagesProvider:
    return OpenAIImagesProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "spool")


def eleven(server: FakeServer, tmp_path: Path) -> ElevenLabsProvider:
    return ElevenLabsProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "spool")


def test_gpt_image_spools_b64_then_fetch_moves_it(server: FakeServer, tmp_path: Path) -> None:
    server.on(
        "POST",
        "/v1/images/generations",
        Reply(json={"data": [{"b64_json": base64.b64encode(PNG_BYTES).decode()}]}),
    )
    p = openai(server, tmp_path)
    req = make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE, width=1920, height=1080)

    handle = run(p.submit(req))
    assert run(p.poll(handle)).state is JobState.SUCCEEDED
    result = run(p.fetch(handle, req, tmp_path / "out"))

    body = server.received("POST", "/v1/images/generations")[0].json()
    assert body == {"model": "gpt-image-2", "prompt": req.prompt, "size": "1536x1024", "n": 1}
    assert result.path.read_bytes() == PNG_BYTES and result.media_type == "image/png"
    assert result.path.parent == tmp_path / "out"
    assert SECRET not in handle.model_dump_json()


def test_references_go_multipart_to_the_edits_endpoint(
    server: FakeServer, png: Path, tmp_path: Path
) -> None:
    server.on(
        "POST",
        "/v1/images/edits",
        Reply(json={"data": [{"b64_json": base64.b64encode(PNG_BYTES).decode()}]}),
    )
    req = make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE, inputs={"reference_0": png})
    run(openai(server, tmp_path).submit(req))
    sent = server.received("POST", "/v1/images/edits")[0]
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert b'name="image[]"' in sent.body and png.read_bytes() in sent.body
    assert b'name="model"' in sent.body


def test_find_adopts_spooled_output_and_lost_spool_fails(
    server: FakeServer, tmp_path: Path
) -> None:
    server.on(
        "POST",
        "/v1/images/generations",
        Reply(json={"data": [{"b64_json": base64.b64encode(PNG_BYTES).decode()}]}),
    )
    p = openai(server, tmp_path)
    req = make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE)
    with pytest.raises(NotImplementedError):  # no spool, and the images API has no listing
        run(p.find(req))
    handle = run(p.submit(req))
    found = run(p.find(req))
    assert found is not None and found.data["spool"] == handle.data["spool"]
    Path(handle.data["spool"]).unlink()
    assert run(p.poll(handle)).state is JobState.FAILED


def test_bad_base64_is_an_ambiguous_answer(server: FakeServer, tmp_path: Path) -> None:
    server.on("POST", "/v1/images/generations", Reply(json={"data": [{"b64_json": "@@@"}]}))
    with pytest.raises(SubmissionUnknown, match="base64"):
        run(
            openai(server, tmp_path).submit(
                make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE)
            )
        )


def test_size_mapping() -> None:
    assert pick_size(1080, 1920) == "1024x1536" and pick_size(1, 1) == "1024x1024"


def test_tts_posts_text_to_the_voice_and_spools_audio(server: FakeServer, tmp_path: Path) -> None:
    path = f"/v1/text-to-speech/{DEFAULT_VOICE}"
    server.on("POST", path, Reply(body=MP3, content_type="audio/mpeg"))
    p = eleven(server, tmp_path)
    req = make_request("elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Hello there.")
    handle = run(p.submit(req))
    result = run(p.fetch(handle, req, tmp_path / "out"))
    sent = server.received("POST", path)[0]
    assert sent.headers["xi-api-key"] == SECRET
    assert sent.query["output_format"] == ["mp3_44100_128"]
    assert sent.json()["text"] == "Hello there."
    assert sent.json()["model_id"] == "eleven_multilingual_v2"
    assert result.path.read_bytes() == MP3 and result.path.suffix == ".mp3"


def test_tts_rate_limit_and_empty_text(server: FakeServer, tmp_path: Path) -> None:
    server.on(
        "POST",
        "/v1/text-to-speech/v1",
        Reply(status=429, json={"detail": "busy"}, headers={"Retry-After": "4"}),
    )
    p = eleven(server, tmp_path)
    with pytest.raises(RateLimited) as info:
        run(p.submit(make_request("elevenlabs", "m", Task.TTS, text="hi", voice_id="v1")))
    assert info.value.retry_after == 4
    with pytest.raises(InvalidInput):
        run(p.submit(make_request("elevenlabs", "m", Task.TTS, prompt="", text="")))
