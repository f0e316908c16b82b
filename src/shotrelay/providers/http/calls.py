"""What an adapter asks the HTTP layer to send, and where a finished job's output is."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["HttpCall", "RemoteOutput"]


class HttpCall(BaseModel):
    """One request an adapter wants sent; ``url`` is absolute or relative to the base URL."""

    model_config = ConfigDict(frozen=True)

    method: Literal["GET", "POST", "PUT", "DELETE"] = "POST"
    url: str
    body: dict[str, Any] | None = None
    params: dict[str, str] = Field(default_factory=dict)
    headers: dict[str, str] = Field(default_factory=dict)
    form: dict[str, str] | None = Field(None, description="multipart fields (with files)")
    files: dict[str, Path | list[Path]] = Field(
        default_factory=dict, description="multipart file parts; a list repeats the field"
    )
    expect: Literal["json", "bytes", "none"] = "json"


class RemoteOutput(BaseModel):
    """Where a finished job's output is: a URL to download, or inline bytes."""

    model_config = ConfigDict(frozen=True)

    url: str | None = None
    data: bytes | None = None
    media_type: str | None = Field(None, description="Hint when the server sends octet-stream.")
    authorized: bool = Field(False, description="The download needs the provider's auth header.")
    cost_usd: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
