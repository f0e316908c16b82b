"""How long routing takes for 1,000 shots: built-in catalog and a 10x synthetic one, with and
without a binding budget. Prints its figures: `.venv/bin/python bench/route_scale.py`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from shotrelay.catalog import load_catalog
from shotrelay.catalog.profile import ModelProfile, Score
from shotrelay.route import route_project
from shotrelay.route.draft import signature
from shotrelay.route.stages import hands_off
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Role

SHOTS = 1000
REPEATS = 3


def synthetic(models: Sequence[ModelProfile], copies: int, seed: int = 1) -> list[ModelProfile]:
    """The catalog plus ``copies - 1`` copies with scores and prices perturbed."""
    rng = random.Random(seed)
    out = list(models)
    for k in range(1, copies):
        for m in models:
            scores = {
                a: Score(value=min(1.0, max(0.0, s.value + rng.uniform(-0.1, 0.1))), source="bench")
                for a, s in m.scores.items()
            }
            pricing = m.pricing.model_copy(update={"usd": m.pricing.usd * rng.uniform(0.5, 1.5)})
            out.append(
                m.model_copy(update={"id": f"{m.id}-x{k}", "scores": scores, "pricing": pricing})
            )
    return out


def project(n: int, *, varied: bool, seed: int = 2) -> Project:
    """A project of ``n`` shots of mixed roles, lengths, dialogue, hand-offs and edits.

    ``varied`` draws lengths to a tenth of a second, so few shots ask exactly the same and
    the router's per-signature reuse rarely applies; otherwise lengths are whole seconds.
    """
    rng = random.Random(seed)
    shots = []
    for i in range(n):
        length = round(rng.uniform(1.5, 8.0), 1) if varied else rng.choice([2, 3, 4, 5, 6, 8])
        shot: dict[str, object] = {
            "duration": length,
            "role": rng.choice(list(Role)).value,
        }
        if rng.random() < 0.2:
            shot["dialogue"] = [{"speaker": "Ana", "line": "We ship on Friday, whatever it takes."}]
        if i and rng.random() < 0.2:
            shot["continues_previous"] = True
        if rng.random() < 0.1:
            shot["edit"] = "remove the logo on the mug"
        shots.append(shot)
    return Project.model_validate(
        {"name": "bench", "characters": [{"name": "Ana"}], "shots": shots}
    )


def timed(p: Project, models: Sequence[ModelProfile], budget: float | None) -> tuple[float, float]:
    best = float("inf")
    cost = 0.0
    for _ in range(REPEATS):
        start = time.perf_counter()
        plan = route_project(p, models, budget_usd=budget)
        best = min(best, time.perf_counter() - start)
        cost = plan.total_cost_usd
    return best, cost


def distinct(p: Project) -> int:
    """Shots that ask something different of the router."""
    previous = None
    seen = set()
    for shot in p.shots:
        seen.add(signature(shot, hands_off(shot, previous), False))
        previous = shot
    return len(seen)


def main() -> None:
    builtin = load_catalog(use_env=False).models
    catalogs = [("built-in", builtin), ("10x synthetic", synthetic(builtin, 10))]
    print(f"routing {SHOTS} shots, best of {REPEATS}, one process")
    print(f"{'shots':<24}{'catalog':<22}{'budget':<18}{'seconds':>9}{'plan $':>11}")
    for varied in (False, True):
        p = project(SHOTS, varied=varied)
        kind = f"{distinct(p)} distinct" + (" (varied)" if varied else "")
        for name, models in catalogs:
            label = f"{name} ({len(models)})"
            free_s, free_cost = timed(p, models, None)
            print(f"{kind:<24}{label:<22}{'none':<18}{free_s:>9.3f}{free_cost:>11.2f}")
            budget = round(free_cost * 0.6, 2)
            bound_s, bound_cost = timed(p, models, budget)
            tag = f"${budget:.2f} (60%)"
            print(f"{kind:<24}{label:<22}{tag:<18}{bound_s:>9.3f}{bound_cost:>11.2f}")


if __name__ == "__main__":
    main()
