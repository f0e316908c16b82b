"""The budget is a hard cap on every deadline path: trades, added takes, `--budget` (issue 10/9)."""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.catalog import builtin_models
from shotrelay.cli import app
from shotrelay.errors import BudgetError
from shotrelay.route import route_project
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.deadline import fit_deadline
from shotrelay.schedule.fit import Entry, fit
from shotrelay.schedule.priority import ProjectTerms
from shotrelay.spec.loader import load_project
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Role

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).parents[2] / "examples" / "startup-ad.yaml"
MODELS = {m.id: m for m in builtin_models()}


def test_route_deadline_keeps_the_command_line_budget(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    shutil.copy(EXAMPLE, file)  # the file says budget_usd: 40; --budget says 1.7
    result = CliRunner().invoke(
        app, ["route", str(file), "--deadline", "6h", "--budget", "1.7", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["budget_usd"] == 1.7
    assert data["total_cost_usd"] <= 1.7 + 1e-9, data["deadline"]["trades"]


def test_fit_deadline_reads_the_budget_the_plan_was_routed_under() -> None:
    project = load_project(EXAMPLE)
    plan = route_project(project, list(MODELS.values()), budget_usd=1.7)
    fitted = fit_deadline(project, plan, MODELS, NOW + timedelta(hours=6), now=NOW)
    assert fitted.plan.total_cost_usd <= 1.7 + 1e-9
    assert fitted.plan.budget_usd == 1.7


def _random_project(rng: random.Random, n: int) -> Project:
    roles = [r.value for r in Role]
    return Project.model_validate(
        {
            "name": f"p{n}",
            "takes": rng.choice([1, 1, 2, 3]),
            "policy": {"preset": rng.choice(["quality", "balanced", "fast", "cheap"])},
            "shots": [
                {
                    "duration": rng.choice([2, 4, 5, 6, 8]),
                    "role": rng.choice(roles),
                    "subject": f"thing {i}",
                }
                for i in range(rng.randint(1, 5))
            ],
        }
    )


def _cost(plan: RoutePlan) -> float:
    return plan.total_cost_usd


@pytest.mark.parametrize("seed", range(12))
def test_no_trade_ever_takes_a_plan_over_its_budget(seed: int) -> None:
    rng = random.Random(seed)
    models = list(MODELS.values())
    entries: list[Entry] = []
    budgets: dict[str, float] = {}
    for n in range(rng.randint(1, 3)):
        project = _random_project(rng, n)
        best = _cost(route_project(project, models))
        budget = round(best * rng.uniform(0.3, 1.6), 2)
        try:
            plan = route_project(project, models, budget_usd=budget)
        except BudgetError:  # below the cheapest feasible plan: the router refuses
            continue
        budgets[project.name] = max(budget, _cost(plan))  # what the router could reach
        window = rng.choice([5.0, 60.0, 600.0, 3600.0, 6 * 3600.0, 86400.0])
        terms = ProjectTerms(deadline=window, shots=len(project.shots))
        entries.append(Entry(project, plan, terms, budget))
    fitted = fit(entries, MODELS, cost_neutral=rng.random() < 0.3)
    for name, plan in fitted.plans.items():
        assert _cost(plan) <= budgets[name] + 1e-6, (name, fitted.trades[name])


@pytest.mark.parametrize("seed", range(6))
def test_fit_deadline_stays_in_the_budget_for_any_window(seed: int) -> None:
    rng = random.Random(100 + seed)
    project = load_project(EXAMPLE)
    budget = round(rng.uniform(0.5, 6.0), 2)
    try:
        plan = route_project(project, list(MODELS.values()), budget_usd=budget)
    except BudgetError:
        cheapest = route_project(project, list(MODELS.values()), preset="cheap")
        budget = round(cheapest.total_cost_usd + 0.01, 2)
        plan = route_project(project, list(MODELS.values()), budget_usd=budget)
    cap = max(budget, _cost(plan))
    for hours in (0.01, 0.5, 2.0, 6.0, 48.0):
        fitted = fit_deadline(project, plan, MODELS, NOW + timedelta(hours=hours), now=NOW)
        assert _cost(fitted.plan) <= cap + 1e-6, (budget, hours, fitted.trades)


def test_a_faster_but_dearer_model_is_not_traded_in_past_the_budget() -> None:
    # The late loop trades for speed; a faster sibling that costs more must not break the cap.
    fast = MODELS["veo-3.1-fast"]
    dear = fast.model_copy(update={"pricing": fast.pricing.model_copy(update={"usd": 2.0})})
    models = {**MODELS, "veo-3.1-fast": dear}
    used = [models[i] for i in ("veo-3.1", "veo-3.1-fast", "fal-video-upscaler", "flux-dev")]
    project = Project.model_validate(
        {
            "name": "t",
            "policy": {"preset": "quality"},
            "shots": [{"duration": 4, "subject": "a"}, {"duration": 8, "subject": "b"}],
        }
    )
    plan = route_project(project, used)
    budget = plan.total_cost_usd
    entry = Entry(project, plan, ProjectTerms(deadline=100, shots=2), budget)
    fitted = fit([entry], models)
    assert _cost(fitted.plans["t"]) <= budget + 1e-9
    assert not any("veo-3.1-fast" in t for t in fitted.trades["t"]), fitted.trades["t"]
    unbounded = fit([Entry(project, plan, ProjectTerms(deadline=100, shots=2))], models)
    assert any("veo-3.1-fast" in t for t in unbounded.trades["t"])  # the trade exists
