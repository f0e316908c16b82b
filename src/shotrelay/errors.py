"""One error hierarchy: catch at the level you care about.

Every message is meant for a person: it names the file, the field and the fix where they
are known.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "BudgetError",
    "CatalogError",
    "EngineError",
    "IntegrityError",
    "InvalidInput",
    "PlanError",
    "ProviderError",
    "QuotaError",
    "RateLimited",
    "Rejected",
    "RemoteFailure",
    "RoutingError",
    "ShotrelayError",
    "SpecError",
    "SubmissionUnknown",
    "TransientError",
    "Unreachable",
]


class ShotrelayError(Exception):
    """Base of every error shotrelay raises on purpose."""


class SpecError(ShotrelayError):
    """A project or shot file is invalid.

    ``file``, ``line`` and ``field`` locate the problem; ``fix`` says what to do.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        fix: str | None = None,
        also: list[SpecError] | None = None,
        more: int = 0,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.fix = fix
        self.also = also or []
        self.more = more
        super().__init__(self.render())

    def render(self) -> str:
        """The whole message on one or two lines: `file:line: field: message (fix: ...)`."""
        where = self.file or "<project>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.fix:
            text += f"\n  fix: {self.fix}"
        for other in self.also:
            text += "\n" + other.render()
        if self.more:
            text += f"\n... and {self.more} more problem(s) of the same file"
        return text


class PlanError(ShotrelayError):
    """A planning model gave no usable shot list, even after repair requests."""


class CatalogError(ShotrelayError):
    """The model catalog (built-in or a user file) is invalid, or a model is unknown."""


class RoutingError(ShotrelayError):
    """No model can do a shot's stage; the message lists what excluded each candidate."""


class BudgetError(RoutingError):
    """The budget is below the cheapest feasible plan."""

    def __init__(self, message: str, *, minimum_usd: float) -> None:
        self.minimum_usd = minimum_usd
        super().__init__(message)


class EngineError(ShotrelayError):
    """The engine cannot go on (journal, store, or a job that needs a person)."""


class IntegrityError(EngineError):
    """An artifact in the store does not match its hash (corrupt or truncated)."""


class ProviderError(ShotrelayError):
    """A provider call failed; subclasses say how, so the engine knows what to do."""

    retryable: bool = False

    def __init__(self, message: str, *, provider: str = "", model: str = "") -> None:
        self.provider = provider
        self.model = model
        super().__init__(message)


class TransientError(ProviderError):
    """A passing failure (5xx, timeout, connection reset): retry with backoff."""

    retryable = True


class RateLimited(TransientError):
    """The provider asked us to slow down; ``retry_after`` is in seconds when it said."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        provider: str = "",
        model: str = "",
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, provider=provider, model=model)


class Unreachable(ProviderError):
    """Nothing reached the provider (DNS failure, connection refused, TLS failure, connect
    timeout): nothing was sent, so nothing was billed. The provider is out for the run and the
    route falls back at once."""


class SubmissionUnknown(ProviderError):
    """A paid submission went out and no usable answer came back (dropped connection, read
    timeout, 5xx, malformed 2xx): the provider may have accepted and billed it.

    Never retried blindly: the engine reconciles it (idempotency key, listing, client id) or
    stops the job as ``unknown`` for a person to decide.
    """


class RemoteFailure(ProviderError):
    """The provider accepted the job and reports that it failed, for no classified reason
    (not moderation, quota or input). Retried on the same model only where the catalog row
    says failed jobs are not billed (``bills_failed: false``)."""


class Rejected(ProviderError):
    """Moderation refused the prompt or inputs: fall back to another model or rephrase."""


class InvalidInput(ProviderError):
    """The request was malformed for this model: fall back; retrying will not help."""


class QuotaError(ProviderError):
    """Out of credits or quota: stop using this provider."""


class AuthError(QuotaError):
    """Credentials are missing or refused: stop using this provider."""
