"""Routing policy as data: presets, role and stage importance, and the user's rules."""

from __future__ import annotations

import difflib
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML

from shotrelay.errors import RoutingError
from shotrelay.spec.models import Policy, PolicyRule, Shot
from shotrelay.spec.roles import effective_weights
from shotrelay.spec.vocabulary import AXES, Role, Stage

__all__ = [
    "QUALITY_AXES",
    "RULE_KEYS",
    "Preset",
    "RouterSettings",
    "Weighting",
    "load_settings",
    "rule_matches",
]

#: Axes scored from the catalog; speed and cost are derived per candidate set.
QUALITY_AXES: tuple[str, ...] = tuple(a for a in AXES if a not in ("speed", "cost"))

#: Shot fields a rule's ``when`` may test.
RULE_KEYS: tuple[str, ...] = ("role", "stage", "framing", "camera", "lens", "id")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Preset(_Data):
    """A named routing preset: weight multipliers, a knob shift, a bonus for local models."""

    description: str = ""
    knob_shift: float = Field(0.0, ge=-1, le=1)
    weights: dict[str, float] = Field(default_factory=dict)
    local_bonus: float = Field(0.0, ge=0)
    rank_drafts: bool = Field(
        False, description="Rank previs-grade draft models with the rest (else: last resort)."
    )


class RouterSettings(_Data):
    """Everything in route/presets.yaml."""

    presets: dict[str, Preset]
    role_importance: dict[Role, float]
    stage_importance: dict[Stage, float]
    text_only_continuity: float = Field(ge=0, le=1)

    def preset(self, name: str) -> Preset:
        """The preset of this name; RoutingError naming the close ones if unknown."""
        try:
            return self.presets[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self.presets), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RoutingError(
                f"unknown routing preset {name!r}{hint}; presets are " + ", ".join(self.presets)
            ) from None


@cache
def load_settings() -> RouterSettings:
    """Load the built-in presets and importance tables."""
    text = files("shotrelay.route").joinpath("presets.yaml").read_text(encoding="utf-8")
    data: Any = YAML(typ="safe").load(text)
    return RouterSettings.model_validate(data)


def _field(shot: Shot, key: str, stage: Stage) -> str:
    if key == "stage":
        return stage.value
    value = getattr(shot, key)
    return str(getattr(value, "value", value))


def rule_matches(rule: PolicyRule, shot: Shot, stage: Stage) -> bool:
    """Whether every condition of a rule's ``when`` holds for this shot and stage."""
    return all(_field(shot, k, stage) == v for k, v in rule.when.items())


def check_policy(policy: Policy) -> None:
    """RoutingError for rules that test unknown fields or prefer unknown axes."""
    for i, rule in enumerate(policy.rules, start=1):
        for key in rule.when:
            if key not in RULE_KEYS:
                raise RoutingError(
                    f"policy.rules[{i}].when tests {key!r}; a rule may test " + ", ".join(RULE_KEYS)
                )
        for axis in rule.prefer:
            if axis not in AXES:
                raise RoutingError(
                    f"policy.rules[{i}].prefer sets {axis!r}; axes are " + ", ".join(AXES)
                )


class Weighting:
    """Per shot and stage: requirement weights (preset, then rules) and the rules that apply."""

    def __init__(self, policy: Policy, preset: Preset) -> None:
        check_policy(policy)
        self.policy = policy
        self.preset = preset
        self.knob = float(np.clip(policy.quality_vs_cost + preset.knob_shift, 0.0, 1.0))
        self._mult = np.array([preset.weights.get(a, 1.0) for a in AXES])
        self._cache: dict[tuple[object, ...], np.ndarray] = {}
        self.by_id = any("id" in r.when for r in policy.rules)

    def rules(self, shot: Shot, stage: Stage) -> list[PolicyRule]:
        """The policy rules whose ``when`` matches this shot at this stage."""
        return [r for r in self.policy.rules if rule_matches(r, shot, stage)]

    def weights(self, shot: Shot, stage: Stage) -> np.ndarray:
        """Weights on every axis of AXES, in that order (not yet shifted by the knob)."""
        key: tuple[object, ...] = (shot.role, shot.weights, stage, shot.framing, shot.camera)
        key += (shot.lens, shot.id if self.by_id else "")
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        base = effective_weights(shot)
        w = np.array([base[a] for a in AXES]) * self._mult
        for rule in self.rules(shot, stage):
            for axis, value in rule.prefer.items():
                w[AXES.index(axis)] = value
        self._cache[key] = w
        return w  # type: ignore[no-any-return]
