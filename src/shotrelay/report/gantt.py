"""The schedule as a Gantt chart: one bar per job, from submission to its end, in inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from shotrelay.report.data import JobSpan

__all__ = ["STAGE_COLOURS", "gantt_svg"]

STAGE_COLOURS = {
    "keyframe": "#3d5a80",
    "generate": "#f2a541",
    "edit": "#9c6644",
    "tts": "#6a994e",
    "lipsync": "#bc4749",
    "upscale": "#5e548e",
    "interpolate": "#8d99ae",
    "handoff": "#adb5bd",
    "cut": "#1b2a4a",
}
_ROW = 18
_LABEL = 170
_WIDTH = 900


def _tick_step(total: float) -> float:
    for step in (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600):
        if total / step <= 10:
            return step
    return 7200.0


def gantt_svg(spans: Sequence[JobSpan]) -> str:
    """An SVG of ``spans`` on a shared time axis (seconds from the first submission)."""
    if not spans:
        return '<p class="muted">No job has run yet: the schedule appears after a run.</p>'
    t0 = min(s.start for s in spans)
    total = max(max(s.end for s in spans) - t0, 1e-3)
    plot = _WIDTH - _LABEL - 10
    height = _ROW * len(spans) + 30

    def x(t: float) -> float:
        return _LABEL + (t - t0) / total * plot

    parts = [
        f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" '
        f'height="{height}" viewBox="0 0 {_WIDTH} {height}" role="img" '
        'aria-label="Schedule of jobs">'
    ]
    step = _tick_step(total)
    tick = 0.0
    while tick <= total + 1e-9:
        tx = x(t0 + tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="0" x2="{tx:.1f}" y2="{height - 18}" class="grid"/>'
            f'<text x="{tx:.1f}" y="{height - 4}" class="tick">{tick:g}s</text>'
        )
        tick += step
    for i, span in enumerate(spans):
        y = i * _ROW + 2
        colour = STAGE_COLOURS.get(span.stage, "#777")
        width = max(x(span.end) - x(span.start), 2.0)
        failed = ' stroke="#c00" stroke-width="2"' if span.state == "failed" else ""
        tip = escape(f"{span.label}: {span.state}, {span.end - span.start:.2f} s")
        parts.append(
            f'<text x="4" y="{y + 12}" class="label">{escape(span.label)}</text>'
            f'<rect x="{x(span.start):.1f}" y="{y}" width="{width:.1f}" height="{_ROW - 4}" '
            f'fill="{colour}"{failed}><title>{tip}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)
