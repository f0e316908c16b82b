"""Learned routing against priors only, in a seeded simulated world.

Five cloud video models have catalog priors. Their hidden true quality per shot class (role)
on the axes evidence speaks for (aesthetics, motion) differs from the priors: the team's
estimate is off by N(0, 0.12), clipped to 0..1. Projects of ten shots arrive one after
another; each is routed by the real router (route_project) on the priors only, or on the
posteriors (shotrelay.learn) from every earlier project's takes. Each take is judged with
noise (sd 0.1) on aesthetics and motion; 30% are rated by a person (1-5 stars from the true
quality, sd 0.05). Regret is the true quality lost against an oracle that knows the hidden
qualities and routes with the same policy (so cost trade-offs are not counted as loss),
summed over shots. Prints regret and cost for both, overall and in the first 20 shots,
averaged over worlds (each world its own seed: ``--seed`` + k), and the regret reduction
per world: its mean, median and worst, so the figure is not one lucky seed:

    .venv/bin/python bench/learning.py [--worlds 20] [--shots 200] [--seed 12]

Learning's settings are shotrelay.learn.Learning's defaults unless given: ``--sample``
(Thompson draws, 0 = rank on the mean), ``--prior-strength``, ``--prior-sd``, ``--explore``
(an optimism bonus) and ``--steady`` (shot classes never explored, comma-separated).
"""

from __future__ import annotations

import argparse
import random
import statistics
from dataclasses import dataclass

from shotrelay.catalog.profile import ModelProfile, Score
from shotrelay.learn import Learned, Learning, Outcome, Posterior, learn
from shotrelay.route import route_project
from shotrelay.route.plan import ShotRoute
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Role, Stage, Task
from shotrelay.testing import LOCAL_MODELS, model

CLASSES = [Role.HERO, Role.PRODUCT, Role.DIALOGUE, Role.ESTABLISHING, Role.BROLL]
PER_PROJECT = 10
#: The axes the evidence speaks for (the judge measures them; ratings say aesthetics). The
#: hidden truth differs from the priors on these; the other axes are as the catalog says.
OBSERVED = ("aesthetics", "motion")
DAY = 86400.0


@dataclass
class World:
    models: list[ModelProfile]
    truth: dict[tuple[str, str], float]
    rng: random.Random

    @property
    def known(self) -> Learned:
        """The hidden qualities as posteriors: what an oracle routes on."""
        out = Learned()
        for (m, c), q in self.truth.items():
            for axis in OBSERVED:
                out.table[(m, c, axis)] = Posterior(m, c, axis, q, q, 1.0, 1, 0)
        return out


def world(seed: int) -> World:
    rng = random.Random(seed)
    models = []
    truth = {}
    for i in range(5):
        prior = round(rng.uniform(0.6, 0.9), 2)
        usd = round(rng.uniform(0.3, 1.5), 2)
        m = model(f"video-{i}", "cloud", [Task.IMAGE_TO_VIDEO], usd=usd, score=prior)
        m = m.model_copy(
            update={"scores": {a: Score(value=prior, source="bench") for a in m.scores}}
        )
        models.append(m)
        for c in CLASSES:
            truth[(m.id, c.value)] = min(1.0, max(0.0, prior + rng.gauss(0, 0.12)))
    return World(models, truth, rng)


def run(
    w: World, shots: int, learning: bool, settings: Learning | None = None
) -> tuple[list[float], list[float], list[float]]:
    """Regret, cost and the oracle's cost per shot, in arrival order."""
    outcomes: list[Outcome] = []
    catalog = [*(m for m in LOCAL_MODELS if m.id != "local-camera"), *w.models]
    by_id = {m.id: m for m in w.models}
    regret: list[float] = []
    cost: list[float] = []
    best: list[float] = []
    rng = random.Random(w.rng.random())
    day = 0.0
    while len(regret) < shots:
        roles = [rng.choice(CLASSES) for _ in range(PER_PROJECT)]
        project = Project(
            name=f"p{len(regret)}",
            shots=[Shot(id=f"s{i}", duration=5, role=r) for i, r in enumerate(roles)],
        )
        learned = learn(outcomes, catalog, now=day, settings=settings) if learning else None
        plan = route_project(project, catalog, learned=learned)
        known = route_project(project, catalog, learned=w.known)
        oracle = {r.id: _generate(r) for r in known.shots}
        best += [_spent(r) for r in known.shots]
        for shot, route in zip(project.shots, plan.shots, strict=True):
            st = route.stage(Stage.GENERATE)
            assert st is not None
            cls = shot.role.value
            q = w.truth[(st.model, cls)]
            regret.append(w.truth[(oracle[shot.id], cls)] - q)
            cost.append(st.cost.usd)
            version = by_id[st.model].api_model
            for axis in ("aesthetics", "motion"):
                seen = min(1.0, max(0.0, q + rng.gauss(0, 0.1)))
                outcomes.append(_o(st.model, version, cls, axis, seen, "judged", day))
            if rng.random() < 0.3:
                stars = min(5, max(1, round(1 + 4 * (q + rng.gauss(0, 0.05)))))
                outcomes.append(
                    _o(st.model, version, cls, "aesthetics", (stars - 1) / 4, "rating", day)
                )
            day += DAY / 2
    return regret[:shots], cost[:shots], best[:shots]


