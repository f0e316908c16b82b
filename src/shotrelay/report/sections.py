"""The report's sections as HTML fragments; every piece of text goes through ``escape``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from typing import Any

from shotrelay.edit.record import CutRecord
from shotrelay.report.data import JobSpan, ReportData
from shotrelay.report.gantt import gantt_svg
from shotrelay.report.images import data_uri
from shotrelay.report.summary import card_badges, gantt_legend, shot_starts

__all__ = [
    "budget_section",
    "continuity_section",
    "provenance_section",
    "schedule_section",
    "shots_section",
    "storyboard_section",
]


def e(value: object) -> str:
    """Text made safe for HTML content and attributes."""
    return escape(str(value), quote=True)


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _secs(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def cut_clips(data: ReportData) -> dict[str, str]:
    """Artifact hash of each shot in the latest cut (final if there is one, else animatic)."""
    for kind in ("final", "animatic"):
        cuts = [j for j in data.jobs if j.stage == "cut" and j.model == kind and j.artifact]
        if cuts:
            latest = max(cuts, key=lambda j: j.updated_at)
            return CutRecord.from_detail(latest.detail).clip_hashes()
    return {}


def budget_section(data: ReportData) -> str:
    """Budget and deadline against the plan and what was spent."""
    plan_cost = data.plan.total_cost_usd if data.plan else None
    plan_secs = data.plan.total_seconds if data.plan else None
    budget = data.project.budget_usd
    rows = [
        ("Budget cap", _usd(budget)),
        ("Plan estimate", _usd(plan_cost)),
        ("Reserved (in flight)", _usd(data.reserved_usd)),
        ("Actual spend", _usd(data.actual_usd)),
    ]
    verdict = "no budget set"
    if budget is not None:
        spent = max(data.actual_usd + data.reserved_usd, plan_cost or 0.0)
        verdict = (
            f"within budget ({_usd(budget - spent)} left)"
            if spent <= budget
            else f"over budget by {_usd(spent - budget)}"
        )
    wall = sum((r.finished_at or r.started_at) - r.started_at for r in data.runs)
    deadline = data.project.deadline
    rows += [
        ("Deadline", deadline.isoformat() if deadline else "-"),
        ("Planned model time", _secs(plan_secs)),
        ("Wall time of runs", _secs(wall) if data.runs else "not run yet"),
    ]
    when = "no deadline set"
    if deadline is not None:
        due = deadline.timestamp()
        if data.runs and all(r.finished_at for r in data.runs):
            finish = max(r.finished_at or 0.0 for r in data.runs)
            label = "finished"
        else:
            finish = data.generated_at + (plan_secs or 0.0)
            label = "projected finish"
        state = "on time" if finish <= due else "late"
        when = f"{label} {_when(finish)}: {state}"
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return (
        '<section id="budget"><h2>Budget and deadline</h2>'
        f'<table class="kv">{body}</table>'
        f'<p class="verdict">{e(verdict)}; {e(when)}</p></section>'
    )


def _made(data: ReportData, shot_id: str, stage: str) -> str | None:
    """The artifact the journal's first finished ``stage`` job of a shot made, if any."""
    return next(
        (j.artifact for j in data.jobs if j.shot_id == shot_id and j.stage == stage and j.artifact),
        None,
    )


