"""The job graph: nodes in dependency order (per shot keyframe -> generate takes -> select ->
edit -> tts -> lipsync -> finishing), and what one call of a model costs.

``shotrelay.relay.compile`` builds it from a routed plan; the executor runs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.engine.jobs import JobNode
from shotrelay.spec.vocabulary import Task

__all__ = ["SELECT", "JobGraph", "estimate_cost"]

#: The step name of a node that chooses one take among a generate stage's takes.
SELECT = "select"


class JobGraph(BaseModel):
    """Nodes in dependency order, and where each shot's final clip and audio come from."""

    model_config = ConfigDict(frozen=True)

    project: str
    nodes: dict[str, JobNode]
    shots: list[str] = Field(description="Shot ids in cut order.")
    finals: dict[str, str] = Field(description="Shot id -> node id of its final clip.")
    audio: dict[str, str] = Field(
        default_factory=dict, description="Shot id -> node of speech not already in the clip."
    )
    notes: list[str] = Field(default_factory=list, description="Settings the builder lowered.")

    def downstream(self, node_ids: Sequence[str]) -> set[str]:
        """These nodes and every node that depends on them."""
        out = set(node_ids)
        for node in self.nodes.values():  # nodes are in dependency order
            if any(d in out for d in node.deps):
                out.add(node.id)
        return out


def estimate_cost(model: ModelProfile, params: Mapping[str, Any]) -> CostEstimate:
    """Cost of one call of ``model`` with these parameters (used for fallbacks).

    A fallback renders the clip length *it* allows for the shot (e.g. Sora's 4/8/12 s), not
    the routed model's, and is billed for that.
    """
    seconds = float(params.get("clip_seconds") or params.get("seconds") or 0.0)
    shot = float(params.get("seconds") or 0.0)
    if shot and ({Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO} & set(model.tasks)):
        seconds = model.clip_length(shot) or seconds
    text = str(params.get("text", ""))
    return model.pricing.estimate(
        seconds=seconds,
        chars=len(text),
        tokens=len(text) // 4,
        resolution=params.get("resolution"),
        label=model.name,
    )
