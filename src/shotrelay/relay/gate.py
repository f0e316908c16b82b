"""The structure gate: the animatic plan and the hash an approval is tied to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import CatalogError
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Policy, Project
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["ANIMATIC_MODELS", "animatic_plan", "paid_stages", "structure_hash"]

#: The local models that draw the animatic: a previs keyframe and a camera move on it.
ANIMATIC_MODELS: dict[Stage, tuple[str, Task]] = {
    Stage.KEYFRAME: ("local-previs", Task.TEXT_TO_IMAGE),
    Stage.GENERATE: ("local-camera", Task.IMAGE_TO_VIDEO),
}


def structure_hash(project: Project) -> str:
    """sha256 over shot ids, order, durations, framing, camera moves and transitions."""
    rows = [
        [
            s.id,
            s.order,
            s.duration,
            s.framing.value,
            s.camera.value,
            s.transition.value,
            s.transition_seconds,
        ]
        for s in project.shots
    ]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def animatic_plan(project: Project, models: Mapping[str, ModelProfile]) -> RoutePlan:
    """Every shot on the local previs and camera models: free, offline.

    The shots are routed like any plan, against those two models only (no dialogue, edits,
    pins or policy: the animatic reviews structure), so each job's parameters are the ones
    the relay gives the same models: when the relay runs locally too it reuses the animatic's
    keyframes and clips instead of rendering them again.
    """
    from shotrelay.route.router import route_project

    chosen: list[ModelProfile] = []
    for model_id, _task in ANIMATIC_MODELS.values():
        model = models.get(model_id)
        if model is None:
            raise CatalogError(
                f"the animatic needs the local model {model_id!r}, which is not in the catalog; "
                "do not remove the built-in local models"
            )
        chosen.append(model)
    bare = project.model_copy(
        update={
            "shots": [
                s.model_copy(update={"dialogue": [], "edit": "", "models": {}})
                for s in project.shots
            ],
            "policy": Policy(preset="previs"),
            "budget_usd": None,
        }
    )
    plan = route_project(bare, chosen, preset="previs")
    return plan.model_copy(update={"policy": "animatic"})


def paid_stages(plan: RoutePlan, models: Mapping[str, ModelProfile]) -> int:
    """How many routed stages run on a cloud model or cost money."""
    count = 0
    for shot in plan.shots:
        for st in shot.stages:
            model = models.get(st.model)
            if st.cost.usd > 0 or model is None or not model.local:
                count += 1
    return count
