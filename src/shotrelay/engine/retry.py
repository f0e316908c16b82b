"""How hard to try one model before falling back: attempts, backoff, Retry-After, polling."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shotrelay.errors import RateLimited, TransientError

__all__ = ["RetryPolicy"]


class RetryPolicy(BaseModel):
    """How hard to try one model before falling back."""

    model_config = ConfigDict(frozen=True)

    max_attempts: int = 4
    base_s: float = 2.0
    max_s: float = 120.0
    poll_s: float = 5.0

    def delay(self, attempt: int, exc: TransientError, rand: float) -> float:
        """Seconds to wait before attempt ``attempt + 1``: Retry-After, else backoff + jitter."""
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return max(0.0, exc.retry_after)
        backoff: float = min(self.max_s, self.base_s * 2.0 ** (attempt - 1))
        return backoff * (0.5 + rand / 2)
