"""A simulated studio day through the real engine: deterministic, virtual, and scheduled."""

from __future__ import annotations

import itertools

from shotrelay.schedule.priority import ProjectTerms
from shotrelay.schedule.shared_slots import studio_slots
from shotrelay.sim.virtual_studio import SimProject, StudioResult, run_studio

from .sim_fakes import GEN, plan, project

HOUR = 3600.0


def day(policy: str, seed: int = 1, urgent_deadline: float = 8 * HOUR) -> StudioResult:
    """Four projects of six 20-minute calls on one slot: a day of work. The last one listed
    is urgent; the others have loose deadlines."""
    names = ["a", "b", "c", "urgent"]
    terms = {n: ProjectTerms(deadline=24 * HOUR, shots=6) for n in names[:3]}
    terms["urgent"] = ProjectTerms(deadline=urgent_deadline, shots=6)
    sims = [SimProject(project(n), plan(project(n)), terms[n]) for n in names]
    slots = studio_slots(policy, terms, {GEN.id: GEN})
    return run_studio(sims, [GEN], slots, seed=seed, transient_rate=0.05)


def test_an_eight_hour_day_simulates_and_repeats_exactly_for_a_seed() -> None:
    first, again = day("slack"), day("slack")
    assert first.makespan > 6 * HOUR
    assert first.makespan >= first.lower_bound > 0
    assert [(p.finished, p.cost_usd, p.quality) for p in first.projects] == [
        (p.finished, p.cost_usd, p.quality) for p in again.projects
    ]
    assert first.calls == again.calls
    other = day("slack", seed=2)
    assert [p.finished for p in other.projects] != [p.finished for p in first.projects]


def test_provider_concurrency_holds_across_projects() -> None:
    result = day("fifo")
    spans = sorted((c.start, c.end) for c in result.calls)
    assert all(b[0] >= a[1] - 1e-6 for a, b in itertools.pairwise(spans))
    assert all(p.shots_done == 6 for p in result.projects)


def test_least_slack_meets_the_urgent_project_that_fifo_misses() -> None:
    fifo = {p.name: p for p in day("fifo", urgent_deadline=3 * HOUR).projects}
    ours = {p.name: p for p in day("slack", urgent_deadline=3 * HOUR).projects}
    assert not fifo["urgent"].met
    assert ours["urgent"].met
    assert ours["urgent"].first_preview is not None
    assert ours["urgent"].first_preview < fifo["urgent"].first_preview  # type: ignore[operator]


def test_results_report_cost_quality_and_attainment() -> None:
    r = day("edf")
    assert r.cost_usd == 24.0  # 24 calls at $1; failed attempts are not charged
    assert 0.5 < r.mean_quality < 0.9
    assert r.attainment == 1.0
