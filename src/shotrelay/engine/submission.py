"""A paid submission: the budget check, the journal before the send, and reconciling an
answer that was lost.

A submission has three outcomes. Accepted: the handle is journalled before anything waits on
it. Not sent or refused before acceptance (``Unreachable``, 429, 4xx): safe to retry or fall
back. Maybe accepted (``SubmissionUnknown``: the body went out and no usable answer came back):
the provider is asked, through its listing, whether the job arrived; it is adopted if so,
submitted again only if the provider says it certainly is not there, and otherwise the job
stops as ``unknown`` for a person. No second paid submission ever happens by guesswork.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.engine.jobs import JobNode
from shotrelay.engine.journal import JobStateName
from shotrelay.engine.runner import Runner
from shotrelay.engine.stop import Stop
from shotrelay.errors import ProviderError, SubmissionUnknown, TransientError
from shotrelay.providers.base import Handle, JobRequest, Provider

__all__ = ["NotAccepted", "reconcile", "submit", "submitted_at", "unknown_advice"]

S = JobStateName


class NotAccepted(TransientError):
    """The provider's listing shows the lost submission never arrived: safe to submit again."""


async def submit(
    runner: Runner,
    node: JobNode,
    key: str,
    model: ModelProfile,
    provider: Provider,
    request: JobRequest,
    est: CostEstimate,
    attempts: int,
) -> Handle:
    """Reserve the cost, journal ``submitting``, send, and journal the handle (or reconcile)."""
    if runner.budget_usd is not None:
        spent = runner.journal.spent_usd()
        if spent + est.usd > runner.budget_usd + 1e-9:
            raise Stop(
                S.SKIPPED,
                (
                    f"skipped: budget — {model.id} would cost ${est.usd:.2f} ({est.rule}); "
                    f"${spent:.2f} already spent or reserved of ${runner.budget_usd:.2f}"
                ),
                "Budget",
            )
    # Committed before anything is sent: a crash from here on is found on restart.
    since = time.time()
    runner.record(
        key,
        node,
        "submitting",
        f"{model.id} ({est.rule})",
        data={"at": since},
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
    runner.state(node, key, model, S.SUBMITTING)
    try:
        handle = await provider.submit(request)
    except SubmissionUnknown as exc:
        runner.note(key, node, "submission_unknown", f"{model.id}: {exc}")
        found = await reconcile(runner, node, key, model, provider, request, since, str(exc))
        if found is None:
            raise NotAccepted(
                f"{model.id}: {model.provider} has no record of the lost submission; "
                "it was not accepted",
                provider=model.provider,
                model=model.id,
            ) from None
        return found
    runner.record(
        key,
        node,
        "submitted",
        handle.remote_id,
        state=S.SUBMITTED,
        handle=handle.model_dump(mode="json"),
    )
    runner.state(node, key, model, S.SUBMITTED)
    return handle


async def reconcile(
    runner: Runner,
    node: JobNode,
    key: str,
    model: ModelProfile,
    provider: Provider,
    request: JobRequest,
    since: float | None,
    cause: str,
) -> Handle | None:
    """Ask the provider whether a maybe-accepted submission arrived.

    Returns the adopted handle (journalled as ``submitted``), or None when the provider says
    it certainly did not arrive. Raises ``Stop(unknown)`` when nobody can tell.
    """

    def unknown(why: str) -> Stop:
        advice = unknown_advice(model, request, since, cause, why, runner.project_ref)
        return Stop(S.UNKNOWN, advice, "Unknown")

    try:
        found = await provider.find(request, since=since)
    except NotImplementedError:
        raise unknown(f"{model.provider} offers no way to ask whether it arrived") from None
    except SubmissionUnknown as exc:
        raise unknown(f"its listing is ambiguous ({exc})") from None
    except ProviderError as exc:
        raise unknown(f"asking {model.provider} failed ({exc}); run again to ask again") from None
    if found is None:
        runner.note(key, node, "not_accepted", f"{model.provider} has no such job")
        return None
    owner = _owner(runner, model.provider, found.remote_id, key)
    if owner is not None:
        # Takes of one shot can send identical requests: the listing's match is another job's.
        raise unknown(
            f"the only matching job there ({found.remote_id}) belongs to job {owner[:12]}"
        )
    runner.record(
        key,
        node,
        "adopted",
        f"found {found.remote_id} at {model.provider}",
        state=S.SUBMITTED,
        handle=found.model_dump(mode="json"),
    )
    runner.state(node, key, model, S.SUBMITTED)
    return found


def unknown_advice(
    model: ModelProfile,
    request: JobRequest,
    since: float | None,
    cause: str,
    why: str,
    project: str = "<project>",
) -> str:
    """What a person reads for an ``unknown`` job: what happened, what to check, what to run."""
    when = (
        datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if since is not None
        else "in an earlier run"
    )
    cause = cause.removesuffix("; the job may have been accepted")
    prompt = " ".join(request.prompt.split())
    prompt = prompt[:70] + ("..." if len(prompt) > 70 else "")
    task = str(request.task)
    article = "an" if task[:1] in "aeiou" else "a"
    return (
        f"unknown: {model.id} may have accepted (and billed) this job. The submission went "
        f"out at {when} and no usable answer came back ({cause}); {why}. shotrelay will not "
        f"submit it again by itself. Check your {model.provider} dashboard for {article} "
        f"{task} job sent then (prompt: {prompt!r}). Not there: "
        f"`shotrelay run {project} --resubmit-unknown` submits it again. There, or to give up "
        f"on {model.id} for this shot: `shotrelay abandon {project} {request.job_id[:12]}` "
        "(the shot falls back)."
    )


def submitted_at(runner: Runner, key: str) -> float | None:
    """When the job's last submission started, from the journal."""
    events = runner.journal.events(job_key=key, kind="submitting", limit=1)
    if not events:
        return None
    at = events[-1].data.get("at")
    return float(at) if isinstance(at, int | float) else events[-1].at


def _owner(runner: Runner, provider: str, remote_id: str, key: str) -> str | None:
    """The key of another journalled job holding this remote id, if any."""
    for row in runner.journal.jobs():
        if row.key == key or row.provider != provider or not row.handle:
            continue
        if row.handle.get("remote_id") == remote_id:
            return row.key
    return None
