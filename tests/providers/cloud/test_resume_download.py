"""A cut download resumes where it stopped when the server allows ranges, and starts again
whole when it does not (or when the file changed); the bytes on disk are always the output's."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.errors import TransientError
from shotrelay.providers.fal import FalProvider

from .conftest import MP4, SECRET, run
from .fakeserver import FakeServer, Reply

RANGES = {"Accept-Ranges": "bytes", "ETag": '"v1"'}
CUT = 100


def _fal(server: FakeServer) -> FalProvider:
    return FalProvider(base_url=server.url, api_key=SECRET)


def _rest(start: int, etag: str = '"v1"') -> Reply:
    return Reply(
        status=206,
        body=MP4[start:],
        content_type="video/mp4",
        headers={
            **RANGES,
            "ETag": etag,
            "Content-Range": f"bytes {start}-{len(MP4) - 1}/{len(MP4)}",
        },
    )


def test_a_cut_download_resumes_with_range_and_if_range(server: FakeServer, tmp_path: Path) -> None:
    first = Reply(body=MP4, content_type="video/mp4", headers=RANGES, truncate_to=CUT)
    server.on("GET", "/media", first, _rest(CUT))
    fal = _fal(server)
    with pytest.raises(TransientError, match="bytes kept for resuming"):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    path, media_type = run(fal.download(server.url + "/media", tmp_path, stem="out"))
    assert path.read_bytes() == MP4 and media_type == "video/mp4"
    second = server.received("GET", "/media")[1]
    assert second.headers["range"] == f"bytes={CUT}-" and second.headers["if-range"] == '"v1"'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4"]  # nothing left behind


def test_without_accept_ranges_the_download_starts_again_whole(
    server: FakeServer, tmp_path: Path
) -> None:
    cut = Reply(body=MP4, content_type="video/mp4", truncate_to=CUT)
    server.on("GET", "/media", cut, Reply(body=MP4, content_type="video/mp4"))
    fal = _fal(server)
    with pytest.raises(TransientError, match="incomplete"):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    path, _ = run(fal.download(server.url + "/media", tmp_path, stem="out"))
    assert path.read_bytes() == MP4
    assert "range" not in server.received("GET", "/media")[1].headers


def test_a_weak_etag_never_guards_a_range(server: FakeServer, tmp_path: Path) -> None:
    weak = {"Accept-Ranges": "bytes", "ETag": 'W/"v1"'}
    cut = Reply(body=MP4, content_type="video/mp4", headers=weak, truncate_to=CUT)
    server.on("GET", "/media", cut, Reply(body=MP4, content_type="video/mp4"))
    fal = _fal(server)
    with pytest.raises(TransientError):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    run(fal.download(server.url + "/media", tmp_path, stem="out"))
    assert "range" not in server.received("GET", "/media")[1].headers


def test_a_changed_file_comes_back_whole_and_replaces_the_kept_bytes(
    server: FakeServer, tmp_path: Path
) -> None:
    new = bytes(reversed(MP4[32:])) + MP4[:32]
    first = Reply(body=MP4, content_type="video/mp4", headers=RANGES, truncate_to=CUT)
    # If-Range no longer matches: the server sends the new file whole, as HTTP says.
    whole = Reply(body=new, content_type="video/mp4", headers={**RANGES, "ETag": '"v2"'})
    server.on("GET", "/media", first, whole)
    fal = _fal(server)
    with pytest.raises(TransientError):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    path, _ = run(fal.download(server.url + "/media", tmp_path, stem="out"))
    assert path.read_bytes() == new


def test_a_range_that_starts_elsewhere_is_not_spliced(server: FakeServer, tmp_path: Path) -> None:
    first = Reply(body=MP4, content_type="video/mp4", headers=RANGES, truncate_to=CUT)
    server.on("GET", "/media", first, _rest(CUT + 7), Reply(body=MP4, content_type="video/mp4"))
    fal = _fal(server)
    with pytest.raises(TransientError):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    with pytest.raises(TransientError, match="wrong offset"):
        run(fal.download(server.url + "/media", tmp_path, stem="out"))
    path, _ = run(fal.download(server.url + "/media", tmp_path, stem="out"))
    assert path.read_bytes() == MP4
    assert "range" not in server.received("GET", "/media")[2].headers
