"""The report's summary header, the badges on storyboard cards, the Gantt legend and what keys
would buy: the parts a person reads first."""

from __future__ import annotations

import os
import re
from datetime import datetime
from html import escape
from pathlib import Path

from shotrelay.report.data import JobSpan, ReportData
from shotrelay.report.gantt import STAGE_COLOURS
from shotrelay.report.keys import KeyOffer
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage, Transition

__all__ = [
    "card_badges",
    "gantt_legend",
    "keys_section",
    "shot_starts",
    "summary_header",
]


def e(value: object) -> str:
    """Text made safe for HTML content and attributes."""
    return escape(str(value), quote=True)


_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _local(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def _status(data: ReportData) -> str:
    if not data.runs:
        return "plan only: nothing has run"
    last = data.runs[-1]
    words = {
        "done": "done",
        "awaiting_approval": "waiting at the structure gate",
        "incomplete": "incomplete",
        "interrupted": "interrupted",
    }
    return words.get(last.status or "", last.status or "running")


def _models_used(data: ReportData) -> list[str]:
    """Models that made something (after a run), else the models the plan names."""
    made = sorted({j.model for j in data.jobs if j.artifact and j.stage != "cut"})
    if made:
        return made
    plan = data.plan
    return sorted({st.model for s in plan.shots for st in s.stages}) if plan else []


def _cut_link(data: ReportData, report: Path | None) -> str:
    ws = data.workspace
    found = [
        (label, path)
        for label, path in (
            ("final cut", ws.final),
            ("partial cut", ws.partial),
            ("animatic", ws.animatic),
        )
        if path.is_file()
    ]
    if not found:
        return '<span class="muted">no cut yet</span>'
    label, path = found[0]
    href = os.path.relpath(path, report.parent) if report else path.as_posix()
    return f'<a href="{e(Path(href).as_posix())}" id="cut-link">{e(label)}</a>'


def swatches(project: Project) -> str:
    """The style's palette as colour swatches (only well-formed hex colours are painted)."""
    chips = []
    for colour in project.style.palette:
        paint = f' style="background:{colour}"' if _HEX.match(colour) else ""
        chips.append(
            f'<span class="chip"><span class="swatch"{paint} title="{e(colour)}"></span>'
            f"{e(colour)}</span>"
        )
    return f'<span class="palette">{" ".join(chips)}</span>' if chips else ""


def summary_header(data: ReportData, report: Path | None = None) -> str:
    """Status, cost, models used, date and a link to the cut, with the palette."""
    plan_cost = data.plan.total_cost_usd if data.plan else None
    cost = f"${data.actual_usd:,.2f} spent"
    if plan_cost is not None:
        cost += f" of ${plan_cost:,.2f} planned"
    models = _models_used(data)
    when = _local(data.runs[-1].started_at) if data.runs else "never run"
    rows = [
        ("Status", e(_status(data))),
        ("Cost", e(cost)),
        ("Models", e(", ".join(models) or "-")),
        ("Last run", e(when)),
        ("Cut", _cut_link(data, report)),
    ]
    palette = swatches(data.project)
    if palette:
        rows.append(("Palette", palette))
    cells = "".join(f'<div class="fact"><dt>{k}</dt><dd>{v}</dd></div>' for k, v in rows)
    return f'<dl class="summary" id="summary">{cells}</dl>'


def shot_starts(project: Project) -> dict[str, float]:
    """Where each shot starts in the cut, in seconds (a transition overlaps the shot before)."""
    starts: dict[str, float] = {}
    at = 0.0
    for shot in project.shots:
        starts[shot.id] = at
        at += shot.duration
    return starts


def _timecode(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:05.2f}"


def card_badges(data: ReportData, shot: Shot, start: float) -> str:
    """Model, timecode and transition of one shot, as badges."""
    model = next(
        (r["model"] for r in data.stages(shot.id) if r["stage"] == "generate" and r.get("chosen")),
        None,
    )
    route = next((s for s in data.plan.shots if s.id == shot.id), None) if data.plan else None
    routed = route.stage(Stage.GENERATE) if route else None
    planned = routed.model if routed else None
    badges = [
        ("model", model or planned or "-"),
        ("time", f"{_timecode(start)} to {_timecode(start + shot.duration)}"),
    ]
    if shot.transition is not Transition.CUT:
        badges.append(("transition", f"{shot.transition.value} {shot.transition_seconds:g} s"))
    else:
        badges.append(("transition", "cut"))
    if shot.continues_previous:
        badges.append(("continues", "from the previous shot's last frame"))
    return (
        '<p class="badges">'
        + "".join(
            f'<span class="badge {e(kind)}" title="{e(kind)}">{e(text)}</span>'
            for kind, text in badges
        )
        + "</p>"
    )


def gantt_legend(spans: list[JobSpan]) -> str:
    """A key to the Gantt chart's colours: the stages it shows, and a failed job's outline."""
    if not spans:
        return ""
    stages = [s for s in STAGE_COLOURS if any(sp.stage == s for sp in spans)]
    items = "".join(
        f'<li><span class="swatch" style="background:{STAGE_COLOURS[s]}"></span>{e(s)}</li>'
        for s in stages
    )
    failed = '<li><span class="swatch failed"></span>failed (red outline)</li>'
    return f'<ul class="legend" id="gantt-legend">{items}{failed}</ul>'


def keys_section(offer: KeyOffer | None) -> str:
    """Beside the plan that runs, what keys would buy (the same comparison `route` prints)."""
    if offer is None:
        return ""
    rows = "".join(
        f"<tr><td>{e(c.shot_id)}</td><td>{e(c.stage)}</td><td>{e(c.now)}</td>"
        f"<td>{e(c.keyed)} <small>{e(c.keyed_provider)}</small></td>"
        f"<td>${c.keyed_usd:,.2f}</td></tr>"
        for c in offer.changes
    )
    table = (
        '<div class="scroll"><table class="keys"><tr><th>Shot</th><th>Stage</th><th>Now</th>'
        f"<th>With keys</th><th>Est. cost</th></tr>{rows}</table></div>"
        if rows
        else ""
    )
    return (
        '<section id="keys"><h2>What keys would buy</h2>'
        f"<p>{e(offer.sentence())}</p>{table}</section>"
    )
