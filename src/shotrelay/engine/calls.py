"""One job's provider calls: budget reservation, durable submit, polling, retries, fallbacks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import Any

from shotrelay.catalog.calls import call_cost
from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.engine.collect import ZERO, fetch, transient, wait
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.jobs import Job, JobNode, provider_request
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.recovery import IN_FLIGHT, recover
from shotrelay.engine.retry import RetryPolicy
from shotrelay.engine.settings import ExecutorSettings, Recompile
from shotrelay.engine.slots import ModelSlots, Slots
from shotrelay.engine.stop import Stop
from shotrelay.engine.store import ArtifactStore
from shotrelay.engine.submission import submit
from shotrelay.errors import (
    ProviderError,
    QuotaError,
    Rejected,
    RemoteFailure,
    TransientError,
    Unreachable,
)
from shotrelay.providers.base import Handle, JobRequest, Provider, account_limit
from shotrelay.spec.vocabulary import Stage

__all__ = ["CallRunner", "ProviderOut", "RetryPolicy"]

S = JobStateName
#: (state, artifact hash, model used, message)
CallResult = tuple[JobStateName, str | None, str, str]


class ProviderOut(ProviderError):
    """The provider was marked out for this run (unreachable, out of credit): fall back."""


class CallRunner:
    """Runs the model chain of a job; the only place that talks to providers."""

    def __init__(
        self,
        journal: Journal,
        store: ArtifactStore,
        providers: Mapping[str, Provider],
        models: Mapping[str, ModelProfile],
        settings: ExecutorSettings,
        *,
        emit: Callable[[EngineEvent], None] | None,
        recompile: Recompile | None,
        scratch: Path,
        slots: Slots | None = None,
    ) -> None:
        self.journal = journal
        self.store = store
        self.providers = providers
        self.models = models
        self.budget_usd = settings.budget_usd
        self.emit = emit
        self.sleep = settings.sleep
        self.rand = settings.rand
        self.retry = settings.retry
        self.resubmit_unknown = settings.resubmit_unknown
        self.project_ref = settings.project_ref
        self.recompile = recompile
        self.scratch = scratch
        self.slots = slots or ModelSlots()
        self.unusable: dict[str, str] = {}
        self._accounts: dict[str, asyncio.Semaphore | None] = {}

    # -- the chain --------------------------------------------------------------------------

    async def run(self, node: JobNode, job: Job, key: str, paths: dict[str, Path]) -> CallResult:
        """Run the job to success, a clean stop, or failure of every model in its chain."""
        primary = self.models[node.model]
        row = self.journal.ensure_job(
            key,
            shot_id=node.shot_id,
            stage=node.step,
            take=node.take,
            model=primary.id,
            provider=primary.provider,
            detail={
                "node": node.id,
                "prompt": job.prompt,
                "negative": job.negative,
                "seed": job.seed,
                "params": job.params.fixed(),
                "inputs": job.inputs,
            },
        )
        chain = [primary, *(self.models[m] for m in node.fallbacks if m in self.models)]
        attempts = row.attempts
        handle: Handle | None = None
        try:
            if row.state in IN_FLIGHT:
                start, handle = await recover(self, node, job, key, row, paths)
                chain = [start, *(m for m in chain if m.id != start.id)]
            failure = ""
            for i, model in enumerate(chain):
                why = self._unusable(model, node, row.detail) if handle is None else ""
                if why:
                    failure = why
                    self.note(key, node, "fallback", why)
                    continue
                if i and failure:
                    self.note(key, node, "fallback", f"{failure}; trying {model.id}")
                try:
                    artifact, attempts = await self._on_model(
                        node, job, key, model, paths, handle, attempts
                    )
                    return S.SUCCEEDED, artifact, model.id, ""
                except ProviderError as exc:
                    handle = None
                    failure = f"{model.id}: {type(exc).__name__}: {exc}"
                    attempts = (self.journal.job(key) or row).attempts
                    self._after_failure(key, node, model, exc)
            message = f"every model failed; last: {failure or 'no usable model'}"
            raise Stop(S.FAILED, message, "AllModelsFailed")
        except Stop as stop:
            fields: dict[str, Any] = {"error_class": stop.reason, "error_message": str(stop)}
            if stop.state == S.UNKNOWN:
                fields["state"] = S.UNKNOWN  # the reservation stays: the money may be spent
            elif stop.state not in (S.SUBMITTING, S.SUBMITTED):
                fields.update(state=stop.state, reserved_usd=0.0)
            self.record(key, node, stop.state.value, str(stop), **fields)
            self.tell(node, key, "state", state=stop.state.value, message=str(stop))
            state = S.FAILED if stop.state in (S.SUBMITTING, S.SUBMITTED) else stop.state
            return state, None, node.model, str(stop)

    def _unusable(self, model: ModelProfile, node: JobNode, detail: dict[str, Any]) -> str:
        """Why ``model`` cannot take the job now ("" when it can); ``detail`` is the job row's,
        read once when the job started (refusals and abandons of earlier runs)."""
        provider = self.providers.get(model.provider)
        if provider is None:
            return f"{model.id}: no provider {model.provider!r} is installed"
        if model.provider in self.unusable:
            return (
                f"{model.id}: provider {model.provider} unusable ({self.unusable[model.provider]})"
            )
        if not any(model.does(t) for t in Stage(node.step).tasks):
            return f"{model.id}: cannot do {node.step}"
        if model.id in detail.get("refused", []):
            return f"{model.id}: refused this job's request earlier (change the prompt or inputs)"
        if model.id in detail.get("abandoned", []):
            return f"{model.id}: abandoned for this job (shotrelay abandon)"
        return ""

    def _after_failure(
        self, key: str, node: JobNode, model: ModelProfile, exc: ProviderError
    ) -> None:
        """Remember what a failure means beyond this model call."""
        if isinstance(exc, QuotaError | Unreachable):
            self.unusable[model.provider] = f"{type(exc).__name__}: {exc}"
            self.note(
                key, node, "provider_unusable", f"{model.provider} unusable for this run: {exc}"
            )
        if isinstance(exc, Rejected):
            row = self.journal.job(key)
            if row is not None:
                refused = sorted({*row.detail.get("refused", []), model.id})
                self.journal.update_job(key, detail={**row.detail, "refused": refused})

    # -- one model --------------------------------------------------------------------------

    async def _on_model(
        self,
        node: JobNode,
        job: Job,
        key: str,
        model: ModelProfile,
        paths: dict[str, Path],
        handle: Handle | None,
        attempts: int,
    ) -> tuple[str, int]:
        provider = self.providers[model.provider]
        request = self.request(node, job, key, model, paths)
        est = (
            node.estimate
            if model.id == node.model and node.estimate
            else call_cost(model, node.params)
        )
        tries = 0
        while True:
            try:
                async with self.slots.slot(model, node), self._account(model.provider):
                    if handle is None and model.provider in self.unusable:
                        # Marked out while this job waited for a slot: send nothing.
                        raise ProviderOut(
                            f"{model.id}: provider {model.provider} unusable "
                            f"({self.unusable[model.provider]})",
                            provider=model.provider,
                            model=model.id,
                        )
                    if handle is None:
                        attempts += 1
                        handle = await submit(
                            self, node, key, model, provider, request, est, attempts
                        )
                    await wait(self, node, key, model, provider, handle)
                    return await fetch(
                        self, node, key, model, provider, handle, request, est
                    ), attempts
            except ProviderOut:
                raise
            except (TransientError, RemoteFailure) as exc:
                # Only failures before acceptance (429, 408, a lost submission the provider
                # never received) or a remote failure reach here: never a lost answer.
                accepted, handle = handle is not None, None
                tries += 1
                self._failed_attempt(key, node, model, exc, est, accepted=accepted)
                if isinstance(exc, RemoteFailure) and model.bills_failed:
                    raise
                if tries >= self.retry.max_attempts:
                    raise
                delay = self.retry.delay(tries, transient(exc), self.rand())
                self.note(
                    key,
                    node,
                    "retry",
                    f"{model.id}: {type(exc).__name__}: {exc}; "
                    f"attempt {tries + 1} of {self.retry.max_attempts} in {delay:.1f} s",
                    data={"delay_s": delay},
                )
                await self.sleep(delay)
            except ProviderError as exc:
                self._failed_attempt(key, node, model, exc, est, accepted=handle is not None)
                raise

    # -- helpers ----------------------------------------------------------------------------

    def request(
        self, node: JobNode, job: Job, key: str, model: ModelProfile, paths: dict[str, Path]
    ) -> JobRequest:
        """The provider request for ``job`` on ``model`` (prompt recompiled for a fallback)."""
        prompt, negative = job.prompt, job.negative
        if model.id != node.model and self.recompile is not None:
            prompt, negative = self.recompile(node, model)
        return provider_request(node, key, model, paths, prompt, negative)

    def _failed_attempt(
        self,
        key: str,
        node: JobNode,
        model: ModelProfile,
        exc: ProviderError,
        est: CostEstimate,
        *,
        accepted: bool,
    ) -> None:
        """Journal a failed attempt; a provider that bills failed jobs keeps the charge."""
        billed = accepted and model.bills_failed
        before = (self.journal.job(key) or ZERO).actual_usd
        self.record(
            key,
            node,
            "attempt_failed",
            f"{model.id}: {type(exc).__name__}: {exc}" + (" (billed)" if billed else ""),
            state=S.FAILED,
            reserved_usd=0.0,
            actual_usd=before + (est.usd if billed else 0.0),
            handle=None,
            error_class=type(exc).__name__,
            error_message=str(exc),
        )

    def record(
        self,
        key: str,
        node: JobNode,
        kind: str,
        message: str,
        *,
        data: dict[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        """Journal an event about a job, and set its columns in the same transaction."""
        with self.journal.transaction():
            if fields:
                self.journal.update_job(key, **fields)
            self.journal.event(
                kind, message, job_key=key, shot_id=node.shot_id, stage=node.step, data=data
            )

    def _account(self, name: str) -> AbstractAsyncContextManager[Any]:
        """The provider's account-wide limit (e.g. Veo: 10 per project), if it has one."""
        if name not in self._accounts:
            limit = account_limit(self.providers[name])
            self._accounts[name] = asyncio.Semaphore(limit) if limit else None
        return self._accounts[name] or nullcontext()

    def note(
        self,
        key: str,
        node: JobNode,
        kind: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Journal an event about a job and pass it to the caller."""
        self.record(key, node, kind, message, data=data)
        self.tell(node, key, kind, message=message)

    def tell(self, node: JobNode, key: str, kind: str, **fields: Any) -> None:
        """Pass an event about a job to the caller (built only when someone listens)."""
        if self.emit is not None:
            self.emit(
                EngineEvent(kind=kind, shot_id=node.shot_id, stage=node.step, job=key, **fields)
            )

    def state(self, node: JobNode, key: str, model: ModelProfile, state: JobStateName) -> None:
        """Tell the caller a job's new state."""
        progress = 1.0 if state == S.SUCCEEDED else None
        self.tell(node, key, "state", state=state.value, model=model.id, progress=progress)
