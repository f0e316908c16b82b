"""A submission whose answer was lost stops as ``unknown``; nothing resubmits it by itself;
a person abandons it (the shot falls back) or resubmits it explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.engine.journal import JobStateName, Journal
from shotrelay.engine.workspace import workspace_for
from shotrelay.errors import EngineError, SubmissionUnknown
from shotrelay.relay import RunResult, run
from shotrelay.relay.abandon import abandon
from shotrelay.relay.actions import approve
from shotrelay.spec.vocabulary import Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

VEO = model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)
PROJECT = """name: ad
shots:
  - {id: a, duration: 2, subject: a cat, role: hero}
"""


class Catalog:
    models: ClassVar[list[ModelProfile]] = [*LOCAL_MODELS, VEO]


def _run(file: Path, cloud: FakeProvider, **kw: object) -> RunResult:
    providers = {"local": FakeProvider("local"), "cloud": cloud}
    return run(file, providers=providers, catalog=Catalog(), hooks=hooks(FakeCutter()), **kw)  # type: ignore[arg-type]


@pytest.fixture
def lost(tmp_path: Path) -> tuple[Path, FakeProvider, RunResult]:
    """A project whose one paid submission lost its answer, on a provider with no listing."""
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT)
    cloud = FakeProvider("cloud", listing="unsupported")
    cloud.fail["veo"] = [SubmissionUnknown("POST /generate: the answer was lost", model="veo")]
    _run(file, cloud)
    approve(file)
    return file, cloud, _run(file, cloud)


def test_a_lost_answer_stops_the_job_as_unknown_with_advice(
    lost: tuple[Path, FakeProvider, RunResult],
) -> None:
    file, cloud, result = lost
    assert result.status == "incomplete"
    assert any("unknown" in f and "--resubmit-unknown" in f for f in result.failures)
    # The advice names this project in the commands it gives, ready to paste.
    assert any(f"`shotrelay run {file} --resubmit-unknown`" in f for f in result.failures)
    assert any(f"`shotrelay abandon {file} " in f for f in result.failures)
    journal = Journal(workspace_for(file).journal)
    rows = journal.jobs(state="unknown")
    journal.close()
    assert len(rows) == 1 and rows[0].reserved_usd == 1.0  # the money may be spent
    again = _run(file, cloud)  # a plain rerun asks again and still sends nothing
    assert again.status == "incomplete" and cloud.submissions == []


def test_abandon_moves_the_shot_to_its_fallback_and_counts_the_money(
    lost: tuple[Path, FakeProvider, RunResult],
) -> None:
    file, cloud, _ = lost
    journal = Journal(workspace_for(file).journal)
    key = journal.jobs(state="unknown")[0].key
    journal.close()
    message = abandon(file, key[:8])
    assert "abandoned veo" in message and "$1.00" in message
    result = _run(file, cloud)
    assert result.status == "done", result.failures
    assert "a generate: made by local-camera, not veo" in result.message  # said, not silent
    assert cloud.submissions == []  # never sent to veo again
    journal = Journal(workspace_for(file).journal)
    row = journal.job(key)
    journal.close()
    assert row is not None and row.state == JobStateName.SUCCEEDED and row.model != "veo"
    assert row.actual_usd == pytest.approx(1.0)


def test_abandon_names_the_stuck_jobs_when_nothing_matches(
    lost: tuple[Path, FakeProvider, RunResult],
) -> None:
    file, _, _ = lost
    with pytest.raises(EngineError, match=r"stuck jobs: .* \(a generate, unknown\)"):
        abandon(file, "zzzzzzzz")


def test_resubmit_unknown_sends_it_once_more(lost: tuple[Path, FakeProvider, RunResult]) -> None:
    file, cloud, _ = lost
    result = _run(file, cloud, resubmit_unknown=True)
    assert result.status == "done", result.failures
    assert len(cloud.submissions) == 1


def test_the_abandon_command_says_what_it_did(lost: tuple[Path, FakeProvider, RunResult]) -> None:
    from typer.testing import CliRunner

    from shotrelay.cli import app

    file, _, _ = lost
    nothing = CliRunner().invoke(app, ["abandon", str(file), "nope"])
    assert nothing.exit_code != 0 and "no stuck job matches 'nope'" in nothing.output
    done = CliRunner().invoke(app, ["abandon", str(file), "a"])
    assert done.exit_code == 0 and "abandoned veo for a generate" in done.output


def test_status_lists_the_unknown_job_with_its_advice(
    lost: tuple[Path, FakeProvider, RunResult],
) -> None:
    from typer.testing import CliRunner

    from shotrelay.cli import app
    from shotrelay.relay.actions import status

    file, _, _ = lost
    report = status(file)
    assert [r.state for r in report.stuck] == [JobStateName.UNKNOWN]
    shown = CliRunner().invoke(app, ["status", str(file)], env={"COLUMNS": "400"})
    assert shown.exit_code == 0 and "needs you" in shown.output
    assert "--resubmit-unknown" in shown.output and "shotrelay abandon" in shown.output