def _generate(route: ShotRoute) -> str:
    st = route.stage(Stage.GENERATE)
    assert st is not None
    return st.model


def _spent(route: ShotRoute) -> float:
    st = route.stage(Stage.GENERATE)
    assert st is not None
    return st.cost.usd


def _o(m: str, v: str, cls: str, axis: str, value: float, kind: str, at: float) -> Outcome:
    return Outcome(model=m, version=v, shot_class=cls, axis=axis, value=value, kind=kind, at=at)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=20)
    parser.add_argument("--shots", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--explore", type=float, default=Learning().explore)
    parser.add_argument("--sample", type=float, default=Learning().sample)
    parser.add_argument("--prior-strength", type=float, default=Learning().prior_strength)
    parser.add_argument("--prior-sd", type=float, default=Learning().prior_sd)
    parser.add_argument(
        "--steady", default=",".join(Learning().steady), help="Classes never explored."
    )
    args = parser.parse_args()
    settings = Learning(
        explore=args.explore,
        sample=args.sample,
        prior_strength=args.prior_strength,
        prior_sd=args.prior_sd,
        steady=tuple(c for c in args.steady.split(",") if c),
    )
    totals = {"priors": [0.0, 0.0, 0.0], "learned": [0.0, 0.0, 0.0]}
    oracle_usd = 0.0
    worse_early = 0
    #: Per world (seed): the regret reduction and the cost change of learned routing.
    per_world: list[tuple[float, float, int]] = []
    for k in range(args.worlds):
        early, whole, spent = {}, {}, {}
        for name, learning in (("priors", False), ("learned", True)):
            r, c, o = run(world(args.seed + k), args.shots, learning, settings)
            oracle_usd += sum(o) / 2  # the same oracle in both runs
            totals[name][0] += sum(r)
            totals[name][1] += sum(c)
            totals[name][2] += sum(r[:20])
            early[name], whole[name], spent[name] = sum(r[:20]), sum(r), sum(c)
        worse_early += early["learned"] > early["priors"] + 0.05
        if whole["priors"] > 0.01:  # else the priors already route as the oracle does
            cut = 1 - whole["learned"] / whole["priors"]
            per_world.append((cut, spent["learned"] / spent["priors"] - 1, args.seed + k))
    n = args.worlds
    print(f"{n} worlds x {args.shots} shots (seed {args.seed}); per world:")
    for name, (reg, usd, first) in totals.items():
        print(
            f"  {name:8} regret {reg / n:6.2f}  cost ${usd / n:8.2f}  "
            f"regret in the first 20 shots {first / n:5.2f}"
        )
    p, lr = totals["priors"], totals["learned"]
    cut = 1 - lr[0] / p[0] if p[0] else 0.0
    print(f"  learned routing: {cut:.0%} less regret, cost {lr[1] / p[1] - 1:+.1%} vs priors only")
    print(f"  (the oracle, routing on the hidden qualities, costs {oracle_usd / p[1] - 1:+.1%})")
    print(f"  worlds where learning was clearly worse in the first 20 shots: {worse_early} of {n}")
    if not per_world:
        print("  in no world did priors only lose anything against the oracle")
        return
    cuts = sorted(c for c, _, _ in per_world)
    worst = min(per_world)
    dearest = max(per_world, key=lambda w: w[1])
    m = len(per_world)
    print(
        f"  regret reduction per world ({m} of {n} worlds where priors only lose anything): "
        f"mean {statistics.fmean(cuts):.0%}, median {statistics.median(cuts):.0%}, "
        f"worst {worst[0]:.0%} (seed {worst[2]}), best {cuts[-1]:.0%}; "
        f"at least 40% in {sum(c >= 0.4 for c in cuts)} of {m}"
    )
    print(
        f"  cost change per world: mean {statistics.fmean(w[1] for w in per_world):+.1%}, "
        f"highest {dearest[1]:+.1%} (seed {dearest[2]})"
    )


if __name__ == "__main__":
    main()
