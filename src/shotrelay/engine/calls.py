"""One job's provider calls: budget reservation, durable submit, polling, retries, fallbacks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.engine.events import EngineEvent
from shotrelay.engine.graph import estimate_cost
from shotrelay.engine.jobs import Job, JobNode
from shotrelay.engine.journal import JobRow, JobStateName, Journal
from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import ProviderError, QuotaError, RateLimited, TransientError
from shotrelay.providers.base import Handle, JobRequest, JobState, Provider
from shotrelay.spec.vocabulary import Stage

__all__ = ["CallRunner", "RetryPolicy"]

S = JobStateName
#: (state, artifact hash, model used, message)
CallResult = tuple[JobStateName, str | None, str, str]


class RetryPolicy(BaseModel):
    """How hard to try one model before falling back."""

    model_config = ConfigDict(frozen=True)

    max_attempts: int = 4
    base_s: float = 2.0
    max_s: float = 120.0
    poll_s: float = 5.0

    def delay(self, attempt: int, exc: TransientError, rand: float) -> float:
        """Seconds to wait before attempt ``attempt + 1``: Retry-After, else backoff + jitter."""
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return max(0.0, exc.retry_after)
        backoff: float = min(self.max_s, self.base_s * 2.0 ** (attempt - 1))
        return backoff * (0.5 + rand / 2)


class _Stop(Exception):
    """End of this job for this run, with a state other than success."""

    def __init__(self, state: JobStateName, message: str, reason: str) -> None:
        self.state = state
        self.reason = reason
        super().__init__(message)


class CallRunner:
    """Runs the model chain of a job; the only place that talks to providers."""

    def __init__(
        self,
        journal: Journal,
        store: ArtifactStore,
        providers: Mapping[str, Provider],
        models: Mapping[str, ModelProfile],
        *,
        budget_usd: float | None,
        emit: Callable[[EngineEvent], None],
        sleep: Callable[[float], Awaitable[None]],
        rand: Callable[[], float],
        retry: RetryPolicy,
        resubmit_unknown: bool,
        recompile: Callable[[JobNode, ModelProfile], tuple[str, str]] | None,
        scratch: Path,
    ) -> None:
        self.journal = journal
        self.store = store
        self.providers = providers
        self.models = models
        self.budget_usd = budget_usd
        self.emit = emit
        self.sleep = sleep
        self.rand = rand
        self.retry = retry
        self.resubmit_unknown = resubmit_unknown
        self.recompile = recompile
        self.scratch = scratch
        self.unusable: dict[str, str] = {}
        self._sems: dict[str, asyncio.Semaphore] = {}

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
                "params": job.params,
                "inputs": job.inputs,
            },
        )
        chain = [primary, *(self.models[m] for m in node.fallbacks if m in self.models)]
        attempts = row.attempts
        handle: Handle | None = None
        try:
            if row.state in (S.SUBMITTING, S.SUBMITTED):
                start, handle = await self._recover(node, job, key, row, paths)
                chain = [start, *(m for m in chain if m.id != start.id)]
            failure = ""
            for i, model in enumerate(chain):
                why = self._unusable(model, node)
                if why:
                    failure = why
                    self._note(key, node, "fallback", why)
                    continue
                if i and failure:
                    self._note(key, node, "fallback", f"{failure}; trying {model.id}")
                try:
                    artifact, attempts = await self._on_model(
                        node, job, key, model, paths, handle, attempts
                    )
                    return S.SUCCEEDED, artifact, model.id, ""
                except ProviderError as exc:
                    handle = None
                    failure = f"{model.id}: {type(exc).__name__}: {exc}"
                    attempts = (self.journal.job(key) or row).attempts
                    if isinstance(exc, QuotaError):
                        self.unusable[model.provider] = f"{type(exc).__name__}: {exc}"
                        self._note(
                            key,
                            node,
                            "provider_unusable",
                            f"{model.provider} unusable for this run: {exc}",
                        )
            message = f"every model failed; last: {failure or 'no usable model'}"
            raise _Stop(S.FAILED, message, "AllModelsFailed")
        except _Stop as stop:
            fields: dict[str, Any] = {"error_class": stop.reason, "error_message": str(stop)}
            if stop.state != S.SUBMITTING and stop.state != S.SUBMITTED:
                fields.update(state=stop.state, reserved_usd=0.0)
            with self.journal.transaction():
                self.journal.update_job(key, **fields)
                self.journal.event(
                    stop.state.value, str(stop), job_key=key, shot_id=node.shot_id, stage=node.step
                )
            self.emit(
                EngineEvent(
                    kind="state",
                    shot_id=node.shot_id,
                    stage=node.step,
                    job=key,
                    state=stop.state.value,
                    message=str(stop),
                )
            )
            state = S.FAILED if stop.state in (S.SUBMITTING, S.SUBMITTED) else stop.state
            return state, None, node.model, str(stop)

    def _unusable(self, model: ModelProfile, node: JobNode) -> str:
        provider = self.providers.get(model.provider)
        if provider is None:
            return f"{model.id}: no provider {model.provider!r} is installed"
        if model.provider in self.unusable:
            return (
                f"{model.id}: provider {model.provider} unusable ({self.unusable[model.provider]})"
            )
        if not any(model.does(t) for t in Stage(node.step).tasks):
            return f"{model.id}: cannot do {node.step}"
        return ""

    # -- recovery after a crash -------------------------------------------------------------

    async def _recover(
        self, node: JobNode, job: Job, key: str, row: JobRow, paths: dict[str, Path]
    ) -> tuple[ModelProfile, Handle | None]:
        model = self.models.get(row.model) or self.models[node.model]
        provider = self.providers.get(model.provider)
        if provider is None or model.local:
            self._release(key, node, f"{row.state.value} local job from an earlier run: rerun")
            return model, None
        if row.state == S.SUBMITTED and row.handle:
            handle = Handle.model_validate(row.handle)
            self._note(key, node, "resume", f"polling {model.id} job {handle.remote_id}")
            return model, handle
        request = self._request(node, job, key, model, paths)
        try:
            found = await provider.find(request)
        except NotImplementedError:
            if self.resubmit_unknown:
                self._release(
                    key,
                    node,
                    f"{model.provider} cannot list jobs; resubmitting as asked (resubmit_unknown)",
                )
                return model, None
            raise _Stop(
                S.SUBMITTING,
                (
                    f"{model.id}: an earlier run crashed while submitting this job and "
                    f"{model.provider} cannot be asked whether it arrived; check the provider's "
                    "dashboard, then run again with resubmit_unknown (--resubmit-unknown) to "
                    "submit it again (this may pay twice)"
                ),
                "UnknownSubmission",
            ) from None
        except ProviderError as exc:
            raise _Stop(
                S.SUBMITTING,
                f"could not ask {model.provider} about an interrupted "
                f"submission ({exc}); run again",
                "UnknownSubmission",
            ) from None
        if found is None:
            self._release(key, node, f"{model.provider} has no such job: resubmitting")
            return model, None
        with self.journal.transaction():
            self.journal.update_job(key, state=S.SUBMITTED, handle=found.model_dump(mode="json"))
            self.journal.event(
                "adopted",
                f"found {found.remote_id} at {model.provider}",
                job_key=key,
                shot_id=node.shot_id,
                stage=node.step,
            )
        return model, found

    def _release(self, key: str, node: JobNode, message: str) -> None:
        with self.journal.transaction():
            self.journal.update_job(key, state=S.PENDING, reserved_usd=0.0, handle=None)
            self.journal.event(
                "recover", message, job_key=key, shot_id=node.shot_id, stage=node.step
            )

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
        request = self._request(node, job, key, model, paths)
        est = (
            node.estimate
            if model.id == node.model and node.estimate
            else estimate_cost(model, node.params)
        )
        tries = 0
        sem = self._sems.setdefault(model.id, asyncio.Semaphore(model.concurrency))
        while True:
            try:
                async with sem:
                    if handle is None:
                        attempts += 1
                        handle = await self._submit(
                            node, key, model, provider, request, est, attempts
                        )
                    await self._wait(node, key, model, provider, handle)
                    return await self._fetch(
                        node, key, model, provider, handle, request, est
                    ), attempts
            except TransientError as exc:
                handle = None
                tries += 1
                self._failed_attempt(key, node, model, exc)
                if tries >= self.retry.max_attempts:
                    raise
                delay = self.retry.delay(tries, exc, self.rand())
                self._note(
                    key,
                    node,
                    "retry",
                    f"{model.id}: {type(exc).__name__}: {exc}; "
                    f"attempt {tries + 1} of {self.retry.max_attempts} in {delay:.1f} s",
                    data={"delay_s": delay},
                )
                await self.sleep(delay)
            except ProviderError as exc:
                self._failed_attempt(key, node, model, exc)
                raise

    async def _submit(
        self,
        node: JobNode,
        key: str,
        model: ModelProfile,
        provider: Provider,
        request: JobRequest,
        est: CostEstimate,
        attempts: int,
    ) -> Handle:
        if self.budget_usd is not None:
            spent = self.journal.spent_usd()
            if spent + est.usd > self.budget_usd + 1e-9:
                raise _Stop(
                    S.SKIPPED,
                    (
                        f"skipped: budget — {model.id} would cost ${est.usd:.2f} ({est.rule}); "
                        f"${spent:.2f} already spent or reserved of ${self.budget_usd:.2f}"
                    ),
                    "Budget",
                )
        # Committed before anything is sent: a crash from here on is found on restart.
        with self.journal.transaction():
            self.journal.update_job(
                key,
                state=S.SUBMITTING,
                model=model.id,
                provider=model.provider,
                reserved_usd=est.usd,
                estimate_usd=est.usd,
                estimate_rule=est.rule,
                attempts=attempts,
                handle=None,
                error_class=None,
                error_message=None,
            )
            self.journal.event(
                "submitting",
                f"{model.id} ({est.rule})",
                job_key=key,
                shot_id=node.shot_id,
                stage=node.step,
            )
        self._state(node, key, model, S.SUBMITTING)
        handle = await provider.submit(request)
        with self.journal.transaction():
            self.journal.update_job(key, state=S.SUBMITTED, handle=handle.model_dump(mode="json"))
            self.journal.event(
                "submitted", handle.remote_id, job_key=key, shot_id=node.shot_id, stage=node.step
            )
        self._state(node, key, model, S.SUBMITTED)
        return handle

    async def _wait(
        self, node: JobNode, key: str, model: ModelProfile, provider: Provider, handle: Handle
    ) -> None:
        errors = 0
        while True:
            try:
                status = await provider.poll(handle)
            except TransientError as exc:
                # The job may still be running remotely: never resubmit because a poll failed.
                errors += 1
                if errors >= self.retry.max_attempts:
                    raise _Stop(
                        S.SUBMITTED,
                        f"cannot poll {model.id} job {handle.remote_id} "
                        f"({exc}); it stays journalled: run again to resume",
                        "PollFailed",
                    ) from None
                await self.sleep(self.retry.delay(errors, exc, self.rand()))
                continue
            errors = 0
            if status.state == JobState.SUCCEEDED:
                return
            if status.state == JobState.FAILED:
                raise TransientError(
                    status.message or "the remote job failed",
                    provider=model.provider,
                    model=model.id,
                )
            self.emit(
                EngineEvent(
                    kind="progress",
                    shot_id=node.shot_id,
                    stage=node.step,
                    job=key,
                    state=status.state.value,
                    progress=status.progress,
                    model=model.id,
                    message=status.message,
                )
            )
            await self.sleep(self.retry.poll_s)

    async def _fetch(
        self,
        node: JobNode,
        key: str,
        model: ModelProfile,
        provider: Provider,
        handle: Handle,
        request: JobRequest,
        est: CostEstimate,
    ) -> str:
        dest = self.scratch / key
        dest.mkdir(parents=True, exist_ok=True)
        result = await provider.fetch(handle, request, dest)
        inside = result.path.is_relative_to(dest)
        ref = self.store.put(result.path, result.media_type, move=inside)
        actual = est.usd if result.cost_usd is None else result.cost_usd
        with self.journal.transaction():
            self.journal.update_job(
                key,
                state=S.SUCCEEDED,
                artifact=ref.hash,
                reserved_usd=0.0,
                actual_usd=actual,
                error_class=None,
                error_message=None,
            )
            self.journal.event(
                "succeeded",
                f"{model.id} -> {ref.hash[:12]}",
                job_key=key,
                shot_id=node.shot_id,
                stage=node.step,
                data={"estimate_usd": est.usd, "actual_usd": actual},
            )
            if actual > est.usd + 1e-9:
                self.journal.event(
                    "over_estimate",
                    f"{model.id} cost ${actual:.4f}, estimated ${est.usd:.4f} ({est.rule})",
                    job_key=key,
                    shot_id=node.shot_id,
                    stage=node.step,
                )
        self._state(node, key, model, S.SUCCEEDED)
        return ref.hash

    # -- helpers ----------------------------------------------------------------------------

    def _request(
        self, node: JobNode, job: Job, key: str, model: ModelProfile, paths: dict[str, Path]
    ) -> JobRequest:
        stage = Stage(node.step)
        prompt, negative = job.prompt, job.negative
        if model.id != node.model and self.recompile is not None:
            prompt, negative = self.recompile(node, model)
        task = node.task
        if task is None or not model.does(task):
            task = next(t for t in stage.tasks if model.does(t))
        return JobRequest(
            job_id=key,
            shot_id=node.shot_id,
            stage=stage,
            task=task,
            model=model,
            prompt=prompt,
            negative_prompt=negative,
            inputs=paths,
            params=node.params,
            seed=node.seed,
            context=node.context,
        )

    def _failed_attempt(
        self, key: str, node: JobNode, model: ModelProfile, exc: ProviderError
    ) -> None:
        with self.journal.transaction():
            self.journal.update_job(
                key,
                state=S.FAILED,
                reserved_usd=0.0,
                handle=None,
                error_class=type(exc).__name__,
                error_message=str(exc),
            )
            self.journal.event(
                "attempt_failed",
                f"{model.id}: {type(exc).__name__}: {exc}",
                job_key=key,
                shot_id=node.shot_id,
                stage=node.step,
            )

    def _note(
        self,
        key: str,
        node: JobNode,
        kind: str,
        message: str,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.journal.event(
            kind, message, job_key=key, shot_id=node.shot_id, stage=node.step, data=data
        )
        self.emit(
            EngineEvent(kind=kind, shot_id=node.shot_id, stage=node.step, job=key, message=message)
        )

    def _state(self, node: JobNode, key: str, model: ModelProfile, state: JobStateName) -> None:
        self.emit(
            EngineEvent(
                kind="state",
                shot_id=node.shot_id,
                stage=node.step,
                job=key,
                state=state.value,
                model=model.id,
                progress=1.0 if state == S.SUCCEEDED else None,
            )
        )
