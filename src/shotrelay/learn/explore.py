"""Seeded draws for Thompson sampling: one standard normal per (model, shot class).

A draw depends only on the seed, the class, how much evidence the class holds, and the
model: routing the same outcomes again routes the same way (a resumed run keeps its
plan), and every new judged or rated take of a class gives its models fresh draws. One draw
per model and class moves all of a model's axes together: the question a draw asks is
"might this model be the better one for this kind of shot", not one axis at a time.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping

__all__ = ["draws"]


def draws(
    seed: int,
    evidence: Mapping[str, int],
    models: Iterable[str],
    *,
    skip: Iterable[str] = (),
) -> dict[tuple[str, str], float]:
    """(model, shot class) -> z ~ N(0, 1) for every class in ``evidence`` not in ``skip``."""
    steady = set(skip)
    ids = list(models)
    out: dict[tuple[str, str], float] = {}
    for cls, count in evidence.items():
        if cls in steady:
            continue
        for mid in ids:
            key = hashlib.sha256(f"{seed}|{cls}|{count}|{mid}".encode()).digest()
            out[(mid, cls)] = random.Random(key).gauss(0.0, 1.0)
    return out
