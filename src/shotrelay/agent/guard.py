"""Every tool's answer goes through here: shotrelay's errors become tool errors a model can
read and act on, and no API key's value leaves the process in a result or an error."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel

from shotrelay import api
from shotrelay.errors import ShotrelayError

__all__ = ["Redactor", "guarded"]

P = ParamSpec("P")
M = TypeVar("M", bound=BaseModel)


class Redactor:
    """Masks the values of the machine's API keys (environment or ``.env``) in text."""

    def __init__(self, names: Sequence[str] | None = None) -> None:
        # The names are looked up once: loading every provider on each answer is slow.
        self.names = list(api.key_names() if names is None else names)

    def text(self, text: str) -> str:
        """``text`` with every key's value masked."""
        return api.redact_keys(text, self.names)

    def model(self, value: M) -> M:
        """``value`` with every key's value masked in every field."""
        dumped = value.model_dump_json()
        clean = self.text(dumped)
        return value if clean == dumped else type(value).model_validate_json(clean)


def guarded(redactor: Redactor) -> Callable[[Callable[P, M]], Callable[P, M]]:
    """Wrap a tool: its answer redacted, a ShotrelayError raised as a ToolError (its
    message, which names the file, field and fix, redacted too)."""

    def wrap(fn: Callable[P, M]) -> Callable[P, M]:
        @functools.wraps(fn)
        def tool(*args: P.args, **kwargs: P.kwargs) -> M:
            try:
                return redactor.model(fn(*args, **kwargs))
            except ShotrelayError as exc:
                raise ToolError(redactor.text(f"{type(exc).__name__}: {exc}")) from None

        return tool

    return wrap
