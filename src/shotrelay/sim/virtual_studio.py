"""Run a studio's projects through the real engine against simulated providers, virtually."""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.executor import Executor, Outcome, TakeResult
from shotrelay.engine.graph import SELECT, JobGraph
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.settings import ExecutorHooks, ExecutorSettings
from shotrelay.engine.store import ArtifactStore
from shotrelay.relay.compile import build_graph
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.predict import capacity_bound, critical_path
from shotrelay.schedule.priority import ProjectTerms
from shotrelay.schedule.shared_slots import SlotsFactory
from shotrelay.schedule.tasks import graph_tasks
from shotrelay.sim.clock import run_virtual
from shotrelay.sim.provider import CallRecord, SimProvider
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage

__all__ = ["ProjectResult", "SimProject", "StudioResult", "run_studio"]


@dataclass(frozen=True)
class SimProject:
    """A project to simulate: its spec, the plan to run, its terms and budget."""

    project: Project
    plan: RoutePlan
    terms: ProjectTerms = field(default_factory=ProjectTerms)
    budget_usd: float | None = None


@dataclass(frozen=True)
class ProjectResult:
    """How one project went (times in seconds on the virtual clock)."""

    name: str
    finished: float | None
    deadline: float | None
    cost_usd: float
    quality: float | None
    first_preview: float | None
    shots_done: int
    shots: int

    @property
    def met(self) -> bool:
        """Every shot done, by the deadline (a project without one only has to finish)."""
        if self.finished is None or self.shots_done < self.shots:
            return False
        return self.deadline is None or self.finished <= self.deadline + 1e-9


@dataclass
class StudioResult:
    """Every project's result, the simulated calls and the makespan lower bound."""

    projects: list[ProjectResult]
    calls: list[CallRecord]
    critical_path_s: float
    capacity_bound_s: float
    qualities: list[float] = field(default_factory=list)

    @property
    def makespan(self) -> float:
        """When the last project finished (or its last call ended)."""
        ends = [p.finished or 0.0 for p in self.projects] + [c.end for c in self.calls]
        return max(ends, default=0.0)

    @property
    def lower_bound(self) -> float:
        """max(critical path, busiest model's work over its slots), from realised durations."""
        return max(self.critical_path_s, self.capacity_bound_s)

    @property
    def attainment(self) -> float:
        """Share of projects done by their deadline."""
        return sum(p.met for p in self.projects) / max(1, len(self.projects))

    @property
    def cost_usd(self) -> float:
        """What every successful call cost."""
        return sum(p.cost_usd for p in self.projects)

    @property
    def mean_quality(self) -> float:
        """Mean quality of every finished shot."""
        return sum(self.qualities) / max(1, len(self.qualities))


def run_studio(
    projects: Sequence[SimProject],
    models: Sequence[ModelProfile],
    slots_for: SlotsFactory,
    *,
    seed: int = 0,
    transient_rate: float = 0.05,
    rejected_rate: float = 0.0,
    workdir: Path | None = None,
) -> StudioResult:
    """Simulate every project at once on a virtual clock; return what happened."""
    if workdir is not None:
        return run_virtual(
            _studio(projects, models, slots_for, seed, transient_rate, rejected_rate, workdir)
        )
    with tempfile.TemporaryDirectory(prefix="shotrelay-sim-") as tmp:
        return run_virtual(
            _studio(projects, models, slots_for, seed, transient_rate, rejected_rate, Path(tmp))
        )


class _Packet:
    def __init__(self) -> None:
        self.reference_images: list[Path] = []
        self.handoff = False


def _compile(
    stage: Stage, shot: Shot, project: Project, model: ModelProfile, packet: Any
) -> tuple[str, str]:
    return f"{project.name} {shot.id} {stage.value} {shot.subject}", ""


def _best_take(shot_id: str, takes: list[TakeResult]) -> int | None:
    scored = [(json.loads(t.path.read_text())["quality"], -t.take, t.take) for t in takes]
    return max(scored)[2] if scored else None


