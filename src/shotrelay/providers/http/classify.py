"""Classifying provider failures onto ``shotrelay.errors``: HTTP statuses, Retry-After, texts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from shotrelay.errors import (
    AuthError,
    InvalidInput,
    ProviderError,
    QuotaError,
    RateLimited,
    TransientError,
)
from shotrelay.providers.credentials import Secret, redact

__all__ = [
    "body_snippet",
    "classify_status",
    "error_detail",
    "looks_like_moderation",
    "parse_retry_after",
    "response_error",
]

_MODERATION_WORDS = ("moderation", "safety", "nsfw", "content policy", "content_policy", "flagged")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_detail(body: Any, text: str = "") -> str:
    """The human part of an error body, whatever the provider's shape, at most 300 chars."""
    found: Any = None
    if isinstance(body, dict):
        for key in ("error", "message", "detail", "failure", "failure_reason", "title"):
            if body.get(key):
                found = body[key]
                break
        if isinstance(found, dict):
            found = found.get("message") or found.get("detail") or found
        if isinstance(found, list) and found:
            first = found[0]
            found = first.get("msg", first) if isinstance(first, dict) else first
    detail = str(found) if found else text.strip()
    return " ".join(detail.split())[:300] or "no detail"


def looks_like_moderation(text: str) -> bool:
    """Whether a provider's failure text names content moderation."""
    low = text.lower()
    return any(word in low for word in _MODERATION_WORDS)


def classify_status(
    status: int,
    message: str,
    *,
    retry_after: float | None = None,
    provider: str = "",
    model: str = "",
    override: type[ProviderError] | None = None,
) -> ProviderError:
    """The error for an HTTP failure status; ``override`` is an adapter's own verdict."""
    kind: type[ProviderError]
    if override is not None:
        kind = override
    elif status == 429:
        kind = RateLimited
    elif status in (401, 403):
        kind = AuthError
    elif status == 402:
        kind = QuotaError
    elif status == 408 or status >= 500:
        kind = TransientError
    else:
        kind = InvalidInput
    if issubclass(kind, RateLimited):
        return kind(message, retry_after=retry_after, provider=provider, model=model)
    return kind(message, provider=provider, model=model)


#: An adapter's own verdict on a failed answer: (status, JSON body or None, detail) -> class.
Verdict = Callable[[int, Any, str], "type[ProviderError] | None"]


def response_error(
    response: httpx.Response,
    *,
    who: str,
    what: str,
    model: str = "",
    secrets: Iterable[Secret | None] = (),
    key_env: str | None = None,
    verdict: Verdict | None = None,
) -> ProviderError:
    """The classified error for a failed HTTP answer: the provider's own detail, secrets
    masked, a hint to check the key on 401/403, Retry-After honoured."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    detail = error_detail(body, response.text)
    status = response.status_code
    override = verdict(status, body, detail) if verdict is not None else None
    message = redact(f"{who}: {what} answered HTTP {status}: {detail}", secrets)
    if status in (401, 403) and key_env and override is None:
        message += f" (check {key_env})"
    return classify_status(
        status,
        message,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
        provider=who,
        model=model,
        override=override,
    )


def body_snippet(response: httpx.Response, limit: int = 120) -> str:
    """The start of an answer's text on one line (for "not JSON" messages)."""
    return " ".join(response.text.split())[:limit]
