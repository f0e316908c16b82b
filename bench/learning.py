"""Learned routing against priors only, in a seeded simulated world.

Five cloud video models have catalog priors. Their hidden true quality per shot class (role)
on the axes evidence speaks for (aesthetics, motion) differs from the priors: the team's
estimate is off by N(0, 0.12), clipped to 0..1. Projects of ten shots arrive one after
another; each is routed by the real router (route_project) on the priors only, or on the
posteriors (shotrelay.learn) from every earlier project's takes. Each take is judged with
noise (sd 0.1) on aesthetics and motion; 30% are rated by a person (1-5 stars from the true
quality, sd 0.05). Regret is the true quality lost against an oracle that knows the hidden
qualities and routes with the same policy (so cost trade-offs are not counted as loss),
summed over shots. The policy includes learned routing's cost rule (no stage routed to a
model dearer than the priors' choice), so the oracle keeps to it too; the regret against a
free oracle (dearer models allowed) is printed beside it. Prints regret and cost for both,
overall and in the first 20 shots, averaged over worlds (each world its own seed:
``--seed`` + k), the worlds where learning was clearly worse in the first 20 shots (more
than 0.05 of true quality lost against priors only), and the regret reduction per world:
its mean, median and worst, so the figure is not one lucky seed:

    .venv/bin/python bench/learning.py [--worlds 20] [--shots 200] [--seed 12]

Learning's settings are shotrelay.learn.Learning's defaults unless given: ``--sample``
(Thompson draws, 0 = rank on the mean), ``--prior-strength``, ``--prior-sd``, ``--explore``
(an optimism bonus), ``--min-takes`` (takes of a class before its evidence routes),
``--no-cost-cap`` (let learning route to dearer models) and ``--steady`` (shot classes never
explored, comma-separated).
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Iterable
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

    def known(self, cost_cap: bool) -> Learned:
        """The hidden qualities as posteriors: what an oracle routes on, with learned
        routing's cost rule (no model dearer than the priors' choice) or without."""
        out = Learned(cost_cap=cost_cap)
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


@dataclass
class Trace:
    """Per shot, in arrival order: regret against the oracle under the same policy (the
    cost rule when it is on) and against the free oracle, the cost, and each oracle's cost."""

    regret: list[float]
    free_regret: list[float]
    cost: list[float]
    oracle_cost: list[float]
    free_cost: list[float]


def run(w: World, shots: int, learning: bool, settings: Learning | None = None) -> Trace:
    """Route ``shots`` shots in projects of ten, learning (or not) from every earlier take."""
    outcomes: list[Outcome] = []
    catalog = [*(m for m in LOCAL_MODELS if m.id != "local-camera"), *w.models]
    by_id = {m.id: m for m in w.models}
    t = Trace([], [], [], [], [])
    rule = (settings or Learning()).cost_cap  # the oracle keeps to the same policy
    rng = random.Random(w.rng.random())
    day = 0.0
    while len(t.regret) < shots:
        roles = [rng.choice(CLASSES) for _ in range(PER_PROJECT)]
        project = Project(
            name=f"p{len(t.regret)}",
            shots=[Shot(id=f"s{i}", duration=5, role=r) for i, r in enumerate(roles)],
        )
        learned = learn(outcomes, catalog, now=day, settings=settings) if learning else None
        plan = route_project(project, catalog, learned=learned)
        capped = route_project(project, catalog, learned=w.known(rule))
        free = route_project(project, catalog, learned=w.known(False))
        oracle = {r.id: _generate(r) for r in capped.shots}
        free_oracle = {r.id: _generate(r) for r in free.shots}
        t.oracle_cost += [_spent(r) for r in capped.shots]
        t.free_cost += [_spent(r) for r in free.shots]
        for shot, route in zip(project.shots, plan.shots, strict=True):
            st = route.stage(Stage.GENERATE)
            assert st is not None
            cls = shot.role.value
            q = w.truth[(st.model, cls)]
            t.regret.append(w.truth[(oracle[shot.id], cls)] - q)
            t.free_regret.append(w.truth[(free_oracle[shot.id], cls)] - q)
            t.cost.append(st.cost.usd)
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
    return t


def _generate(route: ShotRoute) -> str:
    st = route.stage(Stage.GENERATE)
    assert st is not None
    return st.model


def _spent(route: ShotRoute) -> float:
    st = route.stage(Stage.GENERATE)
    assert st is not None
    return st.cost.usd


