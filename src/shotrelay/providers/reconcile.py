"""Reconciling a lost submission answer: read a provider's job listing back to when the
submission started, and pick the one listed job that is the request's.

An adapter's ``find`` pages its listing with :func:`scan`, keeps the listed jobs that match
the request strictly (same model or endpoint, same prompt and echoed inputs, not failed),
and answers with :func:`pick`: no candidate is "certainly absent" (None), one is the job,
two or more are ambiguous (``SubmissionUnknown`` naming them, for a person to decide). The
engine, not the adapter, checks that a returned remote id is not already another job's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from shotrelay.errors import SubmissionUnknown, TransientError
from shotrelay.providers.base import Handle, JobRequest
from shotrelay.providers.http import HttpCall, HttpProvider

__all__ = [
    "MAX_PAGES",
    "SKEW_S",
    "Candidate",
    "Clock",
    "ListingHttpProvider",
    "Page",
    "after_since",
    "echoes",
    "iso_utc",
    "not_listed",
    "parse_time",
    "pick",
    "relative",
    "scan",
]

#: Clock-skew allowance: a job listed up to this long before ``since`` may still be ours.
SKEW_S = 120.0
#: At most this many listing pages are read to reach back to ``since``.
MAX_PAGES = 5

#: Where "now" comes from (injectable so tests need no wall clock).
Clock = Callable[[], float]

_FRACTION = re.compile(r"(\.\d{6})\d+")


@dataclass(frozen=True)
class Candidate:
    """A listed job that matches the request: its remote id and creation time (Unix s)."""

    remote_id: str
    created: float | None = None


@dataclass(frozen=True)
class Page:
    """One listing page as an adapter reads it: its matches, its oldest creation time, and
    the call for the next (older) page, if any."""

    candidates: list[Candidate]
    oldest: float | None = None
    next: HttpCall | None = None


def parse_time(value: Any) -> float | None:
    """A provider timestamp as Unix seconds: an int/float, or ISO 8601 (``Z``, offsets, up
    to nanosecond fractions); None when absent or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = _FRACTION.sub(r"\1", value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def iso_utc(moment: float) -> str:
    """Unix seconds as ISO 8601 UTC (``2026-01-31T12:00:00Z``), for listing filters."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def not_listed(
    request: JobRequest,
    since: float | None,
    *,
    provider: str,
    settle_s: float,
    clock: Clock | None = None,
) -> None:
    """For a listing that shows a job only once it has ended: absence is certain only once
    ``settle_s`` have passed since the submission (then None: submit again). Before that,
    ``TransientError`` (ask again later); with no ``since``, ``SubmissionUnknown``."""
    if since is None:
        raise SubmissionUnknown(
            f"{provider}: job {request.job_id} is not in the listing, which shows only ended "
            "jobs, and its submission time is unknown; check the provider's dashboard, then "
            "resubmit or abandon the job",
            provider=provider,
            model=request.model.id,
        )
    waited = (clock or time.time)() - since
    if waited < settle_s:
        raise TransientError(
            f"{provider}: job {request.job_id} is not listed yet (the listing shows a job once "
            f"it ends; {waited:.0f} s of {settle_s:.0f} s since it was sent); ask again later",
            provider=provider,
            model=request.model.id,
        )


def after_since(created: float | None, since: float | None) -> bool:
    """Whether a job created at ``created`` may be the submission started at ``since``.

    A job with no readable time is kept (it cannot be ruled out); an older one is not.
    """
    if since is None or created is None:
        return True
    return created >= since - SKEW_S


def echoes(
    echoed: Any, want: dict[str, Any], *, required: Sequence[str], optional: Sequence[str] = ()
) -> bool:
    """Whether a listed job's echoed input is ``want``'s: every ``required`` field equal, and
    every ``optional`` field we sent equal where the listing shows it. ``data:`` URIs are
    never compared (providers rehost them)."""
    if not isinstance(echoed, dict):
        return False

    def same(key: str) -> bool:
        return bool(_norm(echoed.get(key)) == _norm(want.get(key)))

    if not all(same(k) for k in required):
        return False
    return all(
        same(k)
        for k in optional
        if k in want and echoed.get(k) is not None and not _is_data_uri(want[k])
    )


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    return str(value)


def _is_data_uri(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("data:")


def pick(candidates: Sequence[Candidate], request: JobRequest, *, provider: str) -> str | None:
    """The one candidate's remote id; None when there is none; ``SubmissionUnknown`` naming
    them when several match equally (then a person decides)."""
    ids = list(dict.fromkeys(c.remote_id for c in candidates))
    if not ids:
        return None
    if len(ids) == 1:
        return ids[0]
    raise SubmissionUnknown(
        f"{provider}: ambiguous: {len(ids)} listed jobs match job {request.job_id} "
        f"(shot {request.shot_id}, model {request.model.id}): {', '.join(ids)}; check them "
        "in the provider's dashboard, then resubmit or abandon the job",
        provider=provider,
        model=request.model.id,
    )


async def scan(
    send: Callable[[HttpCall], Awaitable[Any]],
    first: HttpCall,
    read: Callable[[Any, HttpCall], Page],
    request: JobRequest,
    since: float | None,
    *,
    provider: str,
    server_filtered: bool = False,
) -> list[Candidate]:
    """Send ``first``, then each page's ``next``, until a page reaches back to ``since`` or
    none follows; at most :data:`MAX_PAGES`. Returns the candidates created after ``since``.

    With ``since`` None only the first page is read (nothing to date against).
    ``server_filtered``: the provider already dropped jobs older than ``since``, so every
    page is needed. Raises ``SubmissionUnknown`` when the pages run out before the listing
    is covered: the job may be further back.
    """
    found: list[Candidate] = []
    call = first
    for _ in range(MAX_PAGES):
        page = read(await send(call), call)
        found.extend(c for c in page.candidates if after_since(c.created, since))
        if page.next is None or since is None:
            return found
        if not server_filtered and page.oldest is not None and page.oldest < since - SKEW_S:
            return found
        call = page.next
    ids = ", ".join(c.remote_id for c in found) or "none so far"
    raise SubmissionUnknown(
        f"{provider}: {MAX_PAGES} listing pages did not reach back to when job "
        f"{request.job_id} was submitted (matches: {ids}); check the provider's dashboard, "
        "then resubmit or abandon the job",
        provider=provider,
        model=request.model.id,
    )


def relative(url: str) -> str:
    """A provider's absolute next-page URL as a path on our own base URL (so a cursor URL
    never sends the key to another host)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class ListingHttpProvider(HttpProvider):
    """An :class:`HttpProvider` whose ``find`` pages the provider's job listing.

    Adapters implement ``find_call`` (the first page), ``listing_page`` (a page's matching
    jobs and the next page's call) and, when the handle needs more than the model, override
    ``listed_handle``.
    """

    #: The first page's call already drops jobs older than ``since`` (server-side filter).
    server_filtered: ClassVar[bool] = False

    def listing_call(self, request: JobRequest, since: float | None) -> HttpCall | None:
        """The first listing page for ``request`` (default: ``find_call``)."""
        return self.find_call(request)

    def listing_page(self, body: Any, request: JobRequest, call: HttpCall) -> Page:
        """The jobs on one listing page (the answer to ``call``) that match ``request``
        strictly, and the call for the next page."""
        raise NotImplementedError

    def listed_handle(self, remote_id: str, request: JobRequest) -> Handle:
        """The handle of a listed job, as ``submit`` would have built it."""
        return Handle(provider=self.name, remote_id=remote_id, data={"model": request.model.id})

    def match_listing(
        self, body: Any, request: JobRequest, since: float | None = None
    ) -> Handle | None:
        """The one job on this page that is ``request``'s (see :func:`pick`)."""
        first = self.listing_call(request, since)
        if first is None:
            return None
        page = self.listing_page(body, request, first)
        found = [c for c in page.candidates if after_since(c.created, since)]
        remote_id = pick(found, request, provider=self.name)
        return None if remote_id is None else self.listed_handle(remote_id, request)

    async def find(self, request: JobRequest, *, since: float | None = None) -> Handle | None:
        """Page the listing back to ``since``; the one matching job, None, or
        ``SubmissionUnknown`` when several match or the listing runs out first."""
        first = self.listing_call(request, since)
        if first is None:
            raise NotImplementedError(f"{self.name} offers no job listing to search")

        async def send(call: HttpCall) -> Any:
            return await self.send(call, model=request.model.id)

        found = await scan(
            send,
            first,
            lambda body, call: self.listing_page(body, request, call),
            request,
            since,
            provider=self.name,
            server_filtered=self.server_filtered and since is not None,
        )
        remote_id = pick(found, request, provider=self.name)
        return None if remote_id is None else self.listed_handle(remote_id, request)
