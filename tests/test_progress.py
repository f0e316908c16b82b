"""The run's progress view: bars per stage on a terminal, one plain line per event otherwise."""

from __future__ import annotations

import io

from rich.console import Console

from shotrelay.engine.events import EngineEvent
from shotrelay.progress import RunView


def _events() -> list[EngineEvent]:
    ev = EngineEvent
    return [
        ev(kind="phase", message="relay"),
        ev(kind="queued", shot_id="a", stage="generate", job="a/generate/t1"),
        ev(kind="queued", shot_id="b", stage="generate", job="b/generate/t1"),
        ev(kind="state", shot_id="a", stage="generate", job="k1", state="submitting"),
        ev(kind="progress", shot_id="a", stage="generate", job="k1", state="running"),
        ev(kind="retry", shot_id="a", stage="generate", job="k1", message="429; again in 2.0 s"),
        ev(kind="state", shot_id="a", stage="generate", job="k1", state="succeeded"),
        ev(kind="cached", shot_id="b", stage="generate", job="k2", state="succeeded"),
    ]


def test_terminal_shows_a_bar_per_stage_and_the_lines_a_person_should_read() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100, color_system=None)
    with RunView(console) as view:
        for e in _events():
            view(e)
    text = buf.getvalue()
    assert "relay generate" in text and "2/2" in text
    assert "429; again in 2.0 s" in text
    assert "submitting" not in text


def test_plain_output_has_one_line_per_job_that_ran_and_sums_the_cached() -> None:
    plain = io.StringIO()
    console = Console(file=io.StringIO(), force_terminal=False)
    with RunView(console, plain) as view:
        for e in _events():
            view(e)
    lines = plain.getvalue().splitlines()
    assert lines == [
        "relay:",
        "a generate retry 429; again in 2.0 s",
        "a generate succeeded",
        "relay: 2 jobs: 1 ran, 1 cached",
    ]


def test_a_no_op_rerun_is_one_sum_per_phase_with_no_line_per_job() -> None:
    ev = EngineEvent
    plain = io.StringIO()
    with RunView(Console(file=io.StringIO()), plain) as view:
        for phase in ("animatic", "relay"):
            view(ev(kind="phase", message=phase))
            for shot in ("a", "b", "c"):
                view(ev(kind="queued", shot_id=shot, stage="generate"))
                view(ev(kind="cached", shot_id=shot, stage="generate", state="succeeded"))
                view(ev(kind="take", shot_id=shot, stage="generate", message="take 1 chosen"))
    assert plain.getvalue().splitlines() == [
        "animatic: 3 jobs: 0 ran, 3 cached",
        "relay: 3 jobs: 0 ran, 3 cached",
    ]
    assert (view.total.ran, view.total.cached, view.total.jobs) == (0, 6, 6)


def test_failed_and_skipped_jobs_are_counted_apart() -> None:
    ev = EngineEvent
    with RunView(Console(file=io.StringIO()), io.StringIO()) as view:
        view(ev(kind="phase", message="relay"))
        view(ev(kind="state", shot_id="a", stage="generate", state="failed"))
        view(ev(kind="skip", shot_id="b", stage="generate", message="a failed"))
        view(ev(kind="state", shot_id="c", stage="generate", state="succeeded"))
    assert view.total.sentence() == "3 jobs: 1 ran, 0 cached, 1 failed, 1 skipped"


def test_the_cut_has_a_bar_of_its_own_driven_by_its_steps() -> None:
    ev = EngineEvent
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100, color_system=None)
    with RunView(console) as view:
        view(ev(kind="phase", message="relay"))
        view(ev(kind="state", stage="cut", job="k", state="submitted", message="cutting"))
        assert view.progress is not None
        task = view.progress.tasks[view.tasks["cut"]]
        assert task.description == "relay cut" and task.total is None
        view(ev(kind="progress", stage="cut", state="shot 1 of 3", progress=1 / 7, message="1/7"))
        assert (task.total, task.completed) == (100, 14)
        view(ev(kind="progress", stage="cut", state="join", progress=5 / 7, message="5/7"))
        assert task.completed == 71
        view(ev(kind="state", stage="cut", job="k", state="succeeded", progress=1.0))
        assert task.completed == 100
    assert "relay cut" in buf.getvalue()


def test_hidden_view_starts_no_display() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True)
    with RunView(console, show=False) as view:
        assert view.progress is None
    assert buf.getvalue() == ""
