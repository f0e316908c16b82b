"""Inputs over each provider's inline cap go through its upload flow before the submission.

Each flow is driven twice at the same loopback server, once by the official SDK and once by the
adapter, and the requests compared (runwayml ``uploads.create_ephemeral``, fal-client
``upload_file(repository="fal")``, replicate ``files.create``). Faults of the upload step are
counted on the server: never a paid submission with a missing input.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shotrelay.errors import InvalidInput, TransientError
from shotrelay.providers.fal import FalProvider
from shotrelay.providers.replicate import ReplicateProvider
from shotrelay.providers.runway import RunwayProvider
from shotrelay.spec.vocabulary import Task

from .conftest import MP4, SECRET, make_request, run
from .fakeserver import FakeServer, Received, Reply
from .multipart import parse_multipart
from .test_sdk_equivalence import SKIP, essential

CAP = 512  # a test-sized inline cap: the clip below is over it, the PNG frame under it
FAL_QUEUE = {"request_id": "r1", "status_url": "s", "response_url": "r", "cancel_url": "c"}


@pytest.fixture(autouse=True)
def _quiet_deprecations() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(MP4 * 2)
    assert path.stat().st_size > CAP
    return path


def taken(server: FakeServer) -> list[Received]:
    """The requests so far, then forget them."""
    sent = list(server.requests)
    server.requests.clear()
    return sent


def wire(sent: Received) -> dict[str, Any]:
    """What must agree (``essential``), with a raw upload body compared byte for byte."""
    ctype = sent.headers.get("content-type", "")
    if ctype.startswith(("application/json", "multipart/")) or not sent.body:
        return essential(sent)
    return {**essential(sent.__class__(sent.method, sent.path, sent.query, sent.headers, b"")),
            "raw": sent.body}  # fmt: skip


def file_part(sent: Received, name: str) -> bytes:
    return parse_multipart(sent.headers["content-type"], sent.body)[name]


# ----- Runway: POST /v1/uploads, then the signed form POST, then runway:// -------------------


def _runway_uploads(server: FakeServer, *signed: Reply) -> None:
    started = {
        "runwayUri": "runway://uploads/u1",
        "uploadUrl": server.url + "/signed-upload?X-Amz-Signature=abc",
        "fields": {"key": "u1/clip.mp4", "policy": "p0l1cy"},
    }
    server.on("POST", "/v1/uploads", Reply(json=started))
    server.on("POST", "/signed-upload", *(signed or (Reply(status=204),)))


def test_runway_upload_matches_the_sdk_and_the_task_gets_the_runway_uri(
    server: FakeServer, clip: Path
) -> None:
    runwayml = pytest.importorskip("runwayml", reason=SKIP)
    client = runwayml.RunwayML(api_key=SECRET, base_url=server.url, max_retries=0)
    _runway_uploads(server)
    server.on("POST", "/v1/video_upscale", Reply(json={"id": "t1"}))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    req = make_request("runway", "magnific_video_upscaler_creative", Task.UPSCALE,
                       inputs={"video": clip})  # fmt: skip

    run(runway.submit(req))
    ours = taken(server)
    uri = client.uploads.create_ephemeral(file=clip).uri
    client.video_upscale.create(model="magnific_video_upscaler_creative", video_uri=uri)
    sdk = taken(server)

    assert uri == "runway://uploads/u1"
    assert [r.path for r in ours] == ["/v1/uploads", "/signed-upload", "/v1/video_upscale"]
    assert [wire(r) for r in ours] == [wire(r) for r in sdk]
    assert file_part(ours[1], "file") == file_part(sdk[1], "file") == clip.read_bytes()
    assert "authorization" not in ours[1].headers  # the signed URL never gets the key
    assert ours[2].json()["videoUri"] == "runway://uploads/u1"


def test_runway_inputs_under_the_cap_stay_inline(server: FakeServer, png: Path) -> None:
    server.on("POST", "/v1/image_to_video", Reply(json={"id": "t1"}))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    req = make_request("runway", "gen4_turbo", Task.IMAGE_TO_VIDEO, inputs={"first_frame": png})
    run(runway.submit(req))
    assert [r.path for r in server.requests] == ["/v1/image_to_video"]
    assert server.requests[0].json()["promptImage"].startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("signed", "kind"),
    [
        (Reply(status=503, body=b"slow down"), TransientError),
        (Reply(status=403, body=b"<Error>Request has expired</Error>"), TransientError),
        (Reply(status=413, body=b"too large"), InvalidInput),
    ],
)
def test_runway_failed_upload_submits_nothing(
    server: FakeServer, clip: Path, signed: Reply, kind: type[Exception]
) -> None:
    _runway_uploads(server, signed)
    server.on("POST", "/v1/video_upscale", Reply(json={"id": "t1"}))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    req = make_request("runway", "magnific_video_upscaler_creative", Task.UPSCALE,
                       inputs={"video": clip})  # fmt: skip
    with pytest.raises(kind) as caught:
        run(runway.submit(req))
    assert "nothing was submitted" in str(caught.value)
    assert "X-Amz-Signature" not in str(caught.value)  # the signature stays out of messages
    assert server.received("POST", "/v1/video_upscale") == []


def test_runway_upload_timeout_and_start_failures_submit_nothing(
    server: FakeServer, clip: Path
) -> None:
    server.on("POST", "/v1/video_upscale", Reply(json={"id": "t1"}))
    req = make_request("runway", "magnific_video_upscaler_creative", Task.UPSCALE,
                       inputs={"video": clip})  # fmt: skip
    _runway_uploads(server, Reply(status=204, delay=1.0))
    slow = RunwayProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP,
                          timeout=httpx.Timeout(0.2))  # fmt: skip
    with pytest.raises(TransientError, match="timed out"):
        run(slow.submit(req))

    server.on("POST", "/v1/uploads", Reply(status=500, json={"error": "internal"}))
    runway = RunwayProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    with pytest.raises(TransientError):
        run(runway.submit(req))

    server.on("POST", "/v1/uploads", Reply(json={"runwayUri": "runway://uploads/u1"}))
    with pytest.raises(TransientError, match="uploadUrl"):
        run(runway.submit(req))
    assert server.received("POST", "/v1/video_upscale") == []


# ----- fal: storage initiate, PUT to the signed URL, the file URL in the body ----------------


def _fal_storage(server: FakeServer, *put: Reply, host: str = "127.0.0.1") -> None:
    initiated = {
        "upload_url": server.url.replace("127.0.0.1", host) + "/bucket/clip.mp4?sig=s3cr3t",
        "file_url": "https://v3.fal.media/files/clip.mp4",
    }
    server.on("POST", "/storage/upload/initiate", Reply(json=initiated))
    server.on("PUT", "/bucket/clip.mp4", *(put or (Reply(status=200),)))


def _fal(server: FakeServer) -> FalProvider:
    return FalProvider(base_url=server.url, rest_url=server.url, api_key=SECRET,
                       inline_max_bytes=CAP)  # fmt: skip


def test_fal_storage_upload_matches_the_sdk_and_the_body_gets_the_file_url(
    server: FakeServer, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fal_client = pytest.importorskip("fal_client", reason=SKIP)
    monkeypatch.setattr(fal_client.client, "REST_URL", server.url)
    monkeypatch.setattr(fal_client.client, "QUEUE_URL_FORMAT", server.url + "/")
    endpoint = "fal-ai/topaz/upscale/video"
    _fal_storage(server)
    server.on("POST", "/" + endpoint, Reply(json=FAL_QUEUE))
    req = make_request("fal", endpoint, Task.UPSCALE, inputs={"video": clip})

    run(_fal(server).submit(req))
    ours = taken(server)
    client = fal_client.SyncClient(key=SECRET)
    url = client.upload_file(clip, repository="fal")
    client.submit(endpoint, arguments={"video_url": url})
    sdk = taken(server)

    assert [r.path for r in ours] == [
        "/storage/upload/initiate",
        "/bucket/clip.mp4",
        "/" + endpoint,
    ]
    assert [wire(r) for r in ours] == [wire(r) for r in sdk]
    assert ours[1].body == sdk[1].body == clip.read_bytes()
    assert ours[2].json() == {"video_url": "https://v3.fal.media/files/clip.mp4"}


@pytest.mark.parametrize(
    ("initiate", "put"),
    [
        (Reply(status=502, body=b"bad gateway"), Reply(status=200)),
        (Reply(json={"file_url": "https://v3.fal.media/x"}), Reply(status=200)),  # no upload_url
        (None, Reply(status=500, body=b"storage down")),
    ],
)
def test_fal_failed_upload_submits_nothing(
    server: FakeServer, clip: Path, initiate: Reply | None, put: Reply
) -> None:
    endpoint = "fal-ai/topaz/upscale/video"
    _fal_storage(server, put)
    if initiate is not None:
        server.on("POST", "/storage/upload/initiate", initiate)
    server.on("POST", "/" + endpoint, Reply(json=FAL_QUEUE))
    req = make_request("fal", endpoint, Task.UPSCALE, inputs={"video": clip})
    with pytest.raises(TransientError):
        run(_fal(server).submit(req))
    assert server.received("POST", "/" + endpoint) == []


def test_fal_key_goes_only_to_fals_own_storage_host(server: FakeServer, clip: Path) -> None:
    # The SDK's client sends its key with every request, the signed PUT included; a signed URL
    # on another host (a storage bucket) never gets it from us.
    endpoint = "fal-ai/topaz/upscale/video"
    _fal_storage(server, host="localhost")
    server.on("POST", "/" + endpoint, Reply(json=FAL_QUEUE))
    req = make_request("fal", endpoint, Task.UPSCALE, inputs={"video": clip})
    run(_fal(server).submit(req))
    (put,) = server.received("PUT", "/bucket/clip.mp4")
    assert put.headers["host"].startswith("localhost")
    assert "authorization" not in put.headers
    assert put.body == clip.read_bytes()


# ----- Replicate: POST /v1/files, then the file's urls.get in the input ----------------------

FILE = {
    "id": "f1",
    "name": "clip.mp4",
    "content_type": "video/mp4",
    "size": 2080,
    "etag": "e",
    "checksums": {},
    "metadata": {},
    "created_at": "2026-12-02T00:00:00Z",
    "expires_at": None,
    "urls": {"get": "https://api.replicate.com/v1/files/f1/download"},
}
PREDICTION: dict[str, Any] = {
    "id": "p1", "status": "starting", "model": "m", "version": "v", "input": {},
    "created_at": "2026-12-02T00:00:00Z", "urls": {},
}  # fmt: skip


def test_replicate_files_upload_matches_the_sdk_and_the_input_gets_its_url(
    server: FakeServer, clip: Path
) -> None:
    replicate = pytest.importorskip("replicate", reason=SKIP)
    client = replicate.Client(api_token=SECRET, base_url=server.url)
    model = "topazlabs/video-upscale"
    server.on("POST", "/v1/files", Reply(json=FILE))
    server.on("POST", f"/v1/models/{model}/predictions", Reply(json=PREDICTION))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    req = make_request("replicate", model, Task.UPSCALE, inputs={"video": clip}, aspect=None,
                       clip_seconds=None, prompt="")  # fmt: skip

    run(rep.submit(req))
    ours = taken(server)
    with clip.open("rb") as handle:
        url = client.files.create(handle).urls["get"]
    client.models.predictions.create(model=model, input={"video": url})
    sdk = taken(server)

    assert [r.path for r in ours] == ["/v1/files", f"/v1/models/{model}/predictions"]
    assert [wire(r) for r in ours] == [wire(r) for r in sdk]
    assert file_part(ours[0], "content") == file_part(sdk[0], "content") == clip.read_bytes()
    assert ours[1].json() == {"input": {"video": FILE["urls"]["get"]}}


@pytest.mark.parametrize(
    "answer",
    [Reply(status=503, json={"detail": "unavailable"}), Reply(json={"id": "f1", "urls": {}})],
)
def test_replicate_failed_upload_submits_nothing(
    server: FakeServer, clip: Path, answer: Reply
) -> None:
    model = "topazlabs/video-upscale"
    server.on("POST", "/v1/files", answer)
    server.on("POST", f"/v1/models/{model}/predictions", Reply(json=PREDICTION))
    rep = ReplicateProvider(base_url=server.url, api_key=SECRET, inline_max_bytes=CAP)
    req = make_request("replicate", model, Task.UPSCALE, inputs={"video": clip})
    with pytest.raises(TransientError):
        run(rep.submit(req))
    assert server.received("POST", f"/v1/models/{model}/predictions") == []


def test_a_lost_answer_is_still_looked_up_when_an_input_was_uploaded(
    server: FakeServer, clip: Path
) -> None:
    # The listing echoes the input with the storage URL, which differs on every upload:
    # the lookup compares prompt and settings, and never tries to inline the large input.
    endpoint = "fal-ai/topaz/upscale/video"
    fal = _fal(server)
    req = make_request("fal", endpoint, Task.UPSCALE, inputs={"video": clip})
    echoed = {"prompt": req.prompt, "video_url": "https://v3.fal.media/files/other.mp4"}
    listed = {"items": [{"request_id": "r9", "endpoint_id": endpoint, "status_code": 200,
                         "json_input": echoed}],
              "has_more": False}  # fmt: skip
    call = fal.listing_call(req, None)
    assert call is not None
    page = fal.listing_page(listed, req, call)
    assert [c.remote_id for c in page.candidates] == ["r9"]
