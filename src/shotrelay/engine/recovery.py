"""After a crash: what to do with a job the journal says was being submitted or was in flight.

A job found ``submitted`` with a handle is polled, not resubmitted. A job found
``submitting`` (the provider may or may not have accepted it) is looked up in the provider's
own job listing; if the provider cannot list jobs it is reported and resubmitted only when the
caller asked for it (``resubmit_unknown``). Local jobs are simply run again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import Job, JobNode
from shotrelay.engine.journal import JobRow, JobStateName
from shotrelay.engine.stop import Stop
from shotrelay.errors import ProviderError
from shotrelay.providers.base import Handle

if TYPE_CHECKING:
    from shotrelay.engine.calls import CallRunner

__all__ = ["recover"]

S = JobStateName


async def recover(
    runner: CallRunner, node: JobNode, job: Job, key: str, row: JobRow, paths: dict[str, Path]
) -> tuple[ModelProfile, Handle | None]:
    """The model to continue with and the handle to poll (None: submit afresh)."""
    model = runner.models.get(row.model) or runner.models[node.model]
    provider = runner.providers.get(model.provider)
    if provider is None or model.local:
        _release(runner, key, node, f"{row.state.value} local job from an earlier run: rerun")
        return model, None
    if row.state == S.SUBMITTED and row.handle:
        handle = Handle.model_validate(row.handle)
        runner.note(key, node, "resume", f"polling {model.id} job {handle.remote_id}")
        return model, handle
    request = runner.request(node, job, key, model, paths)
    try:
        found = await provider.find(request)
    except NotImplementedError:
        if runner.resubmit_unknown:
            _release(
                runner,
                key,
                node,
                f"{model.provider} cannot list jobs; resubmitting as asked (resubmit_unknown)",
            )
            return model, None
        raise Stop(
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
        raise Stop(
            S.SUBMITTING,
            f"could not ask {model.provider} about an interrupted submission ({exc}); run again",
            "UnknownSubmission",
        ) from None
    if found is None:
        _release(runner, key, node, f"{model.provider} has no such job: resubmitting")
        return model, None
    owner = _owner(runner, model.provider, found.remote_id, key)
    if owner is not None and runner.resubmit_unknown:
        _release(runner, key, node, f"{found.remote_id} is another job's: resubmitting as asked")
        return model, None
    if owner is not None:
        # Takes of one shot can send identical requests (no seed): the listing's match is
        # another job's. Neither adopt it nor resubmit blindly.
        raise Stop(
            S.SUBMITTING,
            (
                f"{model.id}: an earlier run crashed while submitting this job; the only "
                f"matching job at {model.provider} ({found.remote_id}) belongs to job "
                f"{owner[:12]}. Check the provider's dashboard, then run again with "
                "--resubmit-unknown to submit it again (this may pay twice)"
            ),
            "UnknownSubmission",
        )
    runner.record(
        key,
        node,
        "adopted",
        f"found {found.remote_id} at {model.provider}",
        state=S.SUBMITTED,
        handle=found.model_dump(mode="json"),
    )
    return model, found


def _owner(runner: CallRunner, provider: str, remote_id: str, key: str) -> str | None:
    """The key of another journalled job holding this remote id, if any."""
    for row in runner.journal.jobs():
        if row.key == key or row.provider != provider or not row.handle:
            continue
        if row.handle.get("remote_id") == remote_id:
            return row.key
    return None


def _release(runner: CallRunner, key: str, node: JobNode, message: str) -> None:
    runner.record(key, node, "recover", message, state=S.PENDING, reserved_usd=0.0, handle=None)
