"""Classifying provider failures onto ``shotrelay.errors``: HTTP statuses, Retry-After, and the
providers' own error codes (OpenAI ``error.code``, Google ``google.rpc`` details).

Codes come first; the moderation keyword list is only the last resort for a provider that sends
no code (see :func:`looks_like_moderation`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
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
    Rejected,
    TransientError,
)
from shotrelay.providers.credentials import Secret, redact

__all__ = [
    "Verdict",
    "anthropic_verdict",
    "body_snippet",
    "classify_status",
    "default_verdict",
    "error_detail",
    "google_retry_delay",
    "google_verdict",
    "looks_like_moderation",
    "openai_verdict",
    "parse_retry_after",
    "response_error",
]

#: The last resort for a failure with no code: words that name content moderation.
_MODERATION_WORDS = (
    "moderation", "moderate", "safety", "nsfw", "content policy", "content_policy", "flagged",
)  # fmt: skip


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
    """Whether a provider's failure text names content moderation (a last resort: adapters
    classify by the provider's codes first)."""
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


#: An adapter's own verdict on a failed answer: (status, JSON body or None, detail, headers)
#: -> the error class, or None to classify by status alone.
Verdict = Callable[[int, Any, str, Mapping[str, str]], "type[ProviderError] | None"]

#: OpenAI ``error.code`` / ``error.type`` values that mean out of money, not "slow down"
#: (https://platform.openai.com/docs/guides/error-codes: 429 "You exceeded your current quota").
_OPENAI_QUOTA = frozenset(
    {"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"}
)
#: OpenAI codes for a refusal by the safety system (images: ``moderation_blocked``).
_OPENAI_REFUSALS = frozenset({"moderation_blocked", "content_policy_violation", "content_filter"})
_GOOGLE_QUOTA_FAILURE = "type.googleapis.com/google.rpc.QuotaFailure"
_GOOGLE_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def default_verdict(
    status: int, body: Any, detail: str, headers: Mapping[str, str]
) -> type[ProviderError] | None:
    """The verdict for a provider that sends no error code: by status, except that a 400/422
    whose text names moderation is a refusal (the keyword list: a last resort only)."""
    if status in (400, 422) and looks_like_moderation(detail):
        return Rejected
    return None


def _error_object(body: Any) -> dict[str, Any]:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def openai_verdict(
    status: int, body: Any, detail: str, headers: Mapping[str, str]
) -> type[ProviderError] | None:
    """OpenAI's ``{"error": {"code", "type", "message"}}``: ``insufficient_quota`` (sent as a
    429) and billing limits are quota; ``moderation_blocked`` is a refusal."""
    error = _error_object(body)
    codes = {str(error.get("code") or ""), str(error.get("type") or "")}
    if codes & _OPENAI_QUOTA:
        return QuotaError
    if codes & _OPENAI_REFUSALS:
        return Rejected
    if status == 429:
        return RateLimited
    return default_verdict(status, body, detail, headers)


def _quota_ids(body: Any) -> list[str]:
    ids: list[str] = []
    for item in _error_object(body).get("details") or []:
        if isinstance(item, dict) and item.get("@type") == _GOOGLE_QUOTA_FAILURE:
            for violation in item.get("violations") or []:
                if isinstance(violation, dict):
                    ids.append(str(violation.get("quotaId") or violation.get("quotaMetric") or ""))
    return ids


def google_verdict(
    status: int, body: Any, detail: str, headers: Mapping[str, str]
) -> type[ProviderError] | None:
    """Google's ``google.rpc.Status`` (Gemini API, Veo): a ``RESOURCE_EXHAUSTED`` whose
    ``QuotaFailure`` names a per-day quota (``quotaId`` ``...PerDay...``) is quota for the rest
    of the run; per-minute (or no detail) is a rate limit."""
    error = _error_object(body)
    if status == 429 or error.get("status") == "RESOURCE_EXHAUSTED":
        if any("perday" in quota.lower() for quota in _quota_ids(body)):
            return QuotaError
        return RateLimited
    return default_verdict(status, body, detail, headers)


def google_retry_delay(body: Any) -> float | None:
    """Seconds from a ``google.rpc.RetryInfo`` detail (``"retryDelay": "22s"``), or None."""
    for item in _error_object(body).get("details") or []:
        if isinstance(item, dict) and item.get("@type") == _GOOGLE_RETRY_INFO:
            found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s\s*", str(item.get("retryDelay") or ""))
            if found:
                return float(found.group(1))
    return None


def anthropic_verdict(
    status: int, body: Any, detail: str, headers: Mapping[str, str]
) -> type[ProviderError] | None:
    """Anthropic's ``{"type": "error", "error": {"type"}}`` (the anthropic SDK's
    ``ErrorObject`` union): ``billing_error`` is quota, ``overloaded_error`` is passing."""
    kind = str(_error_object(body).get("type") or "")
    if kind == "billing_error":
        return QuotaError
    if kind == "rate_limit_error":
        return RateLimited
    if kind in ("overloaded_error", "api_error", "timeout_error"):
        return TransientError
    return default_verdict(status, body, detail, headers)


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
    """The classified error for a failed HTTP answer: the provider's own verdict from its codes
    and headers (else :func:`default_verdict`), secrets masked, a hint to check the key on a
    401/403 left to the status, Retry-After (or Google's RetryInfo) honoured."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    detail = error_detail(body, response.text)
    status = response.status_code
    override = (verdict or default_verdict)(status, body, detail, response.headers)
    message = redact(f"{who}: {what} answered HTTP {status}: {detail}", secrets)
    if status in (401, 403) and key_env and override is None:
        message += f" (check {key_env})"
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if retry_after is None:
        retry_after = google_retry_delay(body)
    return classify_status(
        status,
        message,
        retry_after=retry_after,
        provider=who,
        model=model,
        override=override,
    )


def body_snippet(response: httpx.Response, limit: int = 120) -> str:
    """The start of an answer's text on one line (for "not JSON" messages)."""
    return " ".join(response.text.split())[:limit]
