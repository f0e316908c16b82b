"""Media in and out: local files inlined for requests, responses streamed safely to disk."""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from shotrelay.errors import InvalidInput, ProviderError

__all__ = ["MEDIA_PREFIXES", "OCTET_TYPES", "data_uri", "file_base64"]

MEDIA_PREFIXES = ("video/", "image/", "audio/")
OCTET_TYPES = ("application/octet-stream", "binary/octet-stream")

#: Builds the error to raise: (kind, message) -> error, with provider and model filled in.
Fail = Callable[[type[ProviderError], str], ProviderError]


def data_uri(path: Path, *, max_bytes: int | None = None, role: str = "input") -> str:
    """A ``data:`` URI holding a local file, refusing files over ``max_bytes``."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{file_base64(path, max_bytes=max_bytes, role=role)}"


def file_base64(path: Path, *, max_bytes: int | None = None, role: str = "input") -> str:
    """Plain base64 of a local file (no ``data:`` prefix)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{role}: cannot read {path}: {exc.strerror}") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise InvalidInput(
            f"{role}: {path.name} is {len(raw)} bytes, over the {max_bytes}-byte inline limit;"
            " downscale it or host it and pass a URL"
        )
    return base64.b64encode(raw).decode("ascii")


def open_files(
    files: Mapping[str, Path | list[Path]],
) -> list[tuple[str, tuple[str, bytes, str]]]:
    """Multipart file parts for httpx from local paths; a list repeats its field name."""
    parts: list[tuple[str, tuple[str, bytes, str]]] = []
    for field, value in files.items():
        for path in value if isinstance(value, list) else [value]:
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            try:
                parts.append((field, (path.name, path.read_bytes(), mime)))
            except OSError as exc:
                raise InvalidInput(f"{field}: cannot read {path}: {exc.strerror}") from None
    return parts


def multipart_parts(
    form: dict[str, str] | None, files: Mapping[str, Path | list[Path]]
) -> list[tuple[str, tuple[str | None, bytes, str | None]]] | None:
    """The ``files=`` argument for httpx: file parts, or, for a form with no file, its fields
    as parts without a filename (httpx would otherwise send the form url-encoded)."""
    if files:
        return list(open_files(files))
    if form is not None:
        return [(k, (None, v.encode(), None)) for k, v in form.items()]
    return None


def media_type_of(ctype_header: str, url: str, hint: str | None) -> str | None:
    """The media type of a download, or None when the server sent something that is not media."""
    ctype = ctype_header.split(";")[0].strip().lower()
    if ctype.startswith(MEDIA_PREFIXES):
        return ctype
    if ctype in OCTET_TYPES or not ctype:
        return hint or mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    return None


def extension(media_type: str, url: str = "") -> str:
    """A file extension for a media type (falling back to the URL's)."""
    known = {"video/mp4": ".mp4", "image/png": ".png", "image/jpeg": ".jpg", "audio/mpeg": ".mp3"}
    if media_type in known:
        return known[media_type]
    ext = mimetypes.guess_extension(media_type) or Path(urlsplit(url).path).suffix
    return ext or ".bin"