def storyboard_section(data: ReportData) -> str:
    """A card per shot: keyframe, the take in the cut, duration and what it shows."""
    clips = cut_clips(data)
    starts = shot_starts(data.project)
    cards = []
    for shot in data.project.shots:
        stages = data.stages(shot.id)
        # A shot that continues the previous one starts from its last frame, not a keyframe.
        first, key = (
            "keyframe",
            next((s["artifact"] for s in stages if s["stage"] == "keyframe"), None),
        )
        key = key or _made(data, shot.id, "keyframe")
        if key is None and shot.continues_previous:
            first, key = "first frame (previous shot's last)", _made(data, shot.id, "handoff")
        pictures = []
        for title, digest in ((first, key), ("chosen take", clips.get(shot.id))):
            uri = data_uri(data.store_path(digest))
            if uri:
                pictures.append(
                    f'<figure><img src="{uri}" alt="{e(title)} of {e(shot.id)}">'
                    f"<figcaption>{e(title)}</figcaption></figure>"
                )
            else:
                pictures.append(
                    f'<figure class="empty"><div>{e(title)}: not made yet</div></figure>'
                )
        what = " ".join(x for x in (shot.subject, shot.action) if x)
        badges = card_badges(data, shot, starts[shot.id])
        cards.append(
            f'<article class="card" id="shot-{e(shot.id)}" data-shot="{e(shot.id)}">'
            f"<h3>{e(shot.id)} <small>{e(shot.role.value)} · {shot.duration:g} s · "
            f"{e(shot.framing.value)} · {e(shot.camera.value)}</small></h3>"
            f'{badges}<div class="pics">{"".join(pictures)}</div><p>{e(what)}</p>'
            + "".join(f'<p class="line">{e(d.speaker)}: “{e(d.line)}”</p>' for d in shot.dialogue)
            + "</article>"
        )
    grid = "".join(cards)
    return f'<section id="storyboard"><h2>Storyboard</h2><div class="grid">{grid}</div></section>'


def _span_for(data: ReportData, rec: dict[str, Any]) -> JobSpan | None:
    keys = [
        j.key
        for j in data.jobs
        if j.detail.get("node") == rec["node"]
        and (not rec["artifact"] or j.artifact == rec["artifact"])
    ]
    spans = [s for s in data.spans if s.key in keys]
    return spans[-1] if spans else None


def _stage_rows(data: ReportData, shot_id: str) -> list[str]:
    route = None
    if data.plan:
        route = next((s for s in data.plan.shots if s.id == shot_id), None)
    records = data.stages(shot_id)
    rows = []
    for st in route.stages if route else []:
        recs: list[dict[str, Any] | None] = [r for r in records if r["stage"] == st.stage.value]
        recs = recs or [None]
        for rec in recs:
            span = _span_for(data, rec) if rec else None
            model = rec["model"] if rec else st.model
            moved = f" (planned {st.model})" if rec and rec["model"] != st.model else ""
            take = f" take {rec['take']}" if rec and rec.get("take") else ""
            chosen = " ✓ chosen" if rec and rec.get("chosen") else ""
            prompt = rec["prompt"] if rec else ""
            reasons = "".join(f"<li>{e(r)}</li>" for r in st.reasons)
            state = rec["state"] if rec else "not run yet"
            rows.append(
                "<tr>"
                f"<td>{e(st.stage.value)}{e(take)}{e(chosen)}</td>"
                f"<td><b>{e(model)}</b> <small>{e(st.provider)}{e(moved)}</small></td>"
                f"<td><ul>{reasons}</ul></td>"
                f"<td>{e(st.runner_up or '-')}</td>"
                f"<td><details><summary>prompt</summary>"
                f"<pre>{e(prompt or '(compiled at run time)')}</pre></details></td>"
                f"<td>{e(_usd(st.cost.usd))}<br><small>{e(st.cost.label)}</small></td>"
                f"<td>{e(_usd(rec['actual_usd'] if rec else None))}</td>"
                f"<td>{e(_secs(st.seconds))}</td>"
                f"<td>{e(_secs(span.end - span.start if span else None))}</td>"
                f'<td class="state {e(state)}">{e(state)}</td>'
                "</tr>"
            )
    return rows


