"""Default requirement weights per shot role; explicit weights on a shot win."""

from __future__ import annotations

from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import AXES, Role

__all__ = ["ROLE_WEIGHTS", "effective_weights"]

#: Default weights per role, on every axis in AXES (team estimate, from how editors brief
#: each kind of shot: a hero shot is about beauty, a product shot about exact geometry,
#: a dialogue shot about faces and sync, b-roll about cost).
ROLE_WEIGHTS: dict[Role, dict[str, float]] = {
    Role.HERO: {
        "aesthetics": 1.0,
        "motion": 0.6,
        "geometry": 0.4,
        "continuity": 0.5,
        "control": 0.4,
        "speed": 0.1,
        "cost": 0.1,
    },
    Role.PRODUCT: {
        "aesthetics": 0.5,
        "motion": 0.2,
        "geometry": 1.0,
        "continuity": 0.7,
        "control": 0.9,
        "speed": 0.2,
        "cost": 0.3,
    },
    Role.DIALOGUE: {
        "aesthetics": 0.5,
        "motion": 0.4,
        "geometry": 0.5,
        "continuity": 0.9,
        "control": 0.6,
        "speed": 0.2,
        "cost": 0.3,
    },
    Role.ESTABLISHING: {
        "aesthetics": 0.8,
        "motion": 0.3,
        "geometry": 0.7,
        "continuity": 0.3,
        "control": 0.4,
        "speed": 0.3,
        "cost": 0.4,
    },
    Role.BROLL: {
        "aesthetics": 0.4,
        "motion": 0.4,
        "geometry": 0.3,
        "continuity": 0.3,
        "control": 0.2,
        "speed": 0.6,
        "cost": 0.9,
    },
    Role.INSERT: {
        "aesthetics": 0.4,
        "motion": 0.2,
        "geometry": 0.8,
        "continuity": 0.5,
        "control": 0.7,
        "speed": 0.5,
        "cost": 0.7,
    },
}


def effective_weights(shot: Shot) -> dict[str, float]:
    """The shot's weights on every axis: role defaults overridden by explicit weights."""
    weights = dict(ROLE_WEIGHTS[shot.role])
    weights.update(shot.weights.explicit())
    return {axis: weights[axis] for axis in AXES}
