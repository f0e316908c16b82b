"""A small synchronous JSON-over-HTTP client for planning calls, with classified errors.

Planning is one short conversation outside the engine, so this client retries on its own:
rate limits honour ``Retry-After`` (up to ``max_wait`` seconds) and passing failures (5xx,
timeouts, dropped connections, a body that is not JSON) back off exponentially. Auth, quota
(classified by the API's own codes, even when sent as a 429) and invalid-request errors are
raised at once. Keys go into headers only at request time and
are masked in every message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from shotrelay.errors import ProviderError, RateLimited, TransientError, Unreachable
from shotrelay.providers.credentials import Secret, redact
from shotrelay.providers.http.classify import Verdict, body_snippet, response_error

__all__ = ["DEFAULT_TIMEOUT", "JsonClient"]

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=300.0, write=30.0, pool=10.0)


class JsonClient:
    """POSTs JSON to one API and returns the decoded answer, or raises a ``ProviderError``."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        headers: Callable[[], dict[str, str]],
        key: Secret | None = None,
        key_env: str | None = None,
        verdict: Verdict | None = None,
        retries: int = 3,
        max_wait: float = 60.0,
        sleep: Callable[[float], None],
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._headers = headers
        self._key = key
        self._key_env = key_env
        self._verdict = verdict
        self.retries = retries
        self.max_wait = max_wait
        self._sleep = sleep
        self._timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self._transport = transport

    def _error(self, kind: type[ProviderError], message: str, model: str) -> ProviderError:
        text = redact(f"{self.provider}: {message}", [self._key])
        return kind(text, provider=self.provider, model=model)

    def post(self, path: str, body: dict[str, Any], *, model: str) -> Any:
        """POST ``body`` to ``path``; retry what is passing; return the JSON answer."""
        for attempt in range(self.retries + 1):
            try:
                return self._once(path, body, model)
            except TransientError as exc:
                if attempt >= self.retries:
                    raise
                wait = exc.retry_after if isinstance(exc, RateLimited) else None
                if wait is None:
                    wait = float(2**attempt)
                if wait > self.max_wait:
                    raise
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, path: str, body: dict[str, Any], model: str) -> Any:
        url = f"{self.base_url}/{path.lstrip('/')}"
        what = f"POST {urlsplit(url).path}"
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(url, json=body, headers=self._headers())
        except (httpx.ConnectError, httpx.ConnectTimeout):
            # Nothing went out (DNS, refused, TLS): no retries, the caller falls back at once.
            raise self._error(
                Unreachable,
                f"{what}: could not connect to {_shown(self.base_url)}; is the server running and "
                "the base URL right?",
                model,
            ) from None
        except httpx.TimeoutException as exc:
            raise self._error(
                TransientError, f"{what} timed out ({type(exc).__name__})", model
            ) from None
        except httpx.HTTPError as exc:
            raise self._error(
                TransientError, f"{what} failed ({type(exc).__name__}: {exc})", model
            ) from None
        if response.status_code >= 400:
            raise self._http_error(response, what, model)
        try:
            return response.json()
        except ValueError:
            raise self._error(
                TransientError,
                f"{what} answered with a body that is not JSON ({body_snippet(response)!r})",
                model,
            ) from None

    def _http_error(self, response: httpx.Response, what: str, model: str) -> ProviderError:
        return response_error(
            response,
            who=self.provider,
            what=what,
            model=model,
            secrets=[self._key],
            key_env=self._key_env,
            verdict=self._verdict,
        )


def _shown(url: str) -> str:
    """``url`` without any user:password part (a base URL may carry credentials)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()
