"""The cost rule: learned routing never routes a stage to a model dearer than priors only
would choose for it, however strong the evidence for the dearer one; below that cost,
evidence moves the route as before."""

from __future__ import annotations

import random

from shotrelay.catalog.profile import ModelProfile
from shotrelay.learn import Learning, Outcome, learn
from shotrelay.route import route_project
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Role, Stage, Task
from shotrelay.testing import LOCAL_MODELS, model

LOCAL = [m for m in LOCAL_MODELS if m.id != "local-camera"]
FAVOURITE = model("favourite", "cloud", [Task.IMAGE_TO_VIDEO], usd=0.8, score=0.9)
DEAR = model("dear", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.6, score=0.8)
THRIFTY = model("thrifty", "cloud", [Task.IMAGE_TO_VIDEO], usd=0.5, score=0.6)
MODELS = [*LOCAL, FAVOURITE, DEAR, THRIFTY]
ROLES = [Role.BROLL, Role.PRODUCT, Role.DIALOGUE, Role.ESTABLISHING, Role.HERO]


def takes(mid: str, role: Role, value: float, n: int, kind: str = "judged") -> list[Outcome]:
    return [
        Outcome(
            model=mid, version=f"api/{mid}", shot_class=role.value, axis=axis, value=value,
            kind=kind, at=float(i),  # type: ignore[arg-type]
        )
        for i in range(n)
        for axis in ("aesthetics", "motion", "geometry", "continuity", "control")
    ]  # fmt: skip


def one_shot(role: Role = Role.BROLL) -> Project:
    return Project(name="p", shots=[Shot(id="a", duration=5, role=role, subject="a cup")])


def generate(plan: RoutePlan) -> tuple[str, float]:
    st = plan.shots[0].stage(Stage.GENERATE)
    assert st is not None
    return st.model, st.cost.usd


def test_a_dearer_model_proven_better_is_not_chosen() -> None:
    evidence = takes("dear", Role.BROLL, 1.0, 20) + takes("favourite", Role.BROLL, 0.3, 20)
    evidence += takes("thrifty", Role.BROLL, 0.3, 20)
    priors = generate(route_project(one_shot(), MODELS))
    assert priors[0] == "favourite"
    free = learn(evidence, MODELS, now=20.0, settings=Learning(cost_cap=False))
    assert generate(route_project(one_shot(), MODELS, learned=free))[0] == "dear"
    plan = route_project(one_shot(), MODELS, learned=learn(evidence, MODELS, now=20.0))
    capped = generate(plan)
    assert capped[0] != "dear" and capped[1] <= priors[1]
    st = plan.shots[0].stage(Stage.GENERATE)
    assert st is not None
    assert (
        f"cost rule: evidence ranks dear first, but learned routing keeps to the cost of the "
        f"priors' choice (${priors[1]:.2f}; Learning.cost_cap)"
    ) in st.reasons


def test_below_the_priors_cost_evidence_still_moves_the_route() -> None:
    evidence = takes("thrifty", Role.BROLL, 0.95, 20) + takes("favourite", Role.BROLL, 0.5, 20)
    priors = generate(route_project(one_shot(), MODELS))
    capped = generate(route_project(one_shot(), MODELS, learned=learn(evidence, MODELS, now=20.0)))
    assert capped[0] == "thrifty" and capped[1] < priors[1]


def test_the_dearer_model_stays_a_fallback() -> None:
    evidence = takes("dear", Role.BROLL, 1.0, 20) + takes("favourite", Role.BROLL, 0.3, 20)
    plan = route_project(one_shot(), MODELS, learned=learn(evidence, MODELS, now=20.0))
    st = plan.shots[0].stage(Stage.GENERATE)
    assert st is not None and st.model != "dear" and "dear" in st.fallbacks


def random_world(rng: random.Random) -> tuple[list[ModelProfile], list[Outcome], Project]:
    clouds = [
        model(
            f"v{i}", "cloud", [Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO],
            usd=round(rng.uniform(0.2, 2.0), 2), score=round(rng.uniform(0.5, 0.95), 2),
        )
        for i in range(5)
    ]  # fmt: skip
    evidence: list[Outcome] = []
    for m in clouds:
        for role in ROLES:
            n = rng.choice([0, 1, 3, 8, 20])
            kind = rng.choice(["judged", "rating", "vlm"])
            evidence += takes(m.id, role, round(rng.uniform(0.0, 1.0), 2), n, kind)
    shots = [
        Shot(id=f"s{i}", duration=rng.choice([3, 5, 8]), role=rng.choice(ROLES), subject="x")
        for i in range(8)
    ]
    return [*LOCAL, *clouds], evidence, Project(name="w", shots=shots, takes=rng.choice([1, 2]))


def test_learned_routing_never_picks_a_dearer_model_than_priors_only_for_the_same_stage() -> None:
    rng = random.Random(7)
    moved = 0
    for _ in range(25):
        models, evidence, project = random_world(rng)
        priors = route_project(project, models)
        for settings in (Learning(), Learning(sample=0.0), Learning(min_takes=0, sample=2.0)):
            learned = route_project(
                project, models, learned=learn(evidence, models, now=30.0, settings=settings)
            )
            for p, lr in zip(priors.shots, learned.shots, strict=True):
                pg, lg = p.stage(Stage.GENERATE), lr.stage(Stage.GENERATE)
                assert pg is not None and lg is not None
                moved += pg.model != lg.model
                # the stage with the finishing it implies, and every other stage
                assert (
                    sum(s.cost.usd for s in lr.stages) <= sum(s.cost.usd for s in p.stages) + 1e-9
                )
                for s in lr.stages:
                    if s.stage != Stage.GENERATE and (ps := p.stage(s.stage)) is not None:
                        assert s.cost.usd <= ps.cost.usd + 1e-9
                assert lg.cost.usd <= pg.cost.usd + 1e-9, (p.id, pg.model, lg.model)
    assert moved > 20  # evidence did move routes: the rule was put to the test
