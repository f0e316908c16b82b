"""Issue 10's fault matrix, part 2: faults once a job is in flight (poll, download) and a crash
between any two journal states of a paid job, then a second run on the same journal and store.
Every count comes from the server's ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shotrelay.engine.events import EngineEvent
from shotrelay.providers.base import JobState as RemoteState

from .provider_server import Fault, delay, drop_after_read, status_before_accept, truncate
from .rig import ADAPTERS, TIMEOUT, Crash, JobState, Rig
from .test_matrix import succeeded_on_cloud

MakeRig = Callable[..., Rig]
ASYNC = [n for n in ADAPTERS if not ADAPTERS[n].synchronous]

POLL_FAULTS: dict[str, Callable[[], Fault]] = {
    "5xx": lambda: status_before_accept(503),
    "timeout": lambda: delay(TIMEOUT * 4),
    "dropped": drop_after_read,
}


@pytest.mark.parametrize("name", ASYNC)
@pytest.mark.parametrize("fault", list(POLL_FAULTS))
def test_poll_fault_keeps_polling_the_same_job(make_rig: MakeRig, name: str, fault: str) -> None:
    rig = make_rig(name)
    rig.server.running_polls = 1
    rig.server.fault("status", 1, POLL_FAULTS[fault]())
    outcome = rig.run()
    succeeded_on_cloud(rig, outcome)
    assert rig.accepted == 1 and rig.submits() == 1, rig.story()
    polled = {r.job_id for r in rig.server.ledger.requests if r.phase == "status"}
    assert polled == {rig.server.ledger.accepted[0].id}
    rig.check_invariants()


DOWNLOAD_FAULTS: dict[str, Callable[[], Fault]] = {
    "truncated": lambda: truncate(48),
    "dropped": drop_after_read,
    "5xx": lambda: status_before_accept(502),
}


@pytest.mark.parametrize("name", ASYNC)
@pytest.mark.parametrize("fault", list(DOWNLOAD_FAULTS))
def test_download_fault_fetches_again_with_the_same_handle(
    make_rig: MakeRig, name: str, fault: str
) -> None:
    rig = make_rig(name)
    rig.server.fault("media", 1, DOWNLOAD_FAULTS[fault]())
    outcome = rig.run()
    succeeded_on_cloud(rig, outcome)
    assert rig.accepted == 1 and rig.submits() == 1, f"resubmitted\n{rig.story()}"
    assert rig.server.ledger.calls("media") == 2, rig.story()
    artifact = rig.node(outcome).artifact or ""
    assert rig.store.get(artifact).read_bytes() == rig.server.protocol.media  # whole, not cut
    rig.check_invariants()


# -- a crash between journal states, then a second run ---------------------------------------


def on_state(state: str) -> Callable[[Rig], None]:
    """Crash when the engine reports the adapter's job reached ``state`` (journalled)."""

    def arm(rig: Rig) -> None:
        def hit(e: EngineEvent) -> bool:
            return e.kind == "state" and e.state == state and e.model == rig.row.id

        rig.crash_on = hit

    return arm


def after_send(rig: Rig) -> None:
    """The provider accepted the job; the process dies before the handle is journalled."""
    provider: Any = rig.provider
    original = provider.submit

    async def submit(request: Any) -> Any:
        provider.submit = original
        await original(request)
        raise Crash("died between the answer and the journal")

    provider.submit = submit


def after_done(rig: Rig) -> None:
    """The provider said the job is done; the process dies before fetching."""
    provider: Any = rig.provider
    original = provider.poll

    async def poll(handle: Any) -> Any:
        status = await original(handle)
        if status.state == RemoteState.SUCCEEDED:
            provider.poll = original
            raise Crash("died after the job was done")
        return status

    provider.poll = poll


def during_fetch(rig: Rig) -> None:
    """The process dies while the output is being fetched."""
    provider: Any = rig.provider
    original = provider.fetch

    async def fetch(handle: Any, request: Any, dest: Any) -> Any:
        provider.fetch = original
        raise Crash("died during the download")

    provider.fetch = fetch


CRASHES: dict[str, Callable[[Rig], None]] = {
    "after_submitting_journalled": on_state("submitting"),
    "after_send_before_handle": after_send,
    "after_submitted": on_state("submitted"),
    "after_poll_done": after_done,
    "during_download": during_fetch,
    "after_succeeded": on_state("succeeded"),
}


@pytest.mark.parametrize("name", list(ADAPTERS))
@pytest.mark.parametrize("point", list(CRASHES))
def test_crash_then_rerun_pays_once(make_rig: MakeRig, name: str, point: str) -> None:
    rig = make_rig(name)
    CRASHES[point](rig)
    with pytest.raises(Crash):
        rig.run()
    sent_before_crash = rig.accepted
    outcome = rig.run()  # a new Executor on the same journal and store
    assert rig.accepted <= 1, f"paid twice\n{rig.story()}"
    row = rig.row_of(outcome)
    if point == "after_submitting_journalled" and sent_before_crash == 0:
        # Nothing went out: a listing proves it; without one the job may only stop as unknown.
        if rig.adapter.proves_absence:
            succeeded_on_cloud(rig, outcome)
        else:
            assert row.state in (JobState.SUCCEEDED, JobState.UNKNOWN), rig.story()
    elif point == "after_send_before_handle" and not (
        rig.adapter.has_listing or rig.adapter.synchronous  # a spooled answer is adopted
    ):
        assert row.state == JobState.UNKNOWN and rig.accepted == 1, rig.story()
    else:
        succeeded_on_cloud(rig, outcome)
        assert rig.accepted == 1
    rig.check_invariants()


@pytest.mark.parametrize("name", list(ADAPTERS))
def test_budget_holds_when_a_submission_answer_is_lost(make_rig: MakeRig, name: str) -> None:
    """Three $1 shots against $2.50: a maybe-accepted job still counts as spent."""
    rig = make_rig(name, shots=3, budget=2.5)
    rig.server.fault("submit", 1, drop_after_read())
    outcome = rig.run()
    assert rig.billed_usd() <= 2.5 and rig.accepted <= 2, rig.story()
    assert rig.journal.spent_usd() <= 2.5 + 1e-9
    skipped = [r for r in outcome.results.values() if "budget" in r.message]
    assert skipped, rig.story()  # the third shot was stopped by the budget, and said so
    rig.check_invariants()
