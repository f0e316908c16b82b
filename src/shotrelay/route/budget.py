"""Budget-aware assignment: the best total quality within a budget, solved exactly.

A multiple-choice knapsack: each shot-stage is a group, exactly one option per group, the sum
of option costs within the budget, maximising the sum of option values. It is solved as an
integer program with scipy.optimize.milp (HiGHS). A generate option bundles the finishing
stages it implies, so choosing a low-resolution model also pays for its upscale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from shotrelay.errors import BudgetError

__all__ = ["Group", "Option", "minimum_cost", "optimise"]

_EPS = 1e-9


@dataclass(frozen=True)
class Option:
    """One way to do a group: model rows (generate, then its finishing), cost, value."""

    choice: tuple[int, ...]
    cost: float
    value: float


@dataclass(frozen=True)
class Group:
    """One shot-stage and its options; ``preferred`` is the ranking's unconstrained pick."""

    label: str
    options: tuple[Option, ...]
    preferred: int


def minimum_cost(groups: Sequence[Group]) -> float:
    """Cost of the cheapest feasible plan."""
    return sum(min(o.cost for o in g.options) for g in groups)


def _frontier(group: Group) -> list[int]:
    """Options worth considering: no dearer than the preferred pick, and not dominated
    (another option as cheap and at least as good); the preferred pick wins ties."""
    cap = group.options[group.preferred].cost + _EPS
    order = sorted(
        (i for i, o in enumerate(group.options) if o.cost <= cap),
        key=lambda i: (group.options[i].cost, -group.options[i].value, i != group.preferred),
    )
    kept: list[int] = []
    best = -np.inf
    for i in order:
        if group.options[i].value > best + 1e-12:
            kept.append(i)
            best = group.options[i].value
    return kept


def optimise(groups: Sequence[Group], budget_usd: float) -> list[int]:
    """Index of the chosen option per group: total value maximal, total cost within budget.

    Options dearer than a group's preferred pick are not considered: the budget only ever
    trades down from the ranking's choice. BudgetError when even the cheapest plan is over.
    """
    floor = minimum_cost(groups)
    if budget_usd + 1e-6 < floor:
        raise BudgetError(
            f"the budget ${budget_usd:.2f} is below the cheapest feasible plan, "
            f"${floor:.2f}; raise budget_usd to at least ${floor:.2f}, or cut shots or stages",
            minimum_usd=round(floor, 6),
        )
    preferred = [g.preferred for g in groups]
    if sum(g.options[g.preferred].cost for g in groups) <= budget_usd + _EPS:
        return preferred
    frontiers = [_frontier(g) for g in groups]
    chosen = [f[0] for f in frontiers]
    fixed_cost = 0.0
    free: list[int] = []
    for gi, f in enumerate(frontiers):
        if len(f) == 1:
            fixed_cost += groups[gi].options[f[0]].cost
        else:
            free.append(gi)
    if not free:
        return chosen
    values: list[float] = []
    costs: list[float] = []
    rows: list[int] = []
    for r, gi in enumerate(free):
        for oi in frontiers[gi]:
            values.append(groups[gi].options[oi].value)
            costs.append(groups[gi].options[oi].cost)
            rows.append(r)
    n = len(values)
    pick = csr_array((np.ones(n), (np.array(rows), np.arange(n))), shape=(len(free), n))
    result = milp(
        c=-np.array(values),
        constraints=[
            LinearConstraint(pick, np.ones(len(free)), np.ones(len(free))),
            LinearConstraint(np.array([costs]), -np.inf, max(budget_usd - fixed_cost, 0.0) + 1e-7),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 1e-9},
    )
    if result.x is None:  # cannot happen above the floor; keep the cheapest plan if it does
        return [min(range(len(g.options)), key=lambda i: g.options[i].cost) for g in groups]
    x = np.round(result.x).astype(bool)
    start = 0
    for gi in free:
        size = len(frontiers[gi])
        chosen[gi] = frontiers[gi][int(np.flatnonzero(x[start : start + size])[0])]
        start += size
    return chosen
