"""The asyncio executor: runs ready jobs, journalled before every step that costs money.

Per job: cached artifact (verified) -> done; otherwise resume what the journal says is in
flight, or walk the model chain (the routed model, then its ranked fallbacks), retrying
transient errors with backoff and stopping a branch cleanly when the budget would be passed.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.calls import CallRunner
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.graph import SELECT, JobGraph
from shotrelay.engine.jobs import HANDOFF, Job, JobNode
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.settings import (
    ExecutorHooks,
    ExecutorSettings,
    Scorer,
    TakeResult,
    TakesRejected,
    first_success,
)
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import EngineError, IntegrityError
from shotrelay.providers.base import Provider

__all__ = [
    "Executor",
    "ExecutorHooks",
    "ExecutorSettings",
    "NodeResult",
    "Outcome",
    "Scorer",
    "TakeResult",
    "first_success",
]

S = JobStateName


class NodeResult(BaseModel):
    """What became of one graph node in this run."""

    model_config = ConfigDict(frozen=True)

    node: str
    shot_id: str
    step: str
    state: JobStateName
    key: str = ""
    artifact: str | None = None
    model: str = ""
    take: int = 0
    cached: bool = False
    message: str = ""


class Outcome(BaseModel):
    """Every node's result, and the ones that need a person."""

    model_config = ConfigDict(frozen=True)

    results: dict[str, NodeResult]

    @property
    def ok(self) -> bool:
        """Whether every node succeeded."""
        return all(r.state == S.SUCCEEDED for r in self.results.values())

    def failed(self) -> list[NodeResult]:
        """Nodes that did not succeed (failed, skipped, or stopped for a person)."""
        return [r for r in self.results.values() if r.state != S.SUCCEEDED]


