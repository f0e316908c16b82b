"""The public engine API the CLI calls: run, approve, redo, pick, status (one call each)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from shotrelay.engine.events import EngineEvent, EventCallback
from shotrelay.engine.executor import Executor, first_success
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.journal import Journal
from shotrelay.engine.lock import ProjectLock
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.settings import ExecutorHooks, ExecutorSettings
from shotrelay.engine.store import ArtifactStore
from shotrelay.judge import LearnedScorers
from shotrelay.learn import OutcomeStore, learn
from shotrelay.providers.base import Provider, account_limit
from shotrelay.relay.compile import build_graph
from shotrelay.relay.deadline import DeadlineRun
from shotrelay.relay.gate import animatic_plan, paid_stages, structure_hash
from shotrelay.relay.hooks import EngineHooks
from shotrelay.relay.judging import ShotVLM, held_takes, judge_scorer
from shotrelay.relay.keep import (
    keep_finished,
    read_digests,
    read_route,
    shot_digests,
    write_digests,
)
from shotrelay.relay.output import (
    assemble,
    default_cutter,
    describe_incomplete,
    fallbacks_taken,
    missing_shots,
    write_manifest,
    write_route,
)
from shotrelay.relay.result import RunResult
from shotrelay.relay.uploads import describe_uploads, local_uploads
from shotrelay.relay.wiring import (
    CatalogLike,
    catalog_or_builtin,
    default_compile,
    default_last_frame,
    default_packets,
    installed_providers,
    noter,
    open_project,
    recompiler,
    route_available,
    system_random,
)
from shotrelay.spec.vocabulary import Stage

if TYPE_CHECKING:
    from shotrelay.schedule.slots import SlotQueue

__all__ = ["run", "run_async"]


def run(
    project_path: Path | str,
    *,
    auto_approve: bool = False,
    providers: Mapping[str, Provider] | None = None,
    catalog: CatalogLike | None = None,
    workdir: Path | str | None = None,
    on_event: EventCallback | None = None,
    resubmit_unknown: bool = False,
    takes: int | None = None,
    hooks: EngineHooks | None = None,
    deadline: datetime | None = None,
    studio: SlotQueue | None = None,
    wait: bool = False,
    priors_only: bool = False,
    vlm: ShotVLM | None = None,
    budget_usd: float | None = None,
    preset: str | None = None,
) -> RunResult:
    """Animatic, structure gate, routed relay, cut and manifest (see docs/engine.md).

    One run per project: another run holding the project's lock makes this one raise
    EngineError at once, or, with ``wait``, wait for it (see engine/lock.py).
    Routing reads the user's outcomes (shotrelay.learn) unless ``priors_only``; judged takes
    of cloud models are added to them. ``vlm`` adds a language model's view to judging.
    ``budget_usd`` and ``preset`` override the file's for this run (as ``route`` takes them).
    """
    return asyncio.run(
        run_async(
            project_path,
            auto_approve=auto_approve,
            providers=providers,
            catalog=catalog,
            workdir=workdir,
            on_event=on_event,
            resubmit_unknown=resubmit_unknown,
            takes=takes,
            hooks=hooks,
            deadline=deadline,
            studio=studio,
            wait=wait,
            priors_only=priors_only,
            vlm=vlm,
            budget_usd=budget_usd,
            preset=preset,
        )
    )


async def run_async(
    project_path: Path | str,
    *,
    auto_approve: bool = False,
    providers: Mapping[str, Provider] | None = None,
    catalog: CatalogLike | None = None,
    workdir: Path | str | None = None,
    on_event: EventCallback | None = None,
    resubmit_unknown: bool = False,
    takes: int | None = None,
    hooks: EngineHooks | None = None,
    deadline: datetime | None = None,
    studio: SlotQueue | None = None,
    wait: bool = False,
    priors_only: bool = False,
    vlm: ShotVLM | None = None,
    budget_usd: float | None = None,
    preset: str | None = None,
) -> RunResult:
    """The same as :func:`run`, inside a running event loop."""
    hooks = hooks or EngineHooks()
    ws, project = open_project(project_path, workdir)
    if budget_usd is not None or preset is not None:  # routing only, never the structure
        policy = project.policy.model_copy(update={"preset": preset or project.policy.preset})
        budget = project.budget_usd if budget_usd is None else budget_usd
        project = project.model_copy(update={"budget_usd": budget, "policy": policy})
    lock = await ProjectLock(ws.root, project.name, "shotrelay run").acquire_async(
        wait=wait, on_wait=noter(on_event)
    )
    try:
        due = DeadlineRun(deadline or project.deadline, studio)
        models_list = catalog_or_builtin(catalog).models
        models = {m.id: m for m in models_list}
        provs = dict(providers) if providers is not None else installed_providers()
        for prov in provs.values():
            account_limit(prov)  # a bad SHOTRELAY_<NAME>_CONCURRENCY stops here, before work
        journal = Journal(ws.journal)
        store = ArtifactStore(ws.store)
        journal.start_run("run")
        outcomes = OutcomeStore()
        learned = None if priors_only else learn(outcomes.read(), models_list)
        scorers = LearnedScorers.from_env()  # a bad model path stops here, before work
    except BaseException:
        lock.release()
        raise
    emit = on_event or (lambda _e: None)
    try:
        compile_fn = hooks.compile or default_compile
        packets = (hooks.packets or default_packets)(project)
        executor = Executor(
            journal,
            store,
            provs,
            models,
            ExecutorSettings(
                budget_usd=project.budget_usd,
                retry=hooks.retry or RetryPolicy(),
                resubmit_unknown=resubmit_unknown,
                sleep=hooks.sleep or asyncio.sleep,
                rand=hooks.rand or system_random(),
                project_ref=str(project_path),
            ),
            ExecutorHooks(
                on_event=on_event,
                scorer=hooks.scorer or first_success,
                recompile=recompiler(project, compile_fn, packets),
                extract_last_frame=hooks.extract_last_frame or default_last_frame,
                slots=due.slots,
            ),
            scratch=ws.scratch,
        )
        cutter = hooks.cutter or functools.partial(
            default_cutter, cache=ws.pieces, on_event=on_event, sound=project.sound
        )
        # 1. The animatic: every shot on the local previs and camera models.
        agraph = build_graph(
            project,
            animatic_plan(project, models),
            models,
            store=store,
            compile=compile_fn,
            packets=packets,
            takes=1,
        )
        emit(EngineEvent(kind="phase", message="animatic"))
        aout = await executor.run(agraph)
        animatic = assemble(
            kind="animatic",
            project=project,
            graph=agraph,
            outcome=aout,
            journal=journal,
            store=store,
            cutter=cutter,
            out=ws.animatic,
            on_event=on_event,
        )
        # 2. Route on what is available, then the structure gate.
        digests = shot_digests(project, journal)
        routed, kept = keep_finished(
            route_available(project, models_list, provs, learned=learned),
            read_route(ws.route),
            read_digests(ws.route_digests),
            digests,
            journal,
            models,
        )
        plan = due.fit(project, routed, models, journal, on_event, frozen=kept)
        write_route(ws.route, plan)
        write_digests(ws.route_digests, digests)
        digest = structure_hash(project)
        paid = paid_stages(plan, models)
        uploads = local_uploads(project, plan, models, packets=packets)
        sent = describe_uploads(uploads)
        if uploads:
            dumped = [u.model_dump(mode="json") for u in uploads]
            journal.event("uploads", "\n".join(sent), data={"uploads": dumped})
        if paid and not journal.approved("structure", digest):
            if not auto_approve:
                message = (
                    f"animatic ready at {animatic}; the plan has {paid} paid stages "
                    f"(estimated ${plan.total_cost_usd:.2f}). Review it, then run "
                    f"`shotrelay approve {project_path}` (or run with --auto-approve)."
                )
                journal.event("gate", "\n".join([*sent, message]))
                emit(EngineEvent(kind="gate", message="\n".join([*sent, message])))
                journal.finish_run("awaiting_approval")
                return RunResult(
                    status="awaiting_approval",
                    message=message,
                    workspace=ws.root,
                    animatic=animatic,
                    plan=plan,
                    deadline=due.summary(),
                    uploads=uploads,
                )
            journal.approve("structure", digest, note="auto-approve")
            journal.event("gate", "structure auto-approved")
        elif not paid:
            journal.event("gate", "only local models in the plan: the gate is informational")
        if sent:
            emit(EngineEvent(kind="note", message="\n".join(sent)))
        for note in [*plan.notes, *plan.trades]:
            journal.event("route_note", note)
        # 3. The routed relay and the cut; takes judged unless the caller brings a scorer.
        judge = judge_scorer(
            project, plan, journal, str(project_path), models, outcomes, vlm, scorers
        )
        if hooks.scorer is None:
            executor.scorer = judge

        def relay_graph() -> JobGraph:
            return build_graph(
                project,
                plan,
                models,
                store=store,
                compile=compile_fn,
                packets=packets,
                takes=takes,
                revisions=journal.revisions(),
                held=journal.picks() if takes else held_takes(project, journal),
            )

        graph = relay_graph()
        for note in graph.notes:
            journal.event("lowered", note)
            emit(EngineEvent(kind="note", message=note))
        due.track(graph, models, project.priority)
        emit(EngineEvent(kind="phase", message="relay"))
        outcome = await executor.run(graph)
        retakes = project.retakes if hooks.retakes is None else hooks.retakes
        for _ in range(retakes if hooks.scorer is None else 0):
            if not (rejected := sorted(judge.rejected)):
                break
            for shot_id in rejected:
                journal.bump_revision(shot_id, Stage.GENERATE.value)
                journal.event("retake", "every take failed hard QC: new takes", shot_id=shot_id)
            judge.rejected.clear()
            graph = relay_graph()
            outcome = await executor.run(graph)
        missing = missing_shots(project, graph, outcome)
        cut = assemble(
            kind="final",
            project=project,
            graph=graph,
            outcome=outcome,
            journal=journal,
            store=store,
            cutter=cutter,
            out=ws.final,
            partial=ws.partial,
            on_event=on_event,
        )
        final, partial = (cut, None) if not missing else (None, cut)
        write_manifest(
            ws.manifest,
            project=project,
            graph=graph,
            outcome=outcome,
            journal=journal,
            final=final,
            partial=partial,
            missing=missing,
        )
        failures = [f"{r.node}: {r.state.value}: {r.message}" for r in outcome.failed()]
        done = outcome.ok and final is not None
        reserved, actual = journal.costs()
        message = (
            f"final cut at {final}"
            if done
            else describe_incomplete(missing, failures, len(project.shots), partial)
        )
        if substitutes := fallbacks_taken(graph, outcome):
            message += "\nfallbacks this run:\n" + "\n".join(f"  {s}" for s in substitutes)
        journal.finish_run("done" if done else "incomplete", message)
        results = outcome.results.values()
        return RunResult(
            status="done" if done else "incomplete",
            message=message,
            workspace=ws.root,
            animatic=animatic,
            final=final,
            partial=partial,
            manifest=ws.manifest,
            plan=plan,
            failures=failures,
            missing=missing,
            ran=sum(1 for r in results if r.key and not r.cached and r.step != "select"),
            cached=sum(1 for r in results if r.cached),
            reserved_usd=reserved,
            actual_usd=actual,
            deadline=due.summary(),
            uploads=uploads,
        )
    except BaseException:
        journal.finish_run("interrupted")
        raise
    finally:
        journal.close()
        lock.release()
