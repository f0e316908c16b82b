"""Command-line commands of this stage, registered on the main app by ``shotrelay.cli``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

__all__ = ["register"]


def register(app: typer.Typer, friendly: Callable[[Any], Any]) -> None:
    """Add this stage's commands to ``app``; wrap each in ``friendly`` for clean errors."""
