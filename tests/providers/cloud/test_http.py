"""Unit checks of the shared mechanism: Retry-After, status classes, download verification."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from shotrelay.errors import (
    AuthError,
    InvalidInput,
    QuotaError,
    RateLimited,
    Rejected,
    TransientError,
)
from shotrelay.providers.http import (
    classify_status,
    data_uri,
    error_detail,
    parse_retry_after,
)
from shotrelay.providers.runway import RunwayProvider

from .conftest import MP4, SECRET, run


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30.0
    assert parse_retry_after("Wed, 25 Nov 2026 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Wed, 25 Nov 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (429, RateLimited),
        (500, TransientError),
        (503, TransientError),
        (408, TransientError),
        (400, InvalidInput),
        (422, InvalidInput),
        (401, AuthError),
        (403, AuthError),
        (402, QuotaError),
    ],
)
def test_http_status_classes(status: int, kind: type[Exception]) -> None:
    err = classify_status(status, "m", retry_after=3.0, provider="p", model="x")
    assert type(err) is kind and err.provider == "p" and err.model == "x"


def test_adapter_override_wins_over_the_status_class() -> None:
    assert type(classify_status(400, "m", override=Rejected)) is Rejected


def test_rate_limited_keeps_retry_after() -> None:
    err = classify_status(429, "m", retry_after=7.5)
    assert isinstance(err, RateLimited) and err.retry_after == 7.5


def test_error_detail_reads_common_body_shapes() -> None:
    assert error_detail({"error": {"message": "quota"}}) == "quota"
    assert error_detail({"detail": [{"msg": "bad field"}]}) == "bad field"
    assert error_detail(None, "plain  text\nbody") == "plain text body"


def test_data_uri_refuses_files_over_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"x" * 50)
    assert data_uri(big, max_bytes=50).startswith("data:image/png;base64,")
    with pytest.raises(InvalidInput, match="inline limit"):
        data_uri(big, max_bytes=49)
    with pytest.raises(InvalidInput, match="cannot read"):
        data_uri(tmp_path / "missing.png")


def _mock(handler: httpx.MockTransport) -> RunwayProvider:
    return RunwayProvider(base_url="https://api.test", api_key=SECRET, transport=handler)


def test_short_body_against_content_length_is_transient(tmp_path: Path) -> None:
    # The mock transport ends the stream cleanly, so only our own length check can catch it.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "video/mp4", "content-length": str(len(MP4) + 10)},
            content=MP4,
        )

    with pytest.raises(TransientError, match="truncated"):
        run(
            _mock(httpx.MockTransport(handler)).download(
                "https://cdn.test/a.mp4", tmp_path, stem="j"
            )
        )
    assert list(tmp_path.iterdir()) == []


def test_octet_stream_download_takes_the_adapters_type_hint(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/octet-stream"}, content=MP4
        )

    path, media = run(
        _mock(httpx.MockTransport(handler)).download(
            "https://cdn.test/blob", tmp_path, stem="j", hint="video/mp4"
        )
    )
    assert media == "video/mp4" and path == tmp_path / "j.mp4"


def test_auth_headers_are_built_per_request_and_not_sent_to_cdn(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "video/mp4"}, content=MP4)

    provider = _mock(httpx.MockTransport(handler))
    run(provider.download("https://cdn.test/a.mp4", tmp_path, stem="a", authorized=True))
    run(provider.download("https://api.test/a.mp4", tmp_path, stem="b", authorized=True))
    assert "authorization" not in seen[0].headers
    assert seen[1].headers["authorization"] == f"Bearer {SECRET}"
