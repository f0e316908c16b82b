"""Downloads that survive a cut connection: the bytes received so far are kept beside the
output, and the next attempt asks only for the rest where the server allows ranges.

A partial file is resumed only when the server said ``Accept-Ranges: bytes`` and gave a strong
validator (an ``ETag`` or ``Last-Modified``); the next request sends ``Range`` with ``If-Range``,
so a changed file comes back whole (200) instead of being spliced onto the old bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from shotrelay.errors import InvalidInput, TransientError
from shotrelay.providers.http.media import Fail, extension, media_type_of

__all__ = ["Partial", "save_resumable"]

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class Partial:
    """The kept bytes of one download (``.<stem>.partial``) and the validator they match."""

    def __init__(self, dest: Path, stem: str) -> None:
        self.path = dest / f".{stem}.partial"
        self._validator = dest / f".{stem}.partial.validator"

    def range_headers(self) -> dict[str, str]:
        """``Range`` and ``If-Range`` for the rest of the file, or nothing to resume."""
        if not (self.path.is_file() and self._validator.is_file()):
            return {}
        size = self.path.stat().st_size
        if size == 0:
            return {}
        return {"Range": f"bytes={size}-", "If-Range": self._validator.read_text()}

    def remember(self, response: httpx.Response) -> bool:
        """Keep the validator when the server allows resuming; whether it does."""
        headers = response.headers
        validator = headers.get("etag") or headers.get("last-modified") or ""
        resumable = (
            headers.get("accept-ranges", "").lower() == "bytes"
            and bool(validator)
            and not validator.startswith("W/")  # a weak ETag cannot guard a byte range
            and headers.get("content-encoding", "identity") == "identity"
        )
        if resumable:
            self._validator.write_text(validator)
        else:
            self._validator.unlink(missing_ok=True)
        return resumable

    def discard(self) -> None:
        """Forget the kept bytes."""
        self.path.unlink(missing_ok=True)
        self._validator.unlink(missing_ok=True)


async def save_resumable(
    response: httpx.Response,
    partial: Partial,
    dest: Path,
    *,
    stem: str,
    hint: str | None,
    max_bytes: int,
    fail: Fail,
) -> tuple[Path, str]:
    """Stream a 200 or 206 answer into ``dest/stem.<ext>`` through the partial file.

    Checks the media type, the size cap and the length; on a cut connection the bytes stay
    in the partial file when the server allows resuming (the caller's error goes on up).
    """
    media_type = media_type_of(response.headers.get("content-type", ""), str(response.url), hint)
    if media_type is None:
        partial.discard()
        ctype = response.headers.get("content-type", "")
        raise fail(TransientError, f"download answered {ctype!r}, not a media file")
    offset, total = _span(response, partial, fail)
    if total is not None and total > max_bytes:
        partial.discard()
        raise fail(InvalidInput, f"output is {total} bytes, over the {max_bytes}-byte cap")
    resumable = partial.remember(response)
    received = offset
    try:
        with partial.path.open("ab" if offset else "wb") as out:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise fail(InvalidInput, f"output exceeds the {max_bytes}-byte cap")
                out.write(chunk)
        if total is not None and received != total:
            raise fail(TransientError, f"download truncated: {received} of {total} bytes")
        if received == 0:
            raise fail(TransientError, "download was empty")
    except BaseException as exc:
        if not resumable or isinstance(exc, InvalidInput):
            partial.discard()
        raise
    final = dest / f"{stem}{extension(media_type, str(response.url))}"
    partial.path.replace(final)
    partial.discard()
    return final, media_type


def _span(response: httpx.Response, partial: Partial, fail: Fail) -> tuple[int, int | None]:
    """Where this answer's bytes start in the file, and the file's whole length if known."""
    length = _int(response.headers.get("content-length"))
    encoded = response.headers.get("content-encoding", "identity") != "identity"
    if response.status_code != 206:
        partial.discard()  # a whole file (or a changed one): start again
        return 0, None if encoded else length
    match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", "").strip())
    have = partial.path.stat().st_size if partial.path.is_file() else 0
    if match is None or int(match.group(1)) != have:
        partial.discard()
        raise fail(TransientError, "download resumed at the wrong offset; starting again")
    whole = match.group(3)
    return have, int(whole) if whole != "*" else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
