"""Planners by name, from the entry-point group ``shotrelay.planners`` (``shotrelay.plugins``):
``rules`` and the model-backed planners are registered there like any plug-in's."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import cast

from shotrelay.errors import SpecError
from shotrelay.plan.planner import Planner, RulePlanner
from shotrelay.plugins import PLANNERS, load_group

__all__ = ["get_planner", "planner_errors", "planner_names", "planners", "rule_planner"]

#: A planner factory: the model argument after the colon (``openai:gpt-4.1`` -> "gpt-4.1").
PlannerFactory = Callable[[str | None], Planner]


def rule_planner(model: str | None = None) -> Planner:
    """The built-in rule planner (it takes no model)."""
    return RulePlanner()


@cache
def _loaded() -> tuple[dict[str, PlannerFactory], dict[str, str]]:
    loaded = load_group(PLANNERS)
    factories = {n: cast(PlannerFactory, f) for n, f in loaded.objects.items() if callable(f)}
    errors = dict(loaded.errors)
    errors.update({n: "not callable" for n, f in loaded.objects.items() if not callable(f)})
    factories.setdefault("rules", rule_planner)  # even without installed metadata
    return factories, errors


def planners() -> dict[str, PlannerFactory]:
    """Every registered planner factory, by name."""
    return dict(_loaded()[0])


def planner_errors() -> dict[str, str]:
    """Planner plug-ins that failed to load, with the reason."""
    return dict(_loaded()[1])


def planner_names() -> list[str]:
    """Known planner names, sorted."""
    return sorted(planners())


def get_planner(spec: str | None) -> Planner:
    """The planner for ``name`` or ``name:model`` (``None`` means the rule planner)."""
    if not spec:
        return RulePlanner()
    name, _, model = spec.partition(":")
    factory = planners().get(name)
    if factory is None:
        raise SpecError(
            f"unknown planner {name!r}",
            file="--planner",
            fix=f"choose one of {', '.join(planner_names())} (e.g. --planner rules)",
        )
    return factory(model or None)
