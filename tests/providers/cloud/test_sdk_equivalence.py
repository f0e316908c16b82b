"""Our adapters send what the official SDKs send for the same inputs.

Each test points the SDK and the adapter at the same loopback server and compares method,
path, query, the essential headers (auth scheme with the key masked, version headers) and the
JSON or multipart body. SDKs come from the ``sdk-tests`` extra; a missing one skips its tests.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shotrelay.providers.elevenlabs import ElevenLabsProvider
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.http import data_uri
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.openai import OpenAIImagesProvider
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sora import SoraProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Received, Reply
from .multipart import filenames, parse_multipart

SKIP = "official SDK not installed: pip install -e '.[sdk-tests]'"
#: Headers that carry the auth scheme or API version; everything else is SDK telemetry.
ESSENTIAL = ("authorization", "x-runway-version", "xi-api-key", "content-type")


def essential(sent: Received) -> dict[str, Any]:
    """What must agree: method, path, query, key headers (key masked) and the parsed body."""
    headers = {k: v.replace(SECRET, "<KEY>") for k, v in sent.headers.items() if k in ESSENTIAL}
    ctype = headers.get("content-type", "")
    body: Any
    if ctype.startswith("multipart/form-data"):
        headers["content-type"] = "multipart/form-data"
        body = {
            "fields": {
                k: v
                for k, v in parse_multipart(sent.headers["content-type"], sent.body).items()
                if filenames(sent.headers["content-type"], sent.body)[k] is None
            },
            "files": sorted(
                k for k, v in filenames(sent.headers["content-type"], sent.body).items() if v
            ),
        }
    else:
        body = json.loads(sent.body) if sent.body else None
    return {
        "method": sent.method,
        "path": sent.path,
        "query": sent.query,
        "headers": headers,
        "body": body,
    }


def last(server: FakeServer) -> dict[str, Any]:
    """The essentials of the newest request, then forget the requests."""
    sent = server.requests[-1]
    server.requests.clear()
    return essential(sent)


@pytest.fixture(autouse=True)
def _quiet_deprecations() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


# ----- OpenAI: videos (Sora) and images -----------------------------------------------------

VIDEO = {
    "id": "video_1",
    "object": "video",
    "model": "sora-2",
    "status": "completed",
    "progress": 100,
    "created_at": 1,
    "seconds": "8",
    "size": "1280x720",
}


def _openai(server: FakeServer) -> Any:
    openai = pytest.importorskip("openai", reason=SKIP)
    return openai.OpenAI(api_key=SECRET, base_url=server.url + "/v1", max_retries=0)


def test_openai_videos_create_retrieve_and_content(server: FakeServer, tmp_path: Path) -> None:
    client = _openai(server)
    server.on("POST", "/v1/videos", Reply(json=VIDEO))
    server.on("GET", "/v1/videos/video_1", Reply(json=VIDEO))
    server.on("GET", "/v1/videos/video_1/content", Reply(body=MP4, content_type="video/mp4"))
    sora = SoraProvider(base_url=server.url, api_key=SECRET)
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=8)

    handle = run(sora.submit(req))
    ours = last(server)
    client.videos.create(prompt=req.prompt, model="sora-2", seconds="8", size="1280x720")
    assert ours == last(server)

    run(sora.poll(handle))
    ours = last(server)
    client.videos.retrieve("video_1")
    assert ours == last(server)

    run(sora.fetch(handle, req, tmp_path))
    ours_download = server.requests[-1]
    server.requests.clear()
    client.videos.download_content("video_1")
    sdk_download = server.requests[-1]
    assert ours_download.path == sdk_download.path == "/v1/videos/video_1/content"
    assert ours_download.headers["authorization"] == sdk_download.headers["authorization"]


def test_openai_videos_input_reference_is_a_file_part(server: FakeServer, png: Path) -> None:
    client = _openai(server)
    server.on("POST", "/v1/videos", Reply(json=VIDEO))
    req = make_request("sora", "sora-2", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png})
    run(SoraProvider(base_url=server.url, api_key=SECRET).submit(req))
    ours = last(server)
    client.videos.create(
        prompt=req.prompt,
        model="sora-2",
        seconds="8",  # the shortest allowed length covering the 5 s clip
        size="1280x720",
        input_reference=("frame.png", png.read_bytes(), "image/png"),
    )
    assert ours == last(server)
    assert ours["body"]["files"] == ["input_reference"]


def test_openai_images_generate_and_edit(server: FakeServer, png: Path, tmp_path: Path) -> None:
    client = _openai(server)
    answer = Reply(json={"created": 1, "data": [{"b64_json": "aGk="}]})
    server.on("POST", "/v1/images/generations", answer)
    server.on("POST", "/v1/images/edits", answer)
    images = OpenAIImagesProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "s")

    req = make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE, width=1920, height=1080)
    run(images.submit(req))
    ours = last(server)
    client.images.generate(model="gpt-image-2", prompt=req.prompt, size="1536x1024", n=1)
    assert ours == last(server)

    refs = {"reference_0": png, "reference_1": png}
    req = make_request("openai", "gpt-image-2", Task.TEXT_TO_IMAGE, inputs=refs, size="1024x1024")
    run(images.submit(req))
    ours = last(server)
    client.images.edit(
        model="gpt-image-2",
        prompt=req.prompt,
        image=[(png.name, png.read_bytes(), "image/png")] * 2,
        size="1024x1024",
        n=1,
    )
    sdk = last(server)
    assert ours == sdk


# ----- Runway -------------------------------------------------------------------------------


def test_runway_image_to_video_text_to_image_and_task(server: FakeServer, png: Path) -> None:
    runwayml = pytest.importorskip("runwayml", reason=SKIP)
    client = runwayml.RunwayML(api_key=SECRET, base_url=server.url, max_retries=0)
    server.on("POST", "/v1/image_to_video", Reply(json={"id": "t1"}))
    server.on("POST", "/v1/text_to_image", Reply(json={"id": "t2"}))
    server.on("GET", "/v1/tasks/t1", Reply(json={"id": "t1", "status": "RUNNING"}))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET)
    uri = data_uri(png)

    req = make_request("runway", "gen4_turbo", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png})
    req = req.model_copy(update={"seed": 3})
    handle = run(runway.submit(req))
    ours = last(server)
    client.image_to_video.create(
        model="gen4_turbo",
        prompt_image=uri,
        prompt_text=req.prompt,
        ratio="1280:720",
        duration=5,
        seed=3,
    )
    assert ours == last(server)

    req = make_request(
        "runway",
        "gen4_image",
        Task.TEXT_TO_IMAGE,
        inputs={"reference_0": png},
        reference_tags=["hero"],
        width=1920,
        height=1080,
    )
    run(runway.submit(req))
    ours = last(server)
    client.text_to_image.create(
        model="gen4_image",
        prompt_text=req.prompt,
        ratio="1920:1080",
        reference_images=[{"uri": uri, "tag": "hero"}],
    )
    assert ours == last(server)

    run(runway.poll(handle))
    ours = last(server)
    client.tasks.retrieve("t1")
    assert ours == last(server)


# ----- Luma ---------------------------------------------------------------------------------


def test_luma_video_with_keyframes_and_get(server: FakeServer, png: Path) -> None:
    lumaai = pytest.importorskip("lumaai", reason=SKIP)
    base = server.url + "/dream-machine/v1"
    client = lumaai.LumaAI(auth_token=SECRET, base_url=base, max_retries=0)
    generation = {"id": "g1", "state": "queued", "model": "ray-2"}
    server.on("POST", "/dream-machine/v1/generations/video", Reply(json=generation))
    server.on("GET", "/dream-machine/v1/generations/g1", Reply(json=generation))
    luma = LumaProvider(base_url=base, api_key=SECRET)
    uri = data_uri(png)
    req = make_request(
        "luma",
        "ray-2",
        Task.IMAGE_TO_VIDEO,
        inputs={"first_frame": png, "last_frame": png},
        resolution="720p",
        clip_seconds=9,
    )
    handle = run(luma.submit(req))
    ours = last(server)
    client.generations.video.create(
        model="ray-2",
        prompt=req.prompt,
        aspect_ratio="16:9",
        resolution="720p",
        duration="9s",
        keyframes={
            "frame0": {"type": "image", "url": uri},
            "frame1": {"type": "image", "url": uri},
        },
    )
    assert ours == last(server)

    run(luma.poll(handle))
    ours = last(server)
    client.generations.get("g1")
    assert ours == last(server)


# ----- Replicate ----------------------------------------------------------------------------


def test_replicate_official_model_prediction_and_get(server: FakeServer, png: Path) -> None:
    replicate = pytest.importorskip("replicate", reason=SKIP)
    client = replicate.Client(api_token=SECRET, base_url=server.url)
    prediction = {
        "id": "p1",
        "status": "starting",
        "model": "kwaivgi/kling-v2.1",
        "version": "v",
        "input": {},
        "created_at": "2026-01-01T00:00:00Z",
        "urls": {},
    }
    server.on("POST", "/v1/models/kwaivgi/kling-v2.1/predictions", Reply(json=prediction))
    server.on("GET", "/v1/predictions/p1", Reply(json=prediction))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET)
    req = make_request(
        "replicate", "kwaivgi/kling-v2.1", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png}
    )
    handle = run(rep.submit(req))
    ours = last(server)
    # Written by hand, not copied from our body. Replicate's openapi_schema for this model is
    # not stored yet (docs/providers.md), so these names are ours, not the publisher's.
    client.models.predictions.create(
        model="kwaivgi/kling-v2.1",
        input={"prompt": req.prompt, "start_image": data_uri(png), "duration": 5},
    )
    assert ours == last(server)

    run(rep.poll(handle))
    ours = last(server)
    client.predictions.get("p1")
    assert ours == last(server)


# ----- fal ----------------------------------------------------------------------------------


def test_fal_queue_submit(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fal_client = pytest.importorskip("fal_client", reason=SKIP)
    monkeypatch.setattr(fal_client.client, "QUEUE_URL_FORMAT", server.url + "/")
    endpoint = "fal-ai/kling-video/v2.1/standard/text-to-video"
    server.on(
        "POST",
        "/" + endpoint,
        Reply(
            json={
                "request_id": "r1",
                "status_url": server.url + "/s",
                "response_url": server.url + "/r",
                "cancel_url": server.url + "/c",
            }
        ),
    )
    req = make_request("fal", endpoint, Task.TEXT_TO_VIDEO)
    run(FalProvider(base_url=server.url, api_key=SECRET).submit(req))
    ours = last(server)
    # Written from fal's published input schema for the endpoint (duration as a string enum,
    # aspect_ratio for text-to-video), not copied from our body.
    arguments = {"prompt": req.prompt, "duration": "5", "aspect_ratio": "16:9"}
    fal_client.SyncClient(key=SECRET).submit(endpoint, arguments=arguments)
    assert ours == last(server)


# ----- ElevenLabs ---------------------------------------------------------------------------


def test_elevenlabs_text_to_speech(server: FakeServer, tmp_path: Path) -> None:
    client_mod = pytest.importorskip("elevenlabs.client", reason=SKIP)
    client = client_mod.ElevenLabs(api_key=SECRET, base_url=server.url)
    path = "/v1/text-to-speech/voice9"
    server.on("POST", path, Reply(body=b"ID3 audio" * 4, content_type="audio/mpeg"))
    eleven = ElevenLabsProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path)
    req = make_request(
        "elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Hello there.", voice_id="voice9"
    )
    run(eleven.submit(req))
    ours = last(server)
    b"".join(
        client.text_to_speech.convert(
            "voice9",
            text="Hello there.",
            model_id="eleven_multilingual_v2",
            output_format="mp3_44100_128",
        )
    )
    assert ours == last(server)
