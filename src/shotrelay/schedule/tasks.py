"""The scheduler's view of a job graph: tasks with a model, an expected duration and deps.

Built either from an engine JobGraph (at run time) or from a RoutePlan (at plan time, before
any graph exists), so both the predictor and the slot queue reason about the same shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from shotrelay.catalog.calls import call_seconds
from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.graph import SELECT, JobGraph
from shotrelay.engine.jobs import HANDOFF
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project
from shotrelay.spec.vocabulary import Role, Stage

__all__ = ["Task", "graph_tasks", "plan_tasks"]


@dataclass(frozen=True)
class Task:
    """One unit of scheduled work: a provider call, or a free step (select, handoff)."""

    id: str
    project: str
    shot: str
    order: int
    model: str
    seconds: float
    deps: tuple[str, ...] = ()
    hero: bool = False


def graph_tasks(
    graph: JobGraph,
    models: Mapping[str, ModelProfile],
    *,
    project: str | None = None,
    heroes: Sequence[str] = (),
) -> list[Task]:
    """Tasks for every node of ``graph``; ids are ``<project>:<node id>``."""
    name = graph.project if project is None else project
    order = {s: i for i, s in enumerate(graph.shots)}
    out: list[Task] = []
    for node in graph.nodes.values():
        free = node.step in (SELECT, HANDOFF) or node.model not in models
        out.append(
            Task(
                id=f"{name}:{node.id}",
                project=name,
                shot=node.shot_id,
                order=order.get(node.shot_id, 0),
                model="" if free else node.model,
                seconds=0.0 if free else call_seconds(models[node.model], node.params),
                deps=tuple(f"{name}:{d}" for d in node.deps),
                hero=node.shot_id in heroes,
            )
        )
    return out


def plan_tasks(project: Project, plan: RoutePlan, models: Mapping[str, ModelProfile]) -> list[Task]:
    """Tasks shaped as build_graph would shape the plan's graph (without building it)."""
    name = project.name
    routes = {r.id: r for r in plan.shots}
    out: list[Task] = []
    previous_final: str | None = None
    for i, shot in enumerate(project.shots):
        route = routes[shot.id]
        hero = shot.role == Role.HERO
        image: str | None = None
        if shot.continues_previous and previous_final and route.stage(Stage.KEYFRAME) is None:
            image = previous_final
        video: str | None = None
        speech: str | None = None

        for st in route.stages:
            model = models.get(st.model)
            secs = call_seconds(model, st.params) if model is not None else st.seconds
            base = f"{shot.id}/{st.stage.value}"
            add = partial(_add, out, name, shot.id, i, hero)
            if st.stage == Stage.KEYFRAME:
                image = add(base, st.model, secs, [image])
            elif st.stage == Stage.GENERATE:
                takes = st.takes if "takes" in st.model_fields_set else max(1, project.takes)
                ids = [add(f"{base}/t{t}", st.model, secs, [image]) for t in range(1, takes + 1)]
                video = add(base, "", 0.0, list(ids))
            elif st.stage == Stage.TTS:
                speech = add(base, st.model, secs, [])
            elif st.stage == Stage.LIPSYNC:
                video = add(base, st.model, secs, [video, speech])
                speech = None
            else:
                video = add(base, st.model, secs, [video])
        previous_final = video
    return out


def _add(
    out: list[Task],
    project: str,
    shot: str,
    order: int,
    hero: bool,
    tid: str,
    model: str,
    seconds: float,
    deps: list[str | None],
) -> str:
    task = Task(
        id=f"{project}:{tid}",
        project=project,
        shot=shot,
        order=order,
        model=model,
        seconds=seconds,
        deps=tuple(d for d in deps if d),
        hero=hero,
    )
    out.append(task)
    return task.id
