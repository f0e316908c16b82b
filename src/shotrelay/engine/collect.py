"""A paid job after acceptance: polling it to its end, then downloading its output.

Both keep the job's handle: a failed poll or a cut download is tried again on the same remote
job, never by submitting it again. After too many failures the job stays journalled as
``submitted`` with its handle, and the next run resumes it.
"""

from __future__ import annotations

from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.engine.jobs import JobNode
from shotrelay.engine.journal import JobRow, JobStateName
from shotrelay.engine.runner import Runner
from shotrelay.engine.stop import Stop
from shotrelay.errors import ProviderError, RemoteFailure, TransientError, Unreachable
from shotrelay.providers.base import Handle, JobRequest, JobState, Provider

__all__ = ["ZERO", "fetch", "transient", "wait"]

S = JobStateName


async def wait(
    runner: Runner,
    node: JobNode,
    key: str,
    model: ModelProfile,
    provider: Provider,
    handle: Handle,
) -> None:
    """Poll until the job succeeds; a remote failure raises, a failing poll keeps the handle."""
    errors = 0
    while True:
        try:
            status = await provider.poll(handle)
        except (TransientError, Unreachable) as exc:
            # The job may still be running remotely: never resubmit because a poll failed.
            errors += 1
            if errors >= runner.retry.max_attempts:
                raise Stop(
                    S.SUBMITTED,
                    f"cannot poll {model.id} job {handle.remote_id} "
                    f"({exc}); it stays journalled: run again to resume",
                    "PollFailed",
                ) from None
            runner.note(key, node, "poll_retry", f"{model.id}: {exc}")
            await runner.sleep(runner.retry.delay(errors, transient(exc), runner.rand()))
            continue
        errors = 0
        if status.state == JobState.SUCCEEDED:
            return
        if status.state == JobState.FAILED:
            raise RemoteFailure(
                f"{model.provider}: the remote job failed: {status.message or 'no reason given'}",
                provider=model.provider,
                model=model.id,
            )
        runner.tell(
            node,
            key,
            "progress",
            state=status.state.value,
            progress=status.progress,
            model=model.id,
            message=status.message,
        )
        # A provider may ask for its own cadence (local renders finish in seconds).
        await runner.sleep(getattr(provider, "poll_interval_s", None) or runner.retry.poll_s)


async def fetch(
    runner: Runner,
    node: JobNode,
    key: str,
    model: ModelProfile,
    provider: Provider,
    handle: Handle,
    request: JobRequest,
    est: CostEstimate,
) -> str:
    """Download the output into the store (same handle on every retry); its artifact hash."""
    dest = runner.scratch / key
    dest.mkdir(parents=True, exist_ok=True)
    tries = 0
    while True:
        try:
            result = await provider.fetch(handle, request, dest)
            break
        except ProviderError as exc:
            # The job is done and paid: fetch again with the same handle, never resubmit.
            tries += 1
            if tries >= runner.retry.max_attempts:
                raise Stop(
                    S.SUBMITTED,
                    f"{model.id} job {handle.remote_id} finished but its output could not "
                    f"be downloaded ({exc}); it stays journalled with its handle: run "
                    "again to download it (nothing is submitted again)",
                    "FetchFailed",
                ) from None
            delay = runner.retry.delay(tries, transient(exc), runner.rand())
            runner.note(
                key,
                node,
                "fetch_retry",
                f"{model.id}: {exc}; downloading again in {delay:.1f} s (same job)",
                data={"delay_s": delay},
            )
            await runner.sleep(delay)
    inside = result.path.is_relative_to(dest)
    ref = runner.store.put(result.path, result.media_type, move=inside)
    actual = est.usd if result.cost_usd is None else result.cost_usd
    before = (runner.journal.job(key) or ZERO).actual_usd
    with runner.journal.transaction():
        runner.record(
            key,
            node,
            "succeeded",
            f"{model.id} -> {ref.hash[:12]}",
            data={"estimate_usd": est.usd, "actual_usd": actual},
            state=S.SUCCEEDED,
            artifact=ref.hash,
            reserved_usd=0.0,
            actual_usd=before + actual,
            error_class=None,
            error_message=None,
        )
        if actual > est.usd + 1e-9:
            runner.record(
                key,
                node,
                "over_estimate",
                f"{model.id} cost ${actual:.4f}, estimated ${est.usd:.4f} ({est.rule})",
            )
    runner.state(node, key, model, S.SUCCEEDED)
    return ref.hash


def transient(exc: ProviderError) -> TransientError:
    """The error as the retry policy reads it (Retry-After when it is a rate limit)."""
    return exc if isinstance(exc, TransientError) else TransientError(str(exc))


#: A job row with nothing spent, for a job the journal does not hold.
ZERO = JobRow(
    key="", shot_id="", stage="", take=0, model="", provider="", state=S.PENDING, handle=None,
    attempts=0, reserved_usd=0.0, actual_usd=0.0, estimate_usd=0.0, estimate_rule="",
    artifact=None, error_class=None, error_message=None, detail={}, created_at=0, updated_at=0,
)  # fmt: skip
