"""A tiny catalog and hand-made plans for simulator tests."""

from __future__ import annotations

from shotrelay.catalog.profile import Latency, ModelProfile, Pricing, PricingRule
from shotrelay.route.plan import RoutePlan, ShotRoute, StageRoute
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Stage, Task

GEN = ModelProfile(
    id="gen",
    provider="simco",
    name="Gen",
    api_model="gen",
    tasks=[Task.TEXT_TO_VIDEO],
    pricing=Pricing(rule=PricingRule.PER_CLIP, usd=1.0),
    latency=Latency(base_s=1200, spread=0.3),
    concurrency=1,
)


def project(name: str, shots: int = 6) -> Project:
    return Project.model_validate(
        {"name": name, "shots": [{"duration": 4, "subject": f"x{i}"} for i in range(shots)]}
    )


def plan(p: Project, model: ModelProfile = GEN, takes: int = 1) -> RoutePlan:
    return RoutePlan(
        project=p.name,
        policy="test",
        shots=[
            ShotRoute(
                id=s.id,
                role=s.role,
                stages=[
                    StageRoute(
                        stage=Stage.GENERATE,
                        task=Task.TEXT_TO_VIDEO,
                        model=model.id,
                        provider=model.provider,
                        cost=model.pricing.estimate(seconds=4),
                        seconds=model.latency.estimate(4),
                        score=0.7,
                        quality=0.7,
                        params={"clip_seconds": 4.0, "resolution": "1080p", "takes": takes},
                    )
                ],
            )
            for s in p.shots
        ],
    )