def shots_section(data: ReportData) -> str:
    """Per shot and stage: model, reasons, runner-up, prompt, cost and time, planned and actual."""
    if data.plan is None:
        return (
            '<section id="shots"><h2>Routing</h2>'
            f'<p class="error">No route plan: {e(data.plan_error)}</p></section>'
        )
    head = (
        "<tr><th>Stage</th><th>Model</th><th>Why</th><th>Runner-up</th><th>Prompt</th>"
        "<th>Est. cost</th><th>Actual</th><th>Est. time</th><th>Actual time</th>"
        "<th>State</th></tr>"
    )
    blocks = [
        f'<h3 id="route-{e(s.id)}">{e(s.id)}</h3><div class="scroll"><table class="stages">'
        f"{head}{''.join(_stage_rows(data, s.id))}</table></div>"
        for s in data.project.shots
    ]
    notes = "".join(f"<li>{e(n)}</li>" for n in [*data.plan.notes, *data.plan.trades])
    return (
        f'<section id="shots"><h2>Routing: every shot and stage (the plan that runs)</h2>'
        f"<p>Policy {e(data.plan.policy)}, {e(data.plan_source)}.</p>"
        f"{'<ul>' + notes + '</ul>' if notes else ''}{''.join(blocks)}</section>"
    )


def schedule_section(data: ReportData) -> str:
    """The Gantt chart of every job from the journal's timestamps."""
    runs = "".join(
        f"<li>run {r.id} ({e(r.kind)}): {e(_when(r.started_at))} to "
        f"{e(_when(r.finished_at))}, {e(r.status)} {e(r.note)}</li>"
        for r in data.runs
    )
    return (
        f'<section id="schedule"><h2>Schedule</h2>{gantt_legend(data.spans)}'
        f'<div class="scroll">{gantt_svg(data.spans)}</div>'
        f"{'<ul>' + runs + '</ul>' if runs else ''}</section>"
    )


def continuity_section(data: ReportData) -> str:
    """The continuity packet each shot's jobs received."""
    parts = []
    for shot_id, packet in data.packets.items():
        fields = packet.model_dump(mode="json", exclude_defaults=True)
        fields.pop("project", None)
        fields.pop("shot_id", None)
        rows = "".join(
            f"<tr><th>{e(k)}</th><td>{e(v if isinstance(v, str) else json.dumps(v))}</td></tr>"
            for k, v in fields.items()
        )
        parts.append(
            f'<details id="packet-{e(shot_id)}"><summary>{e(shot_id)}</summary>'
            f'<table class="kv">{rows}</table></details>'
        )
    return f'<section id="continuity"><h2>Continuity packets</h2>{"".join(parts)}</section>'


def provenance_section(data: ReportData) -> str:
    """Every artifact in the journal: hash, producing job, model and inputs."""
    if not data.artifacts:
        return (
            '<section id="provenance"><h2>Provenance</h2>'
            '<p class="muted">No artifact yet: nothing has run.</p></section>'
        )
    rows = []
    for a in data.artifacts:
        inputs = "".join(
            f'<li>{e(k)}: <code title="{e(v)}">{e(v[:12])}</code></li>' for k, v in a.inputs.items()
        )
        rows.append(
            f'<tr><td><code title="{e(a.hash)}">{e(a.hash[:12])}</code></td>'
            f"<td>{e(a.shot_id)}</td><td>{e(a.stage)}</td>"
            f"<td>{e(a.model)} <small>{e(a.provider)}</small></td>"
            f'<td><code title="{e(a.job)}">{e(a.job[:12])}</code></td>'
            f"<td><ul>{inputs}</ul></td><td>{e(a.media_type)}</td><td>{a.size:,}</td></tr>"
        )
    head = (
        "<tr><th>Artifact</th><th>Shot</th><th>Stage</th><th>Model</th><th>Job</th>"
        "<th>Inputs</th><th>Type</th><th>Bytes</th></tr>"
    )
    return (
        '<section id="provenance"><h2>Provenance</h2>'
        f'<div class="scroll"><table class="prov">{head}{"".join(rows)}</table></div></section>'
    )
