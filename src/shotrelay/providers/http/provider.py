"""HttpProvider: the Provider protocol over HTTP, built from an adapter's small hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import httpx

from shotrelay.errors import (
    AuthError,
    EngineError,
    ProviderError,
    Rejected,
    SubmissionUnknown,
    TransientError,
    Unreachable,
)
from shotrelay.providers.base import Handle, JobRequest, JobStatus, ProviderResult
from shotrelay.providers.credentials import Credentials, Secret, redact
from shotrelay.providers.http.calls import HttpCall, RemoteOutput
from shotrelay.providers.http.classify import (
    body_snippet,
    looks_like_moderation,
    response_error,
)
from shotrelay.providers.http.media import extension, multipart_parts
from shotrelay.providers.http.resume import Partial, save_resumable

__all__ = ["DEFAULT_MAX_DOWNLOAD", "DEFAULT_TIMEOUT", "HttpCall", "HttpProvider", "RemoteOutput"]

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)
DEFAULT_MAX_DOWNLOAD = 4 * 1024**3


class HttpProvider:
    """Base of the cloud adapters: the Provider protocol over HTTP, from per-provider hooks.

    Subclasses set ``name``, ``key_env`` and ``default_base_url`` and implement
    ``auth_headers``, ``build_submit``, ``parse_submit``, ``status_call``, ``parse_status`` and
    ``parse_output``; the other hooks have defaults. The base URL is the ``base_url`` argument,
    else ``SHOTRELAY_<NAME>_BASE_URL``, else the provider's public URL.
    """

    name: ClassVar[str]
    key_env: ClassVar[str]
    default_base_url: ClassVar[str]
    inline_limit: ClassVar[int] = 10 * 1024 * 1024
    #: The provider's documented account-wide limit on jobs in flight (None: per model only).
    default_concurrency: ClassVar[int | None] = None

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        credentials: Credentials | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._credentials = credentials or Credentials()
        self._explicit_key = Secret(api_key) if api_key else None
        self._base_url = base_url
        if isinstance(timeout, int | float):
            timeout = httpx.Timeout(timeout)
        self.timeout = timeout or DEFAULT_TIMEOUT
        self.max_download_bytes = max_download_bytes
        self._transport = transport

    # ----- configuration -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Where requests go (injectable so tests can point it at loopback)."""
        env_name = f"SHOTRELAY_{self.name.upper()}_BASE_URL"
        url = self._base_url or self._credentials.setting(env_name) or self.default_base_url
        return url.rstrip("/")

    @property
    def concurrency(self) -> int | None:
        """Account-wide jobs in flight: ``SHOTRELAY_<NAME>_CONCURRENCY``, else the default."""
        env_name = f"SHOTRELAY_{self.name.upper()}_CONCURRENCY"
        raw = self._credentials.setting(env_name)
        if raw is None or not raw.strip():
            return self.default_concurrency
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise EngineError(
                f"{env_name}={raw!r} is not a limit; set it to a whole number of jobs, "
                "at least 1 (your plan's concurrency), or unset it"
            )
        return value

    def _key(self) -> Secret | None:
        return self._explicit_key or self._credentials.get(self.key_env)

    def available(self) -> tuple[bool, str]:
        """Usable when its key is set; the reason names the variable to set."""
        if self._key() is None:
            return False, f"set {self.key_env}"
        return True, f"{self.key_env} is set"

    # ----- hooks an adapter implements -------------------------------------------------------

    def auth_headers(self, key: Secret) -> dict[str, str]:
        """Headers that authenticate a request (built per request, never stored)."""
        raise NotImplementedError

    def build_submit(self, request: JobRequest) -> HttpCall:
        """The call that starts a job."""
        raise NotImplementedError

    def parse_submit(self, body: Any, request: JobRequest) -> Handle:
        """The handle from the submit answer."""
        raise NotImplementedError

    def status_call(self, handle: Handle) -> HttpCall:
        """The GET that reads a job's state."""
        raise NotImplementedError

    def parse_status(self, body: Any, handle: Handle) -> JobStatus:
        """The normalised state; raise ``Rejected``/``InvalidInput`` for classified failures."""
        raise NotImplementedError

    def result_call(self, handle: Handle) -> HttpCall:
        """The GET whose answer locates the output (default: the status call)."""
        return self.status_call(handle)

    def parse_output(self, body: Any, handle: Handle, request: JobRequest) -> RemoteOutput:
        """Where the output is, and its cost when the provider reports it."""
        raise NotImplementedError

    def cancel_call(self, handle: Handle) -> HttpCall | None:
        """The call that cancels a job, or None when the provider cannot."""
        return None

    def find_call(self, request: JobRequest) -> HttpCall | None:
        """The GET that lists recent jobs, or None when the provider has no listing."""
        return None

    def match_listing(
        self, body: Any, request: JobRequest, since: float | None = None
    ) -> Handle | None:
        """The listed job that is ``request``'s (created after ``since``), if any."""
        return None

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Any
    ) -> type[ProviderError] | None:
        """An adapter's verdict on an HTTP error from the provider's own codes and headers (a
        ``Mapping[str, str]``); None = by status. The keyword test here is the last resort."""
        if status in (400, 422) and looks_like_moderation(detail):
            return Rejected
        return None

    # ----- the Provider protocol ------------------------------------------------------------

    async def submit(self, request: JobRequest) -> Handle:
        """Start the job (single shot: never retried here).

        Raises ``Unreachable`` when nothing was sent, ``SubmissionUnknown`` when the body went
        out and no usable answer came back (the provider may have accepted it).
        """
        body = await self.send(self.build_submit(request), model=request.model.id, paid=True)
        return self.accepted(body, request)

    def accepted(self, body: Any, request: JobRequest) -> Handle:
        """The handle from a 2xx submit answer; an answer we cannot read is ambiguous."""
        try:
            return self.parse_submit(body, request)
        except TransientError as exc:
            raise self._error(
                SubmissionUnknown,
                f"the submission was answered but the answer is unusable ({exc}); "
                "the job may have been accepted",
                request.model.id,
            ) from None

    async def poll(self, handle: Handle) -> JobStatus:
        """Ask once for the job's state (a dropped connection is retried once)."""
        body = await self.send(self.status_call(handle), model=self._model_of(handle))
        return self.parse_status(body, handle)

    async def fetch(self, handle: Handle, request: JobRequest, dest: Path) -> ProviderResult:
        """Locate the output and download it into the folder ``dest``."""
        model = request.model.id
        body = await self.send(self.result_call(handle), model=model)
        out = self.parse_output(body, handle, request)
        dest.mkdir(parents=True, exist_ok=True)
        stem = f"{request.job_id}"
        if out.data is not None:
            media_type = out.media_type or "application/octet-stream"
            path = dest / f"{stem}{extension(media_type)}"
            path.write_bytes(out.data)
        elif out.url:
            path, media_type = await self.download(
                out.url,
                dest,
                stem=stem,
                hint=out.media_type,
                authorized=out.authorized,
                model=model,
            )
        else:
            raise self._error(TransientError, "finished job has no output URL", model)
        return ProviderResult(
            path=path, media_type=media_type, cost_usd=out.cost_usd, metadata=out.metadata
        )

    async def cancel(self, handle: Handle) -> None:
        """Cancel the job where the provider allows it; otherwise do nothing."""
        call = self.cancel_call(handle)
        if call is not None:
            await self.send(call, model=self._model_of(handle))

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """Look for ``request``'s job in the provider's listing."""
        call = self.find_call(request)
        if call is None:
            raise NotImplementedError(f"{self.name} offers no job listing to search")
        body = await self.send(call, model=request.model.id)
        return self.match_listing(body, request, since)

    # ----- mechanism ------------------------------------------------------------------------

    def _model_of(self, handle: Handle) -> str:
        return str(handle.data.get("model", ""))

    def _error(self, kind: type[ProviderError], message: str, model: str) -> ProviderError:
        return kind(
            redact(f"{self.name}: {message}", [self._key()]), provider=self.name, model=model
        )

    def _client(self, *, follow_redirects: bool = False) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.timeout, transport=self._transport, follow_redirects=follow_redirects
        )

    def _url(self, url: str) -> str:
        return url if "://" in url else f"{self.base_url}/{url.lstrip('/')}"

    def _headers(self, extra: dict[str, str], *, model: str) -> dict[str, str]:
        key = self._key()
        if key is None:
            raise self._error(AuthError, f"no API key: set {self.key_env}", model)
        return {**self.auth_headers(key), **extra}

    async def send(self, call: HttpCall, *, model: str = "", paid: bool = False) -> Any:
        """Send one call and return its JSON (or bytes), raising classified errors.

        Nothing sent (DNS, refused, TLS, connect timeout) is ``Unreachable``. A ``paid`` call
        (a submission) whose body went out without a usable answer (dropped, read timeout,
        5xx, not JSON) is ``SubmissionUnknown``: the provider may have accepted it.
        """
        url = self._url(call.url)
        headers = self._headers(call.headers, model=model)
        what = f"{call.method} {urlsplit(url).path}"
        attempts = 2 if call.method == "GET" else 1
        for attempt in range(attempts):
            try:
                async with self._client() as client:
                    response = await client.request(
                        call.method,
                        url,
                        json=call.body if call.form is None and not call.files else None,
                        params=call.params or None,
                        headers=headers,
                        data=call.form if call.files else None,
                        files=multipart_parts(call.form, call.files),
                    )
                break
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
                # Raised before a byte of the request went out (DNS, refused, TLS handshake).
                if attempt + 1 < attempts:
                    continue
                raise self._error(
                    Unreachable, f"{what} could not connect ({_reason(exc)})", model
                ) from None
            except httpx.PoolTimeout:
                raise self._error(
                    TransientError, f"{what} found no free connection in time", model
                ) from None
            except httpx.TransportError as exc:
                if paid:
                    raise self._error(
                        SubmissionUnknown,
                        f"{what}: the request went out and the answer was lost "
                        f"({_reason(exc)}); the job may have been accepted",
                        model,
                    ) from None
                if attempt + 1 < attempts and not isinstance(exc, httpx.TimeoutException):
                    continue
                kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
                raise self._error(
                    TransientError, f"{what} {kind} ({type(exc).__name__})", model
                ) from None
            except httpx.HTTPError as exc:
                raise self._error(
                    SubmissionUnknown if paid else TransientError,
                    f"{what} failed ({type(exc).__name__})",
                    model,
                ) from None
        if response.status_code >= 400:
            error = self._http_error(response, what, model)
            if paid and response.status_code >= 500 and isinstance(error, TransientError):
                raise SubmissionUnknown(
                    f"{error}; a server error after the request arrived: the job may have "
                    "been accepted",
                    provider=self.name,
                    model=model,
                )
            raise error
        if call.expect == "none":
            return None
        if call.expect == "bytes":
            return response.content
        try:
            return response.json()
        except ValueError:
            raise self._error(
                SubmissionUnknown if paid else TransientError,
                f"{what} answered HTTP {response.status_code} with a body that is not JSON"
                f" ({body_snippet(response)!r})",
                model,
            ) from None

    def _http_error(self, response: httpx.Response, what: str, model: str) -> ProviderError:
        return response_error(
            response,
            who=self.name,
            what=what,
            model=model,
            secrets=[self._key()],
            key_env=self.key_env,
            verdict=self.classify_error,
        )

    async def download(
        self,
        url: str,
        dest: Path,
        *,
        stem: str,
        hint: str | None = None,
        authorized: bool = False,
        model: str = "",
    ) -> tuple[Path, str]:
        """Stream ``url`` into ``dest/stem.<ext>``: size-capped, type-checked, length-verified.

        Auth headers go only to the provider's own host; redirects are followed by hand so a
        redirect to a storage host never carries the key. A cut download keeps its bytes and
        the next call asks only for the rest, where the server allows ranges.
        """
        own_host = urlsplit(self.base_url).netloc
        partial = Partial(dest, stem)
        for _hop in range(6):
            headers: dict[str, str] = partial.range_headers()
            if authorized and urlsplit(url).netloc == own_host:
                headers.update(self._headers({}, model=model))
            async with self._client() as client:
                try:
                    async with client.stream("GET", url, headers=headers) as response:
                        if response.is_redirect and "location" in response.headers:
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code == 416:  # our kept bytes are no use
                            partial.discard()
                            raise self._error(
                                TransientError, "download range refused; starting again", model
                            )
                        if response.status_code >= 400:
                            await response.aread()
                            raise self._http_error(response, "download", model)
                        return await save_resumable(
                            response,
                            partial,
                            dest,
                            stem=stem,
                            hint=hint,
                            max_bytes=self.max_download_bytes,
                            fail=lambda kind, msg: self._error(kind, msg, model),
                        )
                except httpx.TimeoutException:
                    raise self._error(TransientError, "download timed out", model) from None
                except httpx.HTTPError as exc:
                    kept = partial.path.stat().st_size if partial.path.is_file() else 0
                    raise self._error(
                        TransientError,
                        f"download interrupted ({type(exc).__name__}); the file was incomplete"
                        + (f" ({kept} bytes kept for resuming)" if kept else ""),
                        model,
                    ) from None
        raise self._error(TransientError, "download redirected too many times", model)


def _reason(exc: httpx.HTTPError) -> str:
    """The exception's class and, when short, its text (DNS and TLS errors say which)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
