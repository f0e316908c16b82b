"""Shot durations that add up to the target and that the catalog's generators can make."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations_with_replacement

from shotrelay.catalog.profile import ModelProfile
from shotrelay.spec.vocabulary import Stage

__all__ = ["clip_support", "fit_durations"]

_TOLERANCE = 0.05
_MIN_SHOT = 1.0
_MAX_SHOT = 60.0


def clip_support(models: Sequence[ModelProfile]) -> dict[float, int]:
    """How many generate models can make a clip of exactly each length (whole seconds 1-60)."""
    generators = [m for m in models if any(m.does(t) for t in Stage.GENERATE.tasks)]
    support: dict[float, int] = {}
    for m in generators:
        if m.durations:
            lengths = {float(d) for d in m.durations}
        elif m.min_duration is not None and m.max_duration is not None:
            low, high = math.ceil(m.min_duration), math.floor(m.max_duration)
            lengths = {float(d) for d in range(low, high + 1)}
        else:
            lengths = {float(d) for d in range(2, 11)}  # "any length": count the usual ones
        for d in lengths:
            support[d] = support.get(d, 0) + 1
    return support


def fit_durations(
    target: float, max_shots: int, models: Sequence[ModelProfile], pace: float = 5.0
) -> list[float]:
    """Durations, longest first, summing to ``target`` (within 0.05 s).

    Prefers lengths most generate models support, a shot count near ``target / pace``, and
    exact sums; when no combination of supported lengths is exact, one shot takes the
    remainder (a generator makes a longer clip and the cut trims it).
    """
    if target <= 0:
        raise ValueError("target length must be positive")
    # No generator in the catalog: any usual length will do.
    support = clip_support(models) or {float(d): 1 for d in range(2, 11)}
    total = max(support.values())
    longest = max(support)
    lengths = sorted(
        (d for d in support if _MIN_SHOT <= d <= target + _TOLERANCE),
        key=lambda d: (-support[d], -d),
    )[:5]
    best: tuple[float, list[float]] | None = None
    top = max(max_shots, math.ceil(target / longest))
    for n in range(1, top + 1):
        pacing = abs(target / n - pace) / pace / 2
        for combo in combinations_with_replacement(lengths, n):
            gap = target - sum(combo)
            exact = abs(gap) <= _TOLERANCE
            score = sum(support[d] for d in combo) / (n * total) - pacing
            if n > max_shots:
                score -= 1.0  # more shots than beats: beats repeat
            if not exact:
                continue
            if best is None or score > best[0] + 1e-9:
                best = (score, sorted(combo, reverse=True))
        # Remainder form: n - 1 supported lengths plus one shot trimmed from a longer clip.
        for combo in combinations_with_replacement(lengths, n - 1):
            rest = round(target - sum(combo), 2)
            if not _MIN_SHOT <= rest <= min(longest, _MAX_SHOT) or rest in support:
                continue
            # A remainder far from the other shots' length makes a jarring cut.
            odd = abs(rest - target / n) / pace
            score = sum(support[d] for d in combo) / (n * total) - pacing - 0.5 - odd / 2
            if n > max_shots:
                score -= 1.0
            if best is None or score > best[0] + 1e-9:
                best = (score, sorted([*combo, rest], reverse=True))
    if best is None:
        # Longer than the catalog can fill with max_shots: even split, every shot trimmable.
        n = math.ceil(target / longest)
        return _even(target, n)
    return best[1]


def _even(target: float, n: int) -> list[float]:
    share = round(target / n, 2)
    out = [share] * (n - 1)
    return [*out, round(target - sum(out), 2)]
