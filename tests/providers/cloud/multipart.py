"""Reading a recorded multipart/form-data body back into fields and files (for assertions)."""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """Part name -> raw bytes, for the parts of a ``multipart/form-data`` body."""
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    parts: dict[str, bytes] = {}
    for part in message.iter_parts():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts[str(name)] = payload if isinstance(payload, bytes) else b""
    return parts


def filenames(content_type: str, body: bytes) -> dict[str, str | None]:
    """Part name -> the filename it carries (None for a plain field)."""
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    out: dict[str, str | None] = {}
    for part in message.iter_parts():
        assert isinstance(part, Message)
        out[str(part.get_param("name", header="content-disposition"))] = part.get_filename()
    return out