async def _studio(
    projects: Sequence[SimProject],
    models: Sequence[ModelProfile],
    slots_for: SlotsFactory,
    seed: int,
    transient_rate: float,
    rejected_rate: float,
    root: Path,
) -> StudioResult:
    by_id = {m.id: m for m in models}
    providers = {
        name: SimProvider(
            name, seed=seed, transient_rate=transient_rate, rejected_rate=rejected_rate
        )
        for name in sorted({m.provider for m in models})
    }
    graphs: dict[str, JobGraph] = {}
    stores: dict[str, ArtifactStore] = {}
    journals: dict[str, Journal] = {}
    for sp in projects:
        name = sp.project.name
        stores[name] = ArtifactStore(root / name / "store", fsync=False)
        journals[name] = Journal(root / name / "journal.sqlite")
        graphs[name] = build_graph(
            sp.project,
            sp.plan,
            by_id,
            store=stores[name],
            compile=_compile,
            packets=lambda _s: _Packet(),
        )
    slots = slots_for(graphs)
    loop = asyncio.get_running_loop()
    times: dict[str, dict[tuple[str, str], float]] = {n: {} for n in graphs}

    def recorder(name: str) -> Callable[[EngineEvent], None]:
        def on_event(e: EngineEvent) -> None:
            if e.kind == "take" or (e.kind == "state" and e.state == JobStateName.SUCCEEDED):
                times[name][(e.shot_id, e.stage)] = loop.time()

        return on_event

    async def one(sp: SimProject) -> tuple[Outcome, float]:
        name = sp.project.name
        executor = Executor(
            journals[name],
            stores[name],
            providers,
            by_id,
            ExecutorSettings(
                budget_usd=sp.budget_usd,
                rand=random.Random(f"{seed}:{name}").random,
                verify_cached=False,
            ),
            ExecutorHooks(on_event=recorder(name), scorer=_best_take, slots=slots[name]),
            scratch=root / name / "scratch",
        )
        outcome = await executor.run(graphs[name])
        return outcome, loop.time()

    start = loop.time()
    try:
        runs = await asyncio.gather(*(one(sp) for sp in projects))
    except BaseException:
        for journal in journals.values():
            journal.close()
        raise
    calls = [c for p in providers.values() for c in p.calls]
    results: list[ProjectResult] = []
    qualities: list[float] = []
    for sp, (outcome, end) in zip(projects, runs, strict=True):
        name = sp.project.name
        graph = graphs[name]
        done, shot_q = _shots(sp, graph, outcome, stores[name], times[name], start)
        qualities += shot_q
        first = done.get(graph.shots[0]) if graph.shots else None
        _, actual = journals[name].costs()
        journals[name].close()
        results.append(
            ProjectResult(
                name=name,
                finished=end - start if outcome.ok else None,
                deadline=None if sp.terms.deadline is None else sp.terms.deadline - start,
                cost_usd=actual,
                quality=sum(shot_q) / len(shot_q) if shot_q else None,
                first_preview=first,
                shots_done=len(done),
                shots=len(graph.shots),
            )
        )
    outcomes = {sp.project.name: outcome for sp, (outcome, _) in zip(projects, runs, strict=True)}
    cp, cap = _bounds(graphs, outcomes, calls, by_id)
    return StudioResult(
        projects=results,
        calls=calls,
        critical_path_s=cp,
        capacity_bound_s=cap,
        qualities=qualities,
    )


def _shots(
    sp: SimProject,
    graph: JobGraph,
    outcome: Outcome,
    store: ArtifactStore,
    times: Mapping[tuple[str, str], float],
    start: float,
) -> tuple[dict[str, float], list[float]]:
    """When each finished shot was done, and each finished shot's quality."""
    done: dict[str, float] = {}
    quality: list[float] = []
    for shot_id in graph.shots:
        final = outcome.results.get(graph.finals[shot_id])
        if final is None or final.state != JobStateName.SUCCEEDED:
            continue
        node = graph.nodes[graph.finals[shot_id]]
        stage = Stage.GENERATE.value if node.step == SELECT else node.step
        done[shot_id] = times.get((shot_id, stage), start) - start
        gen = sp.plan.shot(shot_id).stage(Stage.GENERATE)
        picked = outcome.results.get(f"{shot_id}/{Stage.GENERATE.value}")
        if gen is None or picked is None or not picked.artifact:
            continue
        offset = float(json.loads(store.get(picked.artifact).read_text())["quality"])
        quality.append(gen.quality + offset)
    return done, quality


def _bounds(
    graphs: Mapping[str, JobGraph],
    outcomes: Mapping[str, Outcome],
    calls: Sequence[CallRecord],
    models: Mapping[str, ModelProfile],
) -> tuple[float, float]:
    """Critical path of realised call times, and the busiest model's work per slot."""
    spent: dict[str, float] = {}
    busy: dict[str, float] = {}
    for c in calls:
        spent[c.job_id] = spent.get(c.job_id, 0.0) + (c.end - c.start)
        busy[c.model] = busy.get(c.model, 0.0) + (c.end - c.start)
    cp = 0.0
    for name, graph in graphs.items():
        tasks = graph_tasks(graph, models, project=name)
        outcome = outcomes[name]
        durations = {
            f"{name}:{nid}": spent.get(r.key, 0.0) if r.step != SELECT else 0.0
            for nid, r in outcome.results.items()
        }
        cp = max(cp, critical_path(tasks, durations))
    capacity = {m.id: m.concurrency for m in models.values()}
    return cp, capacity_bound(busy, capacity)
