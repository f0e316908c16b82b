"""At the start of a run: what to do with a job the journal left in flight or unknown.

A job found ``submitted`` with a handle is polled, not resubmitted. A job found
``submitting`` (a crash between the journal and the provider's answer) or ``unknown`` (an
answer lost after the body went out) is looked up in the provider's own listing: adopted when
found, submitted again only when the provider says it certainly is not there; otherwise it stays
``unknown`` unless the person asked to resubmit such jobs (``resubmit_unknown``). Local jobs
are simply run again.
"""

from __future__ import annotations

from pathlib import Path

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.jobs import Job, JobNode
from shotrelay.engine.journal import JobRow, JobStateName
from shotrelay.engine.runner import Runner
from shotrelay.engine.stop import Stop
from shotrelay.engine.submission import reconcile, submitted_at
from shotrelay.providers.base import Handle

__all__ = ["IN_FLIGHT", "recover"]

S = JobStateName
#: States a job can be left in by an earlier run that did not see it through.
IN_FLIGHT = (S.SUBMITTING, S.SUBMITTED, S.UNKNOWN)


async def recover(
    runner: Runner, node: JobNode, job: Job, key: str, row: JobRow, paths: dict[str, Path]
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
    cause = row.error_message or "an earlier run stopped while submitting it"
    if row.state == S.SUBMITTING:
        cause = "an earlier run stopped between sending it and journalling the answer"
    try:
        found = await reconcile(
            runner, node, key, model, provider, request, submitted_at(runner, key), cause
        )
    except Stop:
        if not runner.resubmit_unknown:
            raise
        _release(runner, key, node, "outcome unknown; resubmitting as asked (--resubmit-unknown)")
        return model, None
    if found is None:
        _release(runner, key, node, f"{model.provider} has no such job: submitting it")
    return model, found


def _release(runner: Runner, key: str, node: JobNode, message: str) -> None:
    runner.record(key, node, "recover", message, state=S.PENDING, reserved_usd=0.0, handle=None)
