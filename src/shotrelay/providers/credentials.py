"""API keys from the environment or a ``.env`` file, held so they are never printed or logged.

The environment wins over ``.env``; ``.env`` is read from the working directory (or a given
path) with a tiny parser: ``KEY=value`` lines, optional ``export`` prefix, ``#`` comments,
single or double quotes. A key is only revealed when a request's headers are built.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["Credentials", "Secret", "parse_dotenv", "redact"]

_MASK = "***"


class Secret:
    """A secret string whose ``repr`` and ``str`` are masked; ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a Secret cannot be empty")
        self._value = value

    def reveal(self) -> str:
        """The secret itself; call only where it goes onto the wire."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse the text of a ``.env`` file into a mapping; malformed lines are skipped."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[name] = value
    return values


class Credentials:
    """Where keys come from: an environment mapping, then a ``.env`` file.

    Both sources are read when a key is asked for, so a key set after start-up is seen.
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        dotenv_path: Path | None = None,
    ) -> None:
        self._env = env
        self._dotenv_path = dotenv_path

    def _dotenv(self) -> dict[str, str]:
        path = self._dotenv_path or Path.cwd() / ".env"
        try:
            return parse_dotenv(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return {}

    def get(self, name: str) -> Secret | None:
        """The key named ``name``, or None when neither source has a non-empty value."""
        env = os.environ if self._env is None else self._env
        value = env.get(name) or self._dotenv().get(name)
        return Secret(value) if value else None

    def setting(self, name: str) -> str | None:
        """A non-secret setting (e.g. a base URL override) from the same sources."""
        env = os.environ if self._env is None else self._env
        return env.get(name) or self._dotenv().get(name) or None


def redact(text: str, secrets: Iterable[Secret | None]) -> str:
    """``text`` with every secret value replaced by a mask (for error messages)."""
    for secret in secrets:
        if secret is not None and secret.reveal() in text:
            text = text.replace(secret.reveal(), _MASK)
    return text
