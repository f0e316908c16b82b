"""The optional VLM judge (``--judge-with``): a configured planner's model, as the relay
calls it to score each take's frames."""

from __future__ import annotations

from shotrelay.catalog.loader import load_catalog
from shotrelay.errors import SpecError
from shotrelay.relay.judging import ShotVLM

__all__ = ["visual_judge"]


def visual_judge(spec: str) -> ShotVLM:
    """The VLM judge for ``name`` or ``name:model`` of a model planner with vision
    (openai, anthropic, gemini, ollama); its key comes from the environment or .env."""
    from shotrelay.plan.llm.base import LLMPlanner
    from shotrelay.plan.llm.judge import IMAGE_PARTS, VLMJudge, shot_judge
    from shotrelay.plan.registry import get_planner

    planner = get_planner(spec)
    if not isinstance(planner, LLMPlanner) or planner.name not in IMAGE_PARTS:
        raise SpecError(
            f"planner {spec!r} cannot look at frames",
            file="--judge-with",
            fix=f"choose one of {', '.join(sorted(IMAGE_PARTS))} (optionally name:model)",
        )
    ok, why = planner.available()
    if not ok:
        raise SpecError(f"the {planner.name} judge is not usable", file="--judge-with", fix=why)
    return shot_judge(VLMJudge(planner, load_catalog().models))
