"""The job graph: nodes in dependency order (per shot keyframe -> generate takes -> select ->
edit -> tts -> lipsync -> finishing).

``shotrelay.relay.compile`` builds it from a routed plan; the executor runs it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.engine.jobs import JobNode

__all__ = ["SELECT", "JobGraph"]

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
