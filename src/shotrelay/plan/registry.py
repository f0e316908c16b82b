"""Planners by name: ``rules`` is built in; model-backed planners register here."""

from __future__ import annotations

from collections.abc import Callable

from shotrelay.errors import SpecError
from shotrelay.plan.llm import LLM_PLANNERS
from shotrelay.plan.planner import Planner, RulePlanner

__all__ = ["PLANNERS", "get_planner", "planner_names"]

#: name -> factory taking the model argument after the colon (``openai:gpt-4.1`` -> "gpt-4.1").
PLANNERS: dict[str, Callable[[str | None], Planner]] = {
    "rules": lambda _model: RulePlanner(),
    **LLM_PLANNERS,
}


def planner_names() -> list[str]:
    """Known planner names, sorted."""
    return sorted(PLANNERS)


def get_planner(spec: str | None) -> Planner:
    """The planner for ``name`` or ``name:model`` (``None`` means the rule planner)."""
    if not spec:
        return RulePlanner()
    name, _, model = spec.partition(":")
    factory = PLANNERS.get(name)
    if factory is None:
        raise SpecError(
            f"unknown planner {name!r}",
            file="--planner",
            fix=f"choose one of {', '.join(planner_names())} (e.g. --planner rules)",
        )
    return factory(model or None)
