"""Judging and learning: rate a take, share the outcomes the router learns from."""

from __future__ import annotations

from pathlib import Path

from shotrelay.api._project import find_project_file
from shotrelay.catalog.loader import load_catalog
from shotrelay.learn import Learned, OutcomeStore, learn
from shotrelay.relay.rating import Rating
from shotrelay.relay.rating import rate as _rate

__all__ = ["Rating", "learn_export", "learn_import", "learned", "rate"]


def rate(
    project: Path | str,
    shot: str,
    stars: int,
    take: int | None = None,
    *,
    note: str = "",
) -> Rating:
    """Rate a shot's take 1-5 (the take in the cut when ``take`` is None) (``shotrelay rate``);
    recorded in the journal and in the user's outcomes store."""
    return _rate(find_project_file(project), shot, stars, take, note=note)


def learned() -> Learned:
    """The posteriors the router would use now (``shotrelay learn``)."""
    return learn(OutcomeStore().read(), load_catalog().models)


def learn_export(dest: Path | str) -> int:
    """Write the user's outcomes to ``dest`` to share them (``shotrelay learn --export``)."""
    return OutcomeStore().export(Path(dest))


def learn_import(src: Path | str) -> int:
    """Add a teammate's outcomes (``shotrelay learn --import``); returns how many were new."""
    return OutcomeStore().import_(Path(src))