def _o(m: str, v: str, cls: str, axis: str, value: float, kind: str, at: float) -> Outcome:
    return Outcome(model=m, version=v, shot_class=cls, axis=axis, value=value, kind=kind, at=at)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=20)
    parser.add_argument("--shots", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    d = Learning()
    parser.add_argument("--explore", type=float, default=d.explore)
    parser.add_argument("--sample", type=float, default=d.sample)
    parser.add_argument("--prior-strength", type=float, default=d.prior_strength)
    parser.add_argument("--prior-sd", type=float, default=d.prior_sd)
    parser.add_argument("--min-takes", type=int, default=d.min_takes)
    parser.add_argument(
        "--no-cost-cap", action="store_true", help="Let learning route to dearer models."
    )
    parser.add_argument("--steady", default=",".join(d.steady), help="Classes never explored.")
    args = parser.parse_args()
    settings = Learning(
        explore=args.explore,
        sample=args.sample,
        prior_strength=args.prior_strength,
        prior_sd=args.prior_sd,
        min_takes=args.min_takes,
        cost_cap=not args.no_cost_cap,
        steady=tuple(c for c in args.steady.split(",") if c),
    )
    report(args.worlds, args.shots, args.seed, settings)


def report(n: int, shots: int, seed: int, settings: Learning) -> None:
    """Run ``n`` worlds both ways and print the pooled and per-world figures."""
    traces = [
        (
            seed + k,
            run(world(seed + k), shots, False, settings),
            run(world(seed + k), shots, True, settings),
        )
        for k in range(n)
    ]
    cap = "on" if settings.cost_cap else "off"
    print(f"{n} worlds x {shots} shots (seed {seed}, cost rule {cap}); per world:")
    p = [a for _, a, _ in traces]
    lr = [b for _, _, b in traces]
    for name, ts in (("priors", p), ("learned", lr)):
        print(
            f"  {name:8} regret {_mean(sum(t.regret) for t in ts):6.2f} "
            f"(free oracle {_mean(sum(t.free_regret) for t in ts):5.2f})  "
            f"cost ${_mean(sum(t.cost) for t in ts):8.2f}  "
            f"regret in the first 20 shots {_mean(sum(t.regret[:20]) for t in ts):5.2f}"
        )
    usd_p, usd_l = sum(sum(t.cost) for t in p), sum(sum(t.cost) for t in lr)
    for label, field in (("", "regret"), (" against the free oracle", "free_regret")):
        rp = sum(sum(getattr(t, field)) for t in p)
        rl = sum(sum(getattr(t, field)) for t in lr)
        print(f"  learned routing{label}: {1 - rl / rp if rp else 0.0:.1%} less regret")
    print(f"  cost {usd_l / usd_p - 1:+.1%} vs priors only")
    capped = sum(sum(t.oracle_cost) for t in p) / usd_p - 1
    free = sum(sum(t.free_cost) for t in p) / usd_p - 1
    print(f"  (the same-policy oracle costs {capped:+.1%}, the free oracle {free:+.1%})")
    # Clearly worse early: more than 0.05 of true quality lost over the first 20 shots
    # (the same against either oracle: both runs meet the same projects).
    early = [(sum(b.regret[:20]) - sum(a.regret[:20]), s) for s, a, b in traces]
    worse = [s for d, s in early if d > 0.05]
    print(
        f"  worlds where learning was clearly worse in the first 20 shots: {len(worse)} of {n}"
        + (f" (seeds {', '.join(map(str, worse))})" if worse else "")
        + f"; the largest early loss {max(early)[0]:+.2f}{_seed(max(early))}"
    )
    dearer = [(sum(b.cost) / sum(a.cost) - 1, s) for s, a, b in traces]
    print(f"  cost change per world: highest {max(dearer)[0]:+.1%}{_seed(max(dearer))}")
    for label, field in (("", "regret"), (" (free oracle)", "free_regret")):
        cuts = [
            (1 - sum(getattr(b, field)) / sum(getattr(a, field)), s)
            for s, a, b in traces
            if sum(getattr(a, field)) > 0.01  # else the priors already route as the oracle
        ]
        if not cuts:
            print(f"  per world{label}: in no world did priors only lose anything")
            continue
        vals = sorted(c for c, _ in cuts)
        worst = min(cuts)
        print(
            f"  regret reduction per world{label} ({len(cuts)} of {n} worlds where priors "
            f"only lose anything): mean {statistics.fmean(vals):.0%}, median "
            f"{statistics.median(vals):.0%}, worst {worst[0]:.0%} (seed {worst[1]}), best "
            f"{vals[-1]:.0%}; at least 40% in {sum(c >= 0.4 for c in vals)} of {len(vals)}"
        )


def _seed(figure: tuple[float, int]) -> str:
    """`` (seed N)`` for a figure above zero: which world it is (at zero, all tie)."""
    return f" (seed {figure[1]})" if figure[0] > 1e-9 else ""


def _mean(values: Iterable[float]) -> float:
    return statistics.fmean(values)


if __name__ == "__main__":
    main()
