"""Issue 10's fault matrix, part 1: faults before, at and after a submission, for every cloud
adapter driven by the real Executor. Every assertion reads the server's ledger (what it accepted
and so billed), the journal, or the store.

A "listing" adapter can ask the provider whether a maybe-accepted submission arrived
(``find``); the others must stop as ``unknown`` rather than pay twice.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from .provider_server import (
    Fault,
    delay,
    drop_after_read,
    malformed_after_accept,
    status_after_accept,
    status_before_accept,
)
from .rig import ADAPTERS, TIMEOUT, JobState, Rig, closed_port_url

MakeRig = Callable[..., Rig]
ALL = list(ADAPTERS)
adapters = pytest.mark.parametrize("name", ALL)


def succeeded_on_cloud(rig: Rig, outcome: Any) -> None:
    node = rig.node(outcome)
    assert node.state == JobState.SUCCEEDED, f"{node.message}\n{rig.story()}"
    assert node.model == rig.row.id, f"fell back to {node.model}\n{rig.story()}"
    assert node.artifact and rig.store.verify(node.artifact).hash == node.artifact


def fell_back_to_local(rig: Rig, outcome: Any, shot: int = 1) -> None:
    node = rig.node(outcome, shot)
    assert node.state == JobState.SUCCEEDED, f"{node.message}\n{rig.story()}"
    assert node.model.startswith("local-"), f"stayed on {node.model}\n{rig.story()}"


def stopped_unknown(rig: Rig, outcome: Any) -> None:
    row = rig.row_of(outcome)
    text = f"{rig.node(outcome).message} {row.error_message or ''}"
    assert row.state == JobState.UNKNOWN, f"{row.state}: {text}\n{rig.story()}"
    assert "--resubmit-unknown" in text, text


# -- before send: nothing reached the provider -----------------------------------------------


@adapters
@pytest.mark.parametrize("how", ["refused", "dns"])
def test_unreachable_provider_is_out_for_the_run_and_falls_back_at_once(
    make_rig: MakeRig, name: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "dns":
        real = socket.getaddrinfo

        def no_dns(host: Any, *args: Any, **kw: Any) -> Any:
            if host == "api.nowhere.invalid":
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real(host, *args, **kw)

        monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    url = closed_port_url() if how == "refused" else "http://api.nowhere.invalid"
    rig = make_rig(name, shots=2, base_url=url, concurrency=1)  # shot 2 starts after shot 1
    outcome = rig.run()
    fell_back_to_local(rig, outcome, 1)
    fell_back_to_local(rig, outcome, 2)
    assert rig.accepted == 0 and rig.submits() == 0
    failed = rig.events_of("attempt_failed")
    assert len(failed) == 1 and "Unreachable" in failed[0], rig.story()  # one try, 2 shots
    assert rig.events_of("retry") == [] and rig.sleep.delays == []
    rig.check_invariants()


# -- at submit: refused without being accepted ------------------------------------------------


@adapters
def test_429_with_retry_after_waits_as_told_then_one_is_accepted(
    make_rig: MakeRig, name: str
) -> None:
    rig = make_rig(name)
    rig.server.fault("submit", 1, status_before_accept(429, headers={"Retry-After": "7"}))
    outcome = rig.run()
    succeeded_on_cloud(rig, outcome)
    assert 7.0 in rig.sleep.delays
    assert rig.accepted == 1 and rig.submits() == 2
    rig.check_invariants()


@adapters
def test_5xx_without_accepting_is_reconciled_before_any_second_submission(
    make_rig: MakeRig, name: str
) -> None:
    rig = make_rig(name)
    rig.server.fault("submit", 1, status_before_accept(503))
    outcome = rig.run()
    if rig.adapter.proves_absence:
        succeeded_on_cloud(rig, outcome)
        assert rig.server.ledger.calls("listing") >= 1, rig.story()  # asked before resubmitting
        assert rig.accepted == 1 and rig.submits() == 2
    else:
        stopped_unknown(rig, outcome)
        assert rig.accepted == 0 and rig.submits() == 1
    rig.check_invariants()


# -- at submit: accepted, and the answer was lost ---------------------------------------------

LOST_ANSWERS: dict[str, Callable[[], Fault]] = {
    "dropped": drop_after_read,
    "timeout": lambda: delay(TIMEOUT * 4),
    "502_after_accept": lambda: status_after_accept(502),
    "malformed_200": malformed_after_accept,
}


@adapters
@pytest.mark.parametrize("lost", list(LOST_ANSWERS))
def test_lost_submission_answer_never_pays_twice(make_rig: MakeRig, name: str, lost: str) -> None:
    rig = make_rig(name)
    rig.server.fault("submit", 1, LOST_ANSWERS[lost]())
    outcome = rig.run()
    assert rig.accepted == 1 and rig.submits() == 1, f"submitted again\n{rig.story()}"
    if rig.adapter.has_listing:
        succeeded_on_cloud(rig, outcome)  # found in the listing, adopted, polled, fetched
        assert rig.server.ledger.calls("listing") >= 1
    else:
        stopped_unknown(rig, outcome)
    rig.check_invariants()


# -- remote failures, classified by the provider's own codes ---------------------------------


@adapters
def test_refusal_is_never_resubmitted_to_the_refusing_model(make_rig: MakeRig, name: str) -> None:
    rig = make_rig(name)
    if rig.adapter.synchronous:
        rig.server.submit_error("moderation")
    else:
        rig.server.fail_as("moderation")
    outcome = rig.run()
    fell_back_to_local(rig, outcome)
    assert rig.submits() == 1
    assert any("Rejected" in m for m in rig.events_of("attempt_failed")), rig.events_of(
        "attempt_failed"
    )
    assert rig.events_of("retry") == []
    rig.check_invariants()


@adapters
def test_out_of_credit_puts_the_provider_out_for_the_run(make_rig: MakeRig, name: str) -> None:
    rig = make_rig(name, shots=2, concurrency=1)  # shot 2 starts after shot 1
    rig.server.submit_error("quota", call=1).submit_error("quota", call=2)
    outcome = rig.run()
    fell_back_to_local(rig, outcome, 1)
    fell_back_to_local(rig, outcome, 2)
    assert rig.accepted == 0 and rig.submits() == 1, rig.story()  # shot 2 never tried it
    assert any("QuotaError" in m for m in rig.events_of("attempt_failed"))
    assert rig.events_of("retry") == [] and rig.sleep.delays == []
    assert rig.events_of("provider_unusable")
    rig.check_invariants()


ASYNC = [n for n in ALL if not ADAPTERS[n].synchronous]


@pytest.mark.parametrize("name", ASYNC)
@pytest.mark.parametrize("bills_failed", [False, True], ids=["free_failures", "billed_failures"])
def test_unclassified_remote_failure_is_retried_only_where_failures_are_free(
    make_rig: MakeRig, name: str, bills_failed: bool
) -> None:
    rig = make_rig(name, bills_failed=bills_failed)
    rig.server.fail_as("other")
    outcome = rig.run()
    if bills_failed:
        fell_back_to_local(rig, outcome)
        assert rig.accepted == 1
    else:
        succeeded_on_cloud(rig, outcome)
        assert rig.accepted == 2 and rig.server.ledger.accepted[0].failure is not None
    rig.check_invariants()


def test_replicate_aborted_prediction_ends_and_is_not_polled_forever(make_rig: MakeRig) -> None:
    rig = make_rig("replicate", bills_failed=True)
    rig.server.fail_as("aborted")
    outcome = rig.run()
    fell_back_to_local(rig, outcome)
    assert rig.accepted == 1 and rig.server.ledger.calls("status") <= 3
    rig.check_invariants()
