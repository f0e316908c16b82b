"""The structure gate: the animatic plan and the hash an approval is tied to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.errors import CatalogError
from shotrelay.route.plan import RoutePlan, ShotRoute, StageRoute
from shotrelay.spec.models import Project
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
    """Every shot: a keyframe on local-previs, then a clip on local-camera. Free, offline."""
    chosen: dict[Stage, ModelProfile] = {}
    for stage, (model_id, _task) in ANIMATIC_MODELS.items():
        model = models.get(model_id)
        if model is None:
            raise CatalogError(
                f"the animatic needs the local model {model_id!r}, which is not in the catalog; "
                "do not remove the built-in local models"
            )
        chosen[stage] = model
    shots = []
    for shot in project.shots:
        stages = []
        for stage, (_model_id, task) in ANIMATIC_MODELS.items():
            model = chosen[stage]
            params = {"clip_seconds": shot.duration} if stage == Stage.GENERATE else {}
            stages.append(
                StageRoute(
                    stage=stage,
                    task=task,
                    model=model.id,
                    provider=model.provider,
                    cost=CostEstimate(usd=0.0, rule=f"free ({model.name})"),
                    seconds=model.latency.estimate(shot.duration),
                    score=0.0,
                    quality=0.0,
                    reasons=["animatic"],
                    params=params,
                )
            )
        shots.append(ShotRoute(id=shot.id, role=shot.role, stages=stages))
    return RoutePlan(project=project.name, policy="animatic", shots=shots)


def paid_stages(plan: RoutePlan, models: Mapping[str, ModelProfile]) -> int:
    """How many routed stages run on a cloud model or cost money."""
    count = 0
    for shot in plan.shots:
        for st in shot.stages:
            model = models.get(st.model)
            if st.cost.usd > 0 or model is None or not model.local:
                count += 1
    return count
