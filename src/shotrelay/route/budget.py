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


def _hull(group: Group, kept: list[int]) -> list[int]:
    """The upper concave hull of a frontier (ascending cost): the LP-efficient options."""
    hull: list[int] = []
    for i in kept:
        o = group.options[i]
        while len(hull) >= 2:
            a, b = group.options[hull[-2]], group.options[hull[-1]]
            # b lies on or below the segment a -> o: it is never LP-efficient.
            if (b.value - a.value) * (o.cost - a.cost) <= (o.value - a.value) * (b.cost - a.cost):
                hull.pop()
            else:
                break
        hull.append(i)
    return hull


def _fix_by_bounds(
    groups: Sequence[Group], frontiers: list[list[int]], budget_usd: float
) -> list[list[int]]:
    """Drop options that provably cannot be in an optimal plan (exact, not a heuristic).

    The LP relaxation of the knapsack is solved greedily, giving a budget price ``lam`` and
    a feasible plan worth ``lower``. Forcing an option in costs at least its loss against
    its group's best at that price; options whose Lagrangian bound falls below ``lower``
    are removed, so the integer program only sees the few groups near the margin.
    """
    steps: list[tuple[float, float, int, int]] = []  # (slope, cost step, group, hull rank)
    hulls = [_hull(g, f) for g, f in zip(groups, frontiers, strict=True)]
    spend = sum(g.options[h[0]].cost for g, h in zip(groups, hulls, strict=True))
    for gi, (g, h) in enumerate(zip(groups, hulls, strict=True)):
        for k in range(1, len(h)):
            a, b = g.options[h[k - 1]], g.options[h[k]]
            steps.append(
                ((b.value - a.value) / max(b.cost - a.cost, 1e-12), b.cost - a.cost, gi, k)
            )
    steps.sort(key=lambda s: -s[0])
    level = [0] * len(groups)
    lam = 0.0
    room = budget_usd - spend
    for slope, dc, gi, k in steps:
        if level[gi] == k - 1 and dc <= room + 1e-12:
            level[gi], room = k, room - dc
        elif lam == 0.0:
            lam = slope  # the first step that does not fit prices the budget
    lower = sum(
        g.options[h[level[gi]]].value for gi, (g, h) in enumerate(zip(groups, hulls, strict=True))
    )
    best = [
        max(g.options[i].value - lam * g.options[i].cost for i in f)
        for g, f in zip(groups, frontiers, strict=True)
    ]
    upper = lam * budget_usd + sum(best)
    tol = 1e-7 * max(1.0, abs(upper))
    out: list[list[int]] = []
    for g, f, top in zip(groups, frontiers, best, strict=True):
        keep = [
            i
            for i in f
            if upper - (top - (g.options[i].value - lam * g.options[i].cost)) >= lower - tol
        ]
        out.append(keep)
    return out


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
    frontiers = _fix_by_bounds(groups, [_frontier(g) for g in groups], budget_usd)
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
    _solve_core(groups, frontiers, free, chosen, budget_usd - fixed_cost)
    return chosen


def _solve_core(
    groups: Sequence[Group],
    frontiers: list[list[int]],
    free: list[int],
    chosen: list[int],
    budget_usd: float,
) -> None:
    """Solve the groups still open with HiGHS; fills ``chosen`` in place.

    Groups with identical options (shots that ask the same) are merged into one class whose
    variables count how many of its groups take each option: an exact reformulation that
    removes the symmetry which would otherwise make branch and bound crawl.
    """
    # Imported here: scipy.optimize costs a third of a second, and most plans fit the budget.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    classes: dict[tuple[tuple[float, float], ...], list[int]] = {}
    for gi in free:
        key = tuple(
            (groups[gi].options[i].cost, groups[gi].options[i].value) for i in frontiers[gi]
        )
        classes.setdefault(key, []).append(gi)
    members = list(classes.values())
    values: list[float] = []
    costs: list[float] = []
    rows: list[int] = []
    upper: list[int] = []
    for r, gis in enumerate(members):
        for oi in frontiers[gis[0]]:
            values.append(groups[gis[0]].options[oi].value)
            costs.append(groups[gis[0]].options[oi].cost)
            rows.append(r)
            upper.append(len(gis))
    n, sizes = len(values), np.array([len(g) for g in members], dtype=float)
    count = csr_array((np.ones(n), (np.array(rows), np.arange(n))), shape=(len(members), n))
    result = milp(
        c=-np.array(values),
        constraints=[
            LinearConstraint(count, sizes, sizes),
            LinearConstraint(np.array([costs]), -np.inf, max(budget_usd, 0.0) + 1e-7),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, np.array(upper, dtype=float)),
        # Proven within 0.001% of the optimum: tighter gaps cost seconds on near-ties.
        options={"mip_rel_gap": 1e-5},
    )
    if result.x is None:  # cannot happen above the floor; keep the cheapest options
        for gi in free:
            chosen[gi] = frontiers[gi][0]
        return
    taken = np.round(result.x).astype(int)
    start = 0
    for gis in members:
        options = frontiers[gis[0]]
        slots = [oi for k, oi in enumerate(options) for _ in range(taken[start + k])]
        for gi, oi in zip(gis, slots, strict=True):
            chosen[gi] = oi
        start += len(options)
