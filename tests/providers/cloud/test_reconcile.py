"""Reconciling a lost submission answer: each adapter's ``find`` against its listing.

Listing bodies are built from the official SDKs' response models (lumaai ``Generation``,
replicate ``Prediction``, openai ``Video``, elevenlabs ``GetSpeechHistoryResponse``), so a
renamed field fails here. fal's platform listing and sync.so's generations list have no
installed SDK type: their items follow the published schemas (fal.ai/docs/platform-apis/v1/
models/requests/by-endpoint, sync.so/docs/api-reference/api/generate-api/list).

``find`` only returns candidates: whether a returned remote id already belongs to another job
is the engine's check (it knows the journal), so a test here shows only that a job of another
model or prompt is never returned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from elevenlabs.types import GetSpeechHistoryResponse, SpeechHistoryItemResponse
from lumaai.types import Generation
from openai.types import Video
from replicate.prediction import Prediction

from shotrelay.errors import SubmissionUnknown, TransientError
from shotrelay.providers.elevenlabs import DEFAULT_VOICE, ElevenLabsProvider
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.luma import LumaProvider
from shotrelay.providers.openai import OpenAIImagesProvider
from shotrelay.providers.reconcile import MAX_PAGES, SKEW_S, parse_time
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sora import SoraProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.providers.veo import VeoProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Reply

SINCE = 1_780_000_000.0  # when the lost submission started (Unix s)
ISO_AFTER = "2026-05-28T20:27:10.123456Z"  # SINCE + 30 s
ISO_BEFORE = "2026-05-28T19:00:00Z"  # well before SINCE - SKEW_S
MP3 = b"ID3\x04\x00 tiny mp3 frames" * 8


def test_timestamps_parse_in_every_provider_format() -> None:
    assert parse_time(ISO_AFTER) == pytest.approx(SINCE + 30.123456)
    assert parse_time("2026-05-28T20:27:10.123456789Z") == pytest.approx(SINCE + 30.123456)
    assert parse_time("2026-05-28T22:27:10+02:00") == SINCE + 30
    assert parse_time(int(SINCE)) == SINCE
    assert parse_time("yesterday") is None and parse_time(None) is None


# ----- Luma ---------------------------------------------------------------------------------


def luma_item(gid: str, request: Any, *, created: str = ISO_AFTER, **over: Any) -> Any:
    echoed = {
        "model": "ray-2",
        "prompt": request.prompt,
        "duration": "5s",
        "aspect_ratio": "16:9",
        "generation_type": "video",
    }
    fields = {"id": gid, "created_at": created, "state": "dreaming", "request": echoed}
    for key, value in over.items():
        if key in echoed:
            echoed[key] = value
        else:
            fields[key] = value
    return Generation.model_validate(fields).model_dump(mode="json", exclude_none=True)


def luma_page(*items: Any, has_more: bool = False, offset: int = 0) -> Reply:
    body = {"generations": list(items), "has_more": has_more, "offset": offset, "limit": 100}
    return Reply(json=body)


def luma(server: FakeServer) -> LumaProvider:
    return LumaProvider(base_url=server.url, api_key=SECRET)


def test_luma_finds_the_one_generation_made_since_the_submission(server: FakeServer) -> None:
    req = make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)
    server.on(
        "GET",
        "/generations",
        luma_page(
            luma_item("other-prompt", req, prompt="a blue kite"),
            luma_item("other-model", req, model="ray-flash-2"),
            luma_item("other-length", req, duration="9s"),
            luma_item("failed", req, state="failed"),
            luma_item("mine", req),
            luma_item("old", req, created=ISO_BEFORE),
        ),
    )
    handle = run(luma(server).find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "mine"
    assert handle.data == {"model": req.model.id}


def test_luma_older_than_since_is_absent_and_absent_is_none(server: FakeServer) -> None:
    req = make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)
    server.on("GET", "/generations", luma_page(luma_item("old", req, created=ISO_BEFORE)))
    assert run(luma(server).find(req, since=SINCE)) is None


def test_luma_two_equal_matches_are_unknown_naming_both(server: FakeServer) -> None:
    req = make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)
    server.on("GET", "/generations", luma_page(luma_item("a", req), luma_item("b", req)))
    with pytest.raises(SubmissionUnknown, match=r"2 listed jobs match.*a, b"):
        run(luma(server).find(req, since=SINCE))


def test_luma_pages_by_offset_until_the_listing_reaches_since(server: FakeServer) -> None:
    req = make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)
    recent = [luma_item(f"n{i}", req, prompt=f"shot {i}") for i in range(100)]
    server.on(
        "GET",
        "/generations",
        luma_page(*recent, has_more=True),
        luma_page(
            luma_item("mine", req),
            luma_item("old", req, created=ISO_BEFORE),
            has_more=True,
            offset=100,
        ),
    )
    handle = run(luma(server).find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "mine"
    offsets = [r.query["offset"] for r in server.received("GET", "/generations")]
    assert offsets == [["0"], ["100"]]  # the older page was enough: it reached past SINCE


def test_a_listing_that_never_reaches_since_is_unknown(server: FakeServer) -> None:
    req = make_request("luma", "ray-2", Task.TEXT_TO_VIDEO)
    page = [luma_item(f"n{i}", req, prompt=f"shot {i}") for i in range(100)]
    server.on("GET", "/generations", luma_page(*page, has_more=True))
    with pytest.raises(SubmissionUnknown, match=f"{MAX_PAGES} listing pages"):
        run(luma(server).find(req, since=SINCE))
    assert len(server.received("GET", "/generations")) == MAX_PAGES


# ----- Replicate ----------------------------------------------------------------------------


def prediction(pid: str, request: Any, *, created: str = ISO_AFTER, **over: Any) -> Any:
    fields: dict[str, Any] = {
        "id": pid,
        "model": "google/veo-3",
        "version": "v1",
        "status": "processing",
        "input": {"prompt": request.prompt, "duration": 5, "aspect_ratio": "16:9"},
        "output": None,
        "logs": None,
        "error": None,
        "metrics": None,
        "created_at": created,
        "started_at": None,
        "completed_at": None,
        "urls": {},
    }
    fields.update(over)
    return Prediction(**fields).dict()


def test_replicate_follows_next_and_skips_other_models_and_aborted(server: FakeServer) -> None:
    req = make_request("replicate", "google/veo-3", Task.TEXT_TO_VIDEO)
    first = {
        "results": [
            prediction("other-model", req, model="kwaivgi/kling-v2"),
            # The SDK's status Literal predates "aborted" (the API ends predictions so too).
            {**prediction("aborted", req), "status": "aborted"},
            prediction("canceled", req, status="canceled"),
            prediction("other-prompt", req, input={"prompt": "a blue kite"}),
        ],
        # Replicate answers an absolute URL; only its path and query are followed.
        "next": "https://api.replicate.com/v1/predictions?cursor=cD0yMDI2",
        "previous": None,
    }
    second = {"results": [prediction("mine", req)], "next": None, "previous": None}
    server.on("GET", "/v1/predictions", Reply(json=first), Reply(json=second))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET)
    handle = run(rep.find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "mine"
    assert server.received("GET", "/v1/predictions")[1].query == {"cursor": ["cD0yMDI2"]}


# ----- Sora ---------------------------------------------------------------------------------


def video(vid: str, request: Any, *, created: float = SINCE + 5, **over: Any) -> Any:
    fields = {
        "id": vid,
        "created_at": int(created),
        "model": "sora-2",
        "object": "video",
        "progress": 0,
        "prompt": request.prompt,
        "seconds": "4",
        "size": "1280x720",
        "status": "queued",
    }
    fields.update(over)
    return Video.model_validate(fields).model_dump(mode="json")


def sora(server: FakeServer) -> SoraProvider:
    return SoraProvider(base_url=server.url, api_key=SECRET)


def test_sora_matches_by_time_and_pages_with_after(server: FakeServer) -> None:
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=4)
    server.on(
        "GET",
        "/v1/videos",
        Reply(
            json={
                "data": [
                    video("v_failed", req, status="failed"),
                    video("v_big", req, size="1792x1024"),
                ],
                "has_more": True,
                "last_id": "v_big",
            }
        ),
        Reply(
            json={
                "data": [video("v_mine", req), video("v_old", req, created=SINCE - 999)],
                "has_more": True,
                "last_id": "v_old",
            }
        ),
    )
    handle = run(sora(server).find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "v_mine"
    assert server.received("GET", "/v1/videos")[1].query["after"] == ["v_big"]


def test_sora_skew_allowance_keeps_a_job_listed_just_before_since(server: FakeServer) -> None:
    req = make_request("sora", "sora-2", Task.TEXT_TO_VIDEO, clip_seconds=4)
    listed = [
        video("v_skewed", req, created=SINCE - SKEW_S / 2),
        video("v_twin", req, created=SINCE + 1),
    ]
    server.on("GET", "/v1/videos", Reply(json={"data": listed, "has_more": False}))
    with pytest.raises(SubmissionUnknown, match="v_skewed, v_twin"):
        run(sora(server).find(req, since=SINCE))


# ----- sync.so ------------------------------------------------------------------------------


def test_sync_so_finds_the_generation_with_our_model_and_inputs(
    server: FakeServer, tmp_path: Path
) -> None:
    clip, line = tmp_path / "clip.mp4", tmp_path / "line.wav"
    clip.write_bytes(MP4)
    line.write_bytes(b"RIFF....WAVEfmt ")
    req = make_request("sync", "lipsync-2", Task.LIPSYNC, inputs={"video": clip, "audio": line})

    def item(gid: str, **over: Any) -> dict[str, Any]:
        base = {
            "id": gid,
            "createdAt": ISO_AFTER,
            "status": "PROCESSING",
            "model": "lipsync-2",
            "input": [
                {"type": "video", "url": "https://cdn.sync.so/v.mp4"},
                {"type": "audio", "url": "https://cdn.sync.so/a.wav"},
            ],
            "options": {"sync_mode": "cut_off"},
            "outputUrl": None,
            "error": None,
        }
        return {**base, **over}

    other_inline = [
        {"type": "video", "url": "data:video/mp4;base64,AAAA"},
        {"type": "audio", "url": "data:audio/wav;base64,AAAA"},
    ]
    listed = [
        item("pro", model="lipsync-2-pro"),
        item("rejected", status="REJECTED"),
        item("other-inline", input=other_inline),
        item("mine"),
        item("old", createdAt="2026-05-27T10:00:00Z"),
    ]
    server.on("GET", "/v2/generations", Reply(json=listed))
    handle = run(SyncSoProvider(base_url=server.url, api_key=SECRET).find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "mine"
    assert server.received("GET", "/v2/generations")[0].query["limit"] == ["100"]


# ----- fal ----------------------------------------------------------------------------------

KLING = "fal-ai/kling-video/v2.1/pro/text-to-video"
BY_ENDPOINT = "/platform/models/requests/by-endpoint"


def fal(server: FakeServer, now: float) -> FalProvider:
    return FalProvider(
        base_url=server.url,
        platform_url=f"{server.url}/platform",
        api_key=SECRET,
        clock=lambda: now,
    )


def fal_item(rid: str, request: Any, **over: Any) -> dict[str, Any]:
    base = {
        "request_id": rid,
        "endpoint_id": KLING,
        "sent_at": ISO_AFTER,
        "started_at": ISO_AFTER,
        "ended_at": ISO_AFTER,
        "status_code": 200,
        "duration": 7.8,
        "json_input": {"prompt": request.prompt, "duration": "5"},
    }
    return {**base, **over}


def test_fal_finds_a_listed_request_and_rebuilds_its_queue_urls(server: FakeServer) -> None:
    req = make_request("fal", KLING, Task.TEXT_TO_VIDEO)
    server.on(
        "GET",
        BY_ENDPOINT,
        Reply(
            json={
                "items": [
                    fal_item("err", req, status_code=500),
                    fal_item("other", req, json_input={"prompt": "a blue kite"}),
                ],
                "next_cursor": "Mg==",
                "has_more": True,
            }
        ),
        Reply(json={"items": [fal_item("mine", req)], "next_cursor": None, "has_more": False}),
    )
    handle = run(fal(server, SINCE + 60).find(req, since=SINCE))
    assert handle is not None and handle.remote_id == "mine"
    base = f"{server.url}/fal-ai/kling-video/requests/mine"
    assert handle.data["status_url"] == f"{base}/status"
    assert handle.data["response_url"] == base and handle.data["cancel_url"] == f"{base}/cancel"
    first, second = server.received("GET", BY_ENDPOINT)
    assert first.query["endpoint_id"] == [KLING] and first.query["expand"] == ["payloads"]
    assert first.query["start"] == ["2026-05-28T20:24:40Z"]  # SINCE - SKEW_S
    assert first.headers["authorization"] == f"Key {SECRET}"
    assert second.query["cursor"] == ["Mg=="]


def test_fal_absent_is_ask_later_until_it_would_have_ended(server: FakeServer) -> None:
    req = make_request("fal", KLING, Task.TEXT_TO_VIDEO)
    server.on("GET", BY_ENDPOINT, Reply(json={"items": [], "has_more": False}))
    with pytest.raises(TransientError, match="not listed yet") as caught:
        run(fal(server, SINCE + 60).find(req, since=SINCE))
    assert not isinstance(caught.value, SubmissionUnknown)
    assert run(fal(server, SINCE + 3 * 3600).find(req, since=SINCE)) is None
    with pytest.raises(SubmissionUnknown, match="submission time is unknown"):
        run(fal(server, SINCE).find(req))


def test_fal_requests_without_stored_inputs_cannot_be_told_apart(server: FakeServer) -> None:
    req = make_request("fal", KLING, Task.TEXT_TO_VIDEO)
    items = [fal_item("r1", req, json_input=None), fal_item("r2", req, json_input=None)]
    server.on("GET", BY_ENDPOINT, Reply(json={"items": items, "has_more": False}))
    with pytest.raises(SubmissionUnknown, match="r1, r2"):
        run(fal(server, SINCE + 60).find(req, since=SINCE))


# ----- ElevenLabs ---------------------------------------------------------------------------


def history_item(hid: str, text: str, **over: Any) -> SpeechHistoryItemResponse:
    fields = {
        "history_item_id": hid,
        "text": text,
        "voice_id": DEFAULT_VOICE,
        "model_id": "eleven_multilingual_v2",
        "date_unix": int(SINCE) + 2,
        "character_count_change_from": 0,
        "character_count_change_to": len(text),
        "content_type": "audio/mpeg",
        "state": "created",
    }
    return SpeechHistoryItemResponse(**{**fields, **over})


def test_elevenlabs_adopts_the_history_item_and_downloads_its_audio(
    server: FakeServer, tmp_path: Path
) -> None:
    req = make_request("elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Take two.")
    history = GetSpeechHistoryResponse(
        history=[history_item("h_other", "Take one."), history_item("h_mine", "Take two.")],
        has_more=False,
        last_history_item_id="h_mine",
    )
    server.on("GET", "/v1/history", Reply(json=history.dict()))
    server.on("GET", "/v1/history/h_mine/audio", Reply(body=MP3, content_type="audio/mpeg"))
    p = ElevenLabsProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "spool")
    handle = run(p.find(req, since=SINCE))
    assert handle is not None
    listed = server.received("GET", "/v1/history")[0].query
    assert listed["voice_id"] == [DEFAULT_VOICE]
    assert listed["model_id"] == ["eleven_multilingual_v2"]
    assert listed["date_after_unix"] == [str(int(SINCE - SKEW_S))]
    result = run(p.fetch(handle, req, tmp_path / "out"))
    assert result.path.read_bytes() == MP3 and result.media_type == "audio/mpeg"
    assert not list((tmp_path / "spool").glob("*.part"))


def test_elevenlabs_absent_from_history_is_none(server: FakeServer, tmp_path: Path) -> None:
    req = make_request("elevenlabs", "eleven_multilingual_v2", Task.TTS, text="Take two.")
    empty = GetSpeechHistoryResponse(history=[], has_more=False)
    server.on("GET", "/v1/history", Reply(json=empty.dict()))
    p = ElevenLabsProvider(base_url=server.url, api_key=SECRET, spool_dir=tmp_path / "spool")
    assert run(p.find(req, since=SINCE)) is None


# ----- providers with no way to tell --------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "task"),
    [
        (RunwayProvider, "gen4_turbo", Task.TEXT_TO_VIDEO),
        (VeoProvider, "veo-3.1-generate-preview", Task.TEXT_TO_VIDEO),
        (OpenAIImagesProvider, "gpt-image-2", Task.TEXT_TO_IMAGE),
    ],
)
def test_no_listing_means_not_implemented_with_what_to_check(
    provider: Any, model: str, task: Task, server: FakeServer, tmp_path: Path
) -> None:
    kwargs: dict[str, Any] = {"base_url": server.url, "api_key": SECRET}
    if provider is OpenAIImagesProvider:
        kwargs["spool_dir"] = tmp_path / "spool"
    req = make_request(provider.name, model, task)
    with pytest.raises(NotImplementedError, match="resubmit or abandon"):
        run(provider(**kwargs).find(req, since=SINCE))
    assert server.requests == []