class Executor:
    """Runs a JobGraph against providers, with the journal and store as its memory."""

    def __init__(
        self,
        journal: Journal,
        store: ArtifactStore,
        providers: Mapping[str, Provider],
        models: Mapping[str, ModelProfile],
        settings: ExecutorSettings | None = None,
        hooks: ExecutorHooks | None = None,
        *,
        scratch: Path | None = None,
    ) -> None:
        settings = settings or ExecutorSettings()
        hooks = hooks or ExecutorHooks()
        self.journal = journal
        self.store = store
        self.models = models
        self.on_event = hooks.on_event
        self.scorer = hooks.scorer
        self.extract_last_frame = hooks.extract_last_frame
        self.verify_cached = settings.verify_cached
        self.scratch = scratch or store.root.parent / "scratch"
        self.calls = CallRunner(
            journal,
            store,
            providers,
            models,
            settings,
            emit=self.emit if hooks.on_event is not None else None,
            recompile=hooks.recompile,
            scratch=self.scratch,
            slots=hooks.slots,
        )

    def emit(self, event: EngineEvent) -> None:
        """Pass an event to the caller's callback, if any."""
        if self.on_event is not None:
            self.on_event(event)

    def emit_for(self, node: JobNode, kind: str, *, stage: str = "", **fields: Any) -> None:
        """Emit an event about ``node`` (its shot, and its step unless ``stage`` is given)."""
        if self.on_event is not None:
            self.on_event(
                EngineEvent(kind=kind, shot_id=node.shot_id, stage=stage or node.step, **fields)
            )

    async def run(self, graph: JobGraph, only: set[str] | None = None) -> Outcome:
        """Run the graph (or the nodes in ``only`` and what they need); return every result."""
        wanted = _needed(graph, only) if only is not None else set(graph.nodes)
        futures: dict[str, asyncio.Task[NodeResult]] = {}
        picks = self.journal.picks()
        for node_id, node in graph.nodes.items():
            if node_id in wanted:
                if node.step != SELECT:
                    self.emit_for(node, "queued", job=node_id)
                futures[node_id] = asyncio.ensure_future(self._node(node, futures, picks))
        try:
            done = await asyncio.gather(*futures.values())
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return Outcome(results={r.node: r for r in done})

    async def _node(
        self,
        node: JobNode,
        futures: Mapping[str, asyncio.Task[NodeResult]],
        picks: Mapping[str, int],
    ) -> NodeResult:
        ups = {d: await futures[d] for d in node.deps}
        if node.step == SELECT:
            return await self._select(node, [ups[t] for t in node.takes], picks.get(node.shot_id))
        blocked = [u for u in ups.values() if u.state != S.SUCCEEDED]
        if blocked:
            why = f"skipped: {blocked[0].node} did not finish ({blocked[0].state.value})"
            self.emit(EngineEvent(kind="skip", shot_id=node.shot_id, stage=node.step, message=why))
            return NodeResult(
                node=node.id, shot_id=node.shot_id, step=node.step, state=S.SKIPPED, message=why
            )
        inputs = {
            role: ref if ref.startswith("sha256:") else f"job:{ups[ref].key}"
            for role, ref in node.inputs.items()
        }
        paths = {
            role: self.store.get(ref[7:] if ref.startswith("sha256:") else ups[ref].artifact or "")
            for role, ref in node.inputs.items()
        }
        try:
            if node.step == HANDOFF:
                return await self._handoff(node, inputs, paths)
            return await self._call(node, inputs, paths)
        except (EngineError, OSError, ValueError) as exc:
            msg = f"{type(exc).__name__}: {exc}"
            self.journal.event("error", msg, shot_id=node.shot_id, stage=node.step)
            self.emit(EngineEvent(kind="error", shot_id=node.shot_id, stage=node.step, message=msg))
            return NodeResult(
                node=node.id, shot_id=node.shot_id, step=node.step, state=S.FAILED, message=msg
            )

    def _cached(self, node: JobNode, key: str) -> NodeResult | None:
        row = self.journal.job(key)
        if row is None or row.state != S.SUCCEEDED or not row.artifact:
            return None
        try:
            if self.verify_cached:
                self.store.verify(row.artifact)
            else:
                self.store.get(row.artifact)
        except IntegrityError as exc:
            with self.journal.transaction():
                self.journal.event(
                    "integrity", str(exc), job_key=key, shot_id=node.shot_id, stage=node.step
                )
                self.journal.update_job(key, state=S.PENDING, artifact=None, actual_usd=0.0)
            self.store.discard(row.artifact)
            self.emit_for(node, "integrity", job=key, message=str(exc))
            return None
        self.emit_for(
            node, "cached", job=key, state=S.SUCCEEDED.value, progress=1.0, model=row.model
        )
        return NodeResult(
            node=node.id,
            shot_id=node.shot_id,
            step=node.step,
            state=S.SUCCEEDED,
            key=key,
            artifact=row.artifact,
            model=row.model,
            take=node.take,
            cached=True,
        )

    async def _call(
        self, node: JobNode, inputs: dict[str, str], paths: dict[str, Path]
    ) -> NodeResult:
        model = self.models.get(node.model)
        if model is None:
            raise EngineError(f"model {node.model!r} of {node.id} is not in the catalog")
        job = Job(
            node=node.id,
            shot_id=node.shot_id,
            step=node.step,
            take=node.take,
            model=model.id,
            api_model=model.api_model,
            task=node.task,
            prompt=node.prompt,
            negative=node.negative,
            params=node.params,
            seed=node.seed,
            inputs=inputs,
            revision=node.revision,
        )
        key = job.key
        hit = self._cached(node, key)
        if hit is not None:
            return hit
        state, artifact, used, message = await self.calls.run(node, job, key, paths)
        return NodeResult(
            node=node.id,
            shot_id=node.shot_id,
            step=node.step,
            state=state,
            key=key,
            artifact=artifact,
            model=used,
            take=node.take,
            message=message,
        )

    async def _handoff(
        self, node: JobNode, inputs: dict[str, str], paths: dict[str, Path]
    ) -> NodeResult:
        job = Job(
            node=node.id,
            shot_id=node.shot_id,
            step=HANDOFF,
            model="last-frame",
            api_model="last-frame",
            inputs=inputs,
            revision=node.revision,
        )
        key = job.key
        hit = self._cached(node, key)
        if hit is not None:
            return hit
        if self.extract_last_frame is None:
            raise EngineError(
                f"shot {node.shot_id} continues the previous shot, but no last-frame extractor "
                "is installed (shotrelay.media.last_frame)"
            )
        self.journal.ensure_job(
            key,
            shot_id=node.shot_id,
            stage=HANDOFF,
            take=0,
            model="last-frame",
            provider="local",
            detail={"node": node.id, "inputs": inputs},
        )
        out_dir = self.scratch / key
        out_dir.mkdir(parents=True, exist_ok=True)
        frame = await asyncio.to_thread(
            self.extract_last_frame, paths["video"], out_dir / "last_frame.png"
        )
        ref = self.store.put(frame, "image/png")
        with self.journal.transaction():
            self.journal.update_job(key, state=S.SUCCEEDED, artifact=ref.hash, attempts=1)
            self.journal.event(
                "succeeded",
                "last frame handed to the next shot",
                job_key=key,
                shot_id=node.shot_id,
                stage=HANDOFF,
            )
        self.emit_for(node, "state", stage=HANDOFF, job=key, state=S.SUCCEEDED.value, progress=1.0)
        return NodeResult(
            node=node.id,
            shot_id=node.shot_id,
            step=node.step,
            state=S.SUCCEEDED,
            key=key,
            artifact=ref.hash,
            model="last-frame",
        )

    async def _select(self, node: JobNode, takes: list[NodeResult], pick: int | None) -> NodeResult:
        ok = [t for t in takes if t.state == S.SUCCEEDED and t.artifact]
        if not ok:
            why = "no take succeeded"
            return NodeResult(
                node=node.id, shot_id=node.shot_id, step=node.step, state=S.FAILED, message=why
            )
        chosen: NodeResult | None = None
        how = "scorer"
        if pick is not None:
            chosen = next((t for t in ok if t.take == pick), None)
            how = "pick"
            if chosen is None:
                msg = f"picked take {pick} is not available; choosing by the scorer"
                self.journal.event("pick_unavailable", msg, shot_id=node.shot_id, stage="generate")
                self.emit(EngineEvent(kind="note", shot_id=node.shot_id, message=msg))
                how = "scorer"
        if chosen is None and len(ok) == 1 and self.scorer is first_success:
            chosen = ok[0]
        if chosen is None:
            views = [
                TakeResult(
                    take=t.take,
                    key=t.key,
                    artifact=t.artifact or "",
                    path=self.store.get(t.artifact or ""),
                    model=t.model,
                )
                for t in ok
            ]
            try:
                answer = self.scorer(node.shot_id, views)
                number = await answer if inspect.isawaitable(answer) else answer
            except TakesRejected as exc:
                self.journal.event("takes_rejected", str(exc), shot_id=node.shot_id)
                self.emit(EngineEvent(kind="error", shot_id=node.shot_id, message=str(exc)))
                return NodeResult(
                    node=node.id,
                    shot_id=node.shot_id,
                    step=node.step,
                    state=S.FAILED,
                    message=str(exc),
                )
            chosen = next((t for t in ok if t.take == number), ok[0])
        self.emit_for(
            node,
            "take",
            stage="generate",
            job=chosen.key,
            message=f"take {chosen.take} chosen by {how}",
        )
        return chosen.model_copy(
            update={
                "node": node.id,
                "step": SELECT,
                "cached": False,
                "message": f"take {chosen.take} ({how})",
            }
        )


def _needed(graph: JobGraph, only: set[str]) -> set[str]:
    out: set[str] = set()
    stack = list(only)
    while stack:
        n = stack.pop()
        if n in out:
            continue
        out.add(n)
        stack.extend(graph.nodes[n].deps)
    return out
