"""Inputs too large to inline: uploaded to the provider's storage first, then sent by URL.

An adapter that mixes in :class:`UploadingProvider` implements ``upload`` (its provider's
upload flow) and builds its submit call from ``staged``: input role -> the hosted URL of each
input over the inline limit. ``submit`` uploads first and sends the paid submission only when
every upload answered, so a failed upload never costs a generation: a 5xx, a timeout or a
dropped connection is ``TransientError`` (the engine retries), a refused file is
``InvalidInput``.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from shotrelay.errors import InvalidInput, ProviderError, TransientError
from shotrelay.providers.base import Handle, JobRequest
from shotrelay.providers.http.calls import HttpCall
from shotrelay.providers.http.media import data_uri
from shotrelay.providers.http.provider import HttpProvider

__all__ = ["Staged", "UploadingProvider", "media_type"]

#: Input role -> the URL the provider's storage gave the uploaded file.
Staged = dict[str, str]


def media_type(path: Path) -> str:
    """The file's media type from its name (as the SDKs guess it)."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _size(path: Path, role: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"{role}: cannot read {path}: {exc.strerror}") from None


class UploadingProvider(HttpProvider):
    """An :class:`HttpProvider` that uploads inputs over ``inline_max_bytes`` before it submits.

    ``inline_max_bytes`` (constructor) defaults to the class's ``inline_limit``, the
    provider's documented cap on inline ``data:`` URIs.
    """

    inline_limit: ClassVar[int] = 10 * 1024 * 1024

    def __init__(self, *, inline_max_bytes: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inline_max_bytes = self.inline_limit if inline_max_bytes is None else inline_max_bytes

    # ----- hooks ----------------------------------------------------------------------------

    async def upload(self, path: Path, *, role: str, model: str) -> str:
        """Upload one local file through the provider's flow and return the URL to send."""
        raise NotImplementedError

    def build_staged(self, request: JobRequest, staged: Staged) -> HttpCall:
        """The submit call, with ``staged`` URLs in place of the uploaded inputs."""
        raise NotImplementedError

    # ----- mechanism ------------------------------------------------------------------------

    def build_submit(self, request: JobRequest) -> HttpCall:
        return self.build_staged(request, {})

    def media(self, request: JobRequest, role: str, staged: Staged) -> str:
        """The value to send for input ``role``: its uploaded URL, else a ``data:`` URI."""
        if role in staged:
            return staged[role]
        return data_uri(request.inputs[role], max_bytes=self.inline_max_bytes, role=role)

    async def stage(self, request: JobRequest) -> Staged:
        """Upload every input over the inline limit, in input order."""
        staged: Staged = {}
        for role, path in request.inputs.items():
            if _size(path, role) > self.inline_max_bytes:
                staged[role] = await self.upload(path, role=role, model=request.model.id)
        return staged

    async def submit(self, request: JobRequest) -> Handle:
        """Upload large inputs, then send the paid submission (single shot)."""
        staged = await self.stage(request)
        call = self.build_staged(request, staged)
        body = await self.send(call, model=request.model.id, paid=True)
        return self.accepted(body, request)

    async def send_to_storage(
        self,
        method: str,
        url: str,
        *,
        role: str,
        model: str,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send an upload to a storage URL the provider signed; the API key goes with it only
        when the adapter puts it in ``headers`` (its own host, never a storage host).

        Only the URL's path is ever quoted in a message: its query carries the signature.
        """
        where = urlsplit(url).path
        failed = f"{role}: the upload to storage ({method} {where})"
        try:
            async with self._client() as client:
                response = await client.request(
                    method, url, content=content, data=data, files=files, headers=headers
                )
        except httpx.TimeoutException:
            raise self._upload_error(TransientError, f"{failed} timed out", model) from None
        except httpx.HTTPError as exc:
            raise self._upload_error(
                TransientError, f"{failed} failed ({type(exc).__name__})", model
            ) from None
        if response.status_code == 413:
            raise self._upload_error(
                InvalidInput, f"{failed} was refused as too large (HTTP 413)", model
            )
        if response.status_code >= 400:
            # A 5xx, or a 4xx from an expired signature: a fresh upload may pass.
            raise self._upload_error(
                TransientError, f"{failed} answered HTTP {response.status_code}", model
            )
        return response

    def _upload_error(self, kind: type[ProviderError], message: str, model: str) -> ProviderError:
        return self._error(kind, f"{message}; nothing was submitted", model)

    def answer_field(self, body: Any, field: str, *, what: str, model: str) -> Any:
        """A required field of an upload answer; missing means the answer is unusable."""
        value = body.get(field) if isinstance(body, dict) else None
        if not value:
            raise self._upload_error(TransientError, f"{what} answered without {field!r}", model)
        return value
