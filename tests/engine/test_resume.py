"""Durability: a crash at any point never pays twice, and never resubmits silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_executor import GEN, VEO, Rig

from shotrelay.engine.journal import JobStateName
from shotrelay.spec.vocabulary import Stage, Task
from shotrelay.testing import Crash, FakeProvider, model


def _crash(rig: Rig) -> None:
    with pytest.raises(Crash):
        rig.run()


def test_crash_while_waiting_resumes_by_polling_not_resubmitting(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=1)
    cloud = rig.providers["cloud"]
    cloud.crash_on_poll = True
    _crash(rig)
    (row,) = rig.journal.jobs()
    assert row.state == JobStateName.SUBMITTED and row.handle is not None
    assert row.reserved_usd == 1.0
    polls = cloud.polls
    out = rig.run()
    assert out.ok
    assert len(cloud.submissions) == 1
    assert cloud.polls > polls
    assert rig.journal.events(kind="resume")
    assert rig.journal.costs() == (0.0, 1.0)


def test_crash_after_accept_adopts_the_job_the_provider_lists(tmp_path: Path) -> None:
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, [])}, shots=1)
    cloud = rig.providers["cloud"]
    cloud.crash_after_accept = True
    _crash(rig)
    (row,) = rig.journal.jobs()
    assert row.state == JobStateName.SUBMITTING and row.handle is None
    assert rig.run().ok
    assert len(cloud.submissions) == 1
    assert rig.journal.events(kind="adopted")


def test_submitting_job_unknown_to_a_listing_provider_is_resubmitted(tmp_path: Path) -> None:
    rig = Rig(
        tmp_path,
        {Stage.GENERATE: (VEO, [])},
        shots=1,
        providers={"cloud": FakeProvider("cloud", listing="none")},
    )
    rig.providers["cloud"].crash_after_accept = True
    _crash(rig)
    assert rig.run().ok
    assert len(rig.providers["cloud"].submissions) == 2
    assert any("no such job" in e.message for e in rig.journal.events(kind="recover"))


def test_submitting_job_is_not_silently_resubmitted_without_a_listing(tmp_path: Path) -> None:
    rig = Rig(
        tmp_path,
        {Stage.GENERATE: (VEO, [])},
        shots=2,
        providers={"cloud": FakeProvider("cloud", listing="unsupported")},
    )
    cloud = rig.providers["cloud"]
    cloud.crash_after_accept = True
    _crash(rig)
    accepted = len(cloud.submissions)
    out = rig.run()
    stuck = [
        r for r in out.results.values() if r.state == JobStateName.UNKNOWN and r.step == "generate"
    ]
    assert len(stuck) == 1 and "--resubmit-unknown" in stuck[0].message
    assert "shotrelay abandon" in stuck[0].message and "dashboard" in stuck[0].message
    row = rig.journal.job(stuck[0].key)
    assert row is not None and row.state == JobStateName.UNKNOWN
    assert row.error_class == "Unknown" and row.reserved_usd > 0  # the money may be spent
    assert cloud.submissions.count(stuck[0].key) == 1  # never sent again
    assert len(cloud.submissions) <= accepted + 1  # only the other shot, if it had not gone
    again = rig.run(resubmit_unknown=True)
    assert again.ok
    assert cloud.submissions.count(stuck[0].key) == 2


def test_interrupted_local_job_simply_reruns(tmp_path: Path) -> None:
    local = model("cam", "local", GEN, local=True)
    rig = Rig(
        tmp_path,
        {Stage.GENERATE: (local, [])},
        shots=1,
        models=[local],
        providers={"local": FakeProvider("local", listing="unsupported")},
    )
    rig.providers["local"].crash_after_accept = True
    _crash(rig)
    assert rig.run().ok
    assert len(rig.providers["local"].submissions) == 2
    assert rig.journal.events(kind="recover")


def test_crash_mid_project_then_restart_finishes_without_duplicates(tmp_path: Path) -> None:
    up = model("up", "cloud", [Task.UPSCALE], usd=0.2)
    rig = Rig(tmp_path, {Stage.GENERATE: (VEO, []), Stage.UPSCALE: (up, [])}, shots=4)
    cloud = rig.providers["cloud"]
    cloud.fail["up"] = [Crash("power cut")]
    _crash(rig)
    out = rig.run()
    assert out.ok
    assert len(cloud.submissions) == len(set(cloud.submissions)) == 8


class _Lookalike(FakeProvider):
    """A listing that matches by request fields: it answers with another job's id."""

    async def find(self, request, *, since=None):  # type: ignore[no-untyped-def]
        from shotrelay.providers.base import Handle

        for remote_id, req in self.remote.items():
            if req.job_id != request.job_id:
                return Handle(provider=self.name, remote_id=remote_id)
        return None


def test_a_listing_match_that_is_another_jobs_is_neither_adopted_nor_resubmitted(
    tmp_path: Path,
) -> None:
    rig = Rig(
        tmp_path, {Stage.GENERATE: (VEO, [])}, shots=2, providers={"cloud": _Lookalike("cloud")}
    )
    cloud = rig.providers["cloud"]
    assert rig.run().ok
    victim = rig.journal.jobs()[-1]
    # As if the process had died while submitting it.
    rig.journal.update_job(victim.key, state=JobStateName.SUBMITTING, handle=None, artifact=None)
    sent = len(cloud.submissions)
    out = rig.run()
    stuck = next(r for r in out.results.values() if r.key == victim.key)
    assert stuck.state == JobStateName.UNKNOWN and "belongs to job" in stuck.message
    row = rig.journal.job(victim.key)
    assert row is not None and row.state == JobStateName.UNKNOWN
    assert row.error_class == "Unknown"
    assert len(cloud.submissions) == sent  # nothing sent again
    assert rig.run(resubmit_unknown=True).ok
    assert len(cloud.submissions) == sent + 1
