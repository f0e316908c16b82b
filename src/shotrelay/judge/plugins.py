"""Judges as plug-ins: the ``shotrelay.judges`` entry-point group.

A judge is a callable ``(clip, asked, prompt) -> checks``: it reads the take as
:class:`~shotrelay.judge.clip.ClipData` (figures, frames at analysis size, audio), what the
shot asked of it and the prompt the model got, and returns :class:`~shotrelay.judge.checks.Check`
rows (value, threshold, reason), which the take's score combines with the others. The
built-in technical QC is registered the same way (``technical`` in pyproject.toml); a
third-party package adds its own judge with one entry point. A judge that fails to load, or
raises on a take, is reported in the log and in a soft check; it never stops judging.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache

from shotrelay.judge.checks import Asked, Check
from shotrelay.judge.clip import ClipData
from shotrelay.plugins import JUDGES, load_group

__all__ = ["JudgeFn", "judges", "plugin_checks"]

#: (clip, what the shot asked, the model's prompt) -> checks.
JudgeFn = Callable[[ClipData, Asked, str], Iterable[Check]]

log = logging.getLogger(__name__)


@cache
def judges() -> dict[str, JudgeFn]:
    """Every judge in the group, built-ins first (loaded once per process)."""
    loaded = load_group(JUDGES)
    out: dict[str, JudgeFn] = {}
    for name, obj in loaded.objects.items():
        if not callable(obj):
            log.warning("judge plug-in %s is not callable (%r); skipped", name, obj)
            continue
        out[name] = obj
    return out


def plugin_checks(clip: ClipData, asked: Asked, prompt: str = "") -> list[Check]:
    """The checks of every judge in the group on one take."""
    checks: list[Check] = []
    for name, judge in judges().items():
        try:
            checks += list(judge(clip, asked, prompt))
        except Exception as exc:  # one broken judge must not sink the take's judgement
            log.warning("judge %s failed on %s: %s", name, clip.path.name, exc)
            checks.append(
                Check(
                    name=f"{name}_failed",
                    value=0.0,
                    threshold=0.0,
                    passed=True,
                    reason=f"judge {name} could not judge this take: {type(exc).__name__}: {exc}",
                )
            )
    return checks
