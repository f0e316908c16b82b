"""Helpers for the agent tests: read tool answers, the paid provider's ledger, plug-in caches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp.types import CallToolResult

from shotrelay.catalog.loader import builtin_models
from shotrelay.plan import registry as planners
from shotrelay.prompts.dialect import dialects

#: A teaser short enough to run in seconds on the local providers.
BRIEF = "A 3-second teaser: a kite over a grey sea"

#: Every tool the issue asks for.
TOOLS = {
    "init", "plan", "route", "run", "status", "approve", "pick", "rate", "redo", "report",
    "export", "models", "doctor",
}  # fmt: skip


def clear_plugin_caches() -> None:
    """Forget the loaded plug-ins, so the next load sees sys.path as it is now."""
    builtin_models.cache_clear()
    dialects.cache_clear()
    planners._loaded.cache_clear()


def ledger(site: Path) -> list[str]:
    """The job ids the paid provider received, in order."""
    file = site / "ledger.txt"
    return file.read_text().split() if file.is_file() else []


def data(result: CallToolResult) -> dict[str, Any]:
    """A successful tool call's structured answer."""
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def error_text(result: CallToolResult) -> str:
    """A failed tool call's message."""
    assert result.is_error
    return " ".join(getattr(c, "text", "") for c in result.content)


def transcript(result: Any) -> str:
    """Everything a call sent back, as text (to scan for secrets)."""
    return json.dumps(result.model_dump(mode="json"))
