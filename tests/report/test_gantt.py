"""The schedule chart: one bar per job, placed and sized by its journal timestamps."""

from __future__ import annotations

import re

from shotrelay.report.data import JobSpan
from shotrelay.report.gantt import STAGE_COLOURS, gantt_svg


def span(label: str, stage: str, start: float, end: float, state: str = "succeeded") -> JobSpan:
    return JobSpan(key=label, label=label, stage=stage, state=state, start=start, end=end)


def bars(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(w), fill)
        for x, w, fill in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="([^"]+)"', svg
        )
    ]


def test_bars_follow_the_timestamps() -> None:
    svg = gantt_svg(
        [
            span("a/keyframe", "keyframe", 100.0, 102.0),
            span("a/generate t1", "generate", 102.0, 110.0),
            span("final cut", "cut", 110.0, 111.0),
        ]
    )
    (x1, w1, c1), (x2, w2, c2), (x3, _w3, _) = bars(svg)
    assert x1 < x2 < x3
    assert abs(w2 / w1 - 4.0) < 0.05  # 8 s against 2 s
    assert abs((x1 + w1) - x2) < 0.2  # generate starts where the keyframe ended
    assert (c1, c2) == (STAGE_COLOURS["keyframe"], STAGE_COLOURS["generate"])
    assert "a/generate t1: succeeded, 8.00 s" in svg


def test_failed_jobs_are_outlined_and_labels_escaped() -> None:
    svg = gantt_svg([span("<b>x</b>", "generate", 0.0, 1.0, state="failed")])
    assert 'stroke="#c00"' in svg
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg


def test_no_jobs_gives_a_note_not_a_chart() -> None:
    out = gantt_svg([])
    assert "<svg" not in out and "No job has run yet" in out
