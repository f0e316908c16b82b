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


def test_plain_output_has_one_line_per_finished_job_and_per_note() -> None:
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
        "b generate succeeded",
    ]


def test_hidden_view_starts_no_display() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True)
    with RunView(console, show=False) as view:
        assert view.progress is None
    assert buf.getvalue() == ""
