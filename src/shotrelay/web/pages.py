"""The studio's pages as HTML: the board, the structure gate, a shot, the cut, the studio."""

from __future__ import annotations

from shotrelay.spec.models import Shot
from shotrelay.web.layout import badge, e, media_url, money, when
from shotrelay.web.views import BoardView, Card, StageView, Take

__all__ = ["board_live", "board_page", "cut_page", "gate_page", "home_page", "shot_page"]

_STAGES = ["keyframe", "generate", "edit", "tts", "lipsync", "upscale", "interpolate"]


def _meter(view: BoardView) -> str:
    cap = view.budget_usd or max(view.planned_usd, view.reserved_usd, view.spent_usd, 0.01)

    def pct(value: float) -> float:
        return round(min(100.0, 100.0 * value / cap), 1) if cap else 0.0

    budget = money(view.budget_usd) if view.budget_usd is not None else "no cap"
    deadline = when(view.deadline) if view.deadline else "none set"
    return (
        '<section class="meter" aria-label="budget">'
        f'<div class="figures"><div><small>planned</small><b>{money(view.planned_usd)}</b></div>'
        f"<div><small>reserved</small><b>{money(view.reserved_usd)}</b></div>"
        f'<div><small>spent</small><b class="spent">{money(view.spent_usd)}</b></div>'
        f"<div><small>budget</small><b>{budget}</b></div>"
        f"<div><small>deadline</small><b>{e(deadline)}</b></div></div>"
        f'<div class="bar" title="planned, reserved and spent against the budget">'
        f'<i class="planned" style="width:{pct(view.planned_usd)}%"></i>'
        f'<i class="reserved" style="width:{pct(view.reserved_usd)}%"></i>'
        f'<i class="spent" style="width:{pct(view.spent_usd)}%"></i></div></section>'
    )


def _activity(view: BoardView) -> str:
    act = view.activity
    if act.running:
        notes = "".join(f"<li>{e(n)}</li>" for n in act.notes[-3:])
        return (
            f'<section class="activity busy" data-running="1"><b>Running: {e(act.running)}</b> '
            f"<small>since {when(act.started)}</small><ul>{notes}</ul></section>"
        )
    last = view.runs[-1] if view.runs else None
    if last is not None and last.finished_at is None:
        return (
            '<section class="activity busy" data-running="1"><b>A run is in progress</b> '
            f"<small>({e(last.kind)}, started {when(last.started_at)}, outside this page)"
            "</small></section>"
        )
    if act.last:
        cls = "activity bad" if act.failed else "activity"
        return f'<section class="{cls}" data-running="0"><pre>{e(act.last)}</pre></section>'
    if last is not None:
        return (
            f'<section class="activity" data-running="0">Last run {e(last.status)}, '
            f"{when(last.finished_at)}</section>"
        )
    return '<section class="activity" data-running="0">Not run yet.</section>'


def _card(slug: str, card: Card) -> str:
    shot = card.shot
    frame = (
        f'<img src="{media_url(slug, card.frame)}" alt="keyframe of {e(shot.id)}" loading="lazy">'
        if card.frame
        else f'<video muted preload="metadata" src="{media_url(slug, card.clip)}#t=0.1"></video>'
        if card.clip
        else '<div class="noframe">no frame yet</div>'
    )
    score = f"{card.score:.2f}" if card.score is not None else "—"
    pick = f" · take {card.picked} picked" if card.picked else ""
    return (
        f'<a class="card" href="/p/{e(slug)}/shot/{e(shot.id)}" data-shot="{e(shot.id)}" '
        f'data-state="{e(card.state)}">'
        f'<div class="frame">{frame}{badge(card.state, card.state)}</div>'
        f'<div class="body"><h3>{e(shot.id)} <small>{shot.duration:g} s · '
        f"{e(shot.framing.value)}</small></h3>"
        f"<p>{e(shot.subject or shot.action)}</p>"
        f'<div class="facts">{badge(shot.role.value, "role")}<span>{e(card.model)}</span></div>'
        f"<dl><div><dt>spent</dt><dd>{money(card.spent_usd)}</dd></div>"
        f"<div><dt>plan</dt><dd>{money(card.planned_usd)}</dd></div>"
        f"<div><dt>judged</dt><dd>{score}</dd></div>"
        f"<div><dt>takes</dt><dd>{card.takes}</dd></div></dl>"
        f'<p class="pickline">{e(pick.strip(" ·"))}</p></div></a>'
    )


def board_live(view: BoardView) -> str:
    """The parts of the board that change while jobs move (sent again over SSE)."""
    cards = "".join(_card(view.slug, c) for c in view.cards)
    return f'{_meter(view)}{_activity(view)}<div class="cards">{cards}</div>'


def _run_form(slug: str) -> str:
    return (
        f'<form class="run" data-action="/p/{e(slug)}/run">'
        '<label>Takes <select name="takes"><option>1</option><option selected>2</option>'
        "<option>3</option></select></label>"
        '<label><input type="checkbox" name="auto_approve"> approve the gate</label>'
        '<button type="submit">Run</button></form>'
    )


def _player(slug: str, artifact: str | None, missing: str, element_id: str = "") -> str:
    """A video of a stored artifact, or a placeholder saying what would make it."""
    if artifact is None:
        return f'<div class="noframe">{e(missing)}</div>'
    ident = f' id="{element_id}"' if element_id else ""
    return f'<video{ident} controls preload="metadata" src="{media_url(slug, artifact)}"></video>'


def board_page(view: BoardView) -> str:
    """A project's storyboard: cards, money, deadline, activity; live over SSE."""
    return (
        f'<div class="head"><div><h1>{e(view.name)}</h1><p class="brief">{e(view.brief)}</p>'
        f"</div>{_run_form(view.slug)}</div>"
        f'<div data-live="board">{board_live(view)}</div>'
    )


def gate_page(view: BoardView) -> str:
    """The structure gate: the animatic, what paid generation costs and sends, approve."""
    anim = view.animatic
    video = _player(
        view.slug,
        anim.artifact if anim else None,
        "No animatic yet: run the project to draw it.",
    )
    status = (
        badge("structure approved", "done")
        if view.approved
        else badge("waiting for approval", "waiting")
    )
    paid = (
        f"<p>{view.paid_stages} paid stages, estimated <b>{money(view.planned_usd)}</b> "
        f"<small>({e(view.plan_source)})</small></p>"
        if view.paid_stages
        else "<p>Only local models in the plan: nothing is paid, and the gate is informational.</p>"
    )
    sent = (
        "<ul class='uploads'>" + "".join(f"<li>{e(u)}</li>" for u in view.uploads) + "</ul>"
        if view.uploads
        else "<p>No local file goes to a paid provider.</p>"
    )
    note = f'<pre class="note">{e(view.gate_note)}</pre>' if view.gate_note else ""
    error = f'<p class="bad">{e(view.plan_error)}</p>' if view.plan_error else ""
    button = (
        ""
        if view.approved
        else f'<button data-action="/p/{e(view.slug)}/approve" data-reload="1">'
        "Approve the structure</button>"
    )
    return (
        f'<div class="head"><h1>{e(view.name)}: the structure gate</h1>{status}</div>'
        f'<div class="split"><div class="player">{video}</div><section class="panel">'
        f"<h2>What paid generation costs</h2>{paid}{error}<h2>Local files sent</h2>{sent}"
        f"{note}{button}</section></div>"
    )


def _take(slug: str, shot: Shot, take: Take) -> str:
    clip = (
        f'<video controls muted preload="metadata" src="{media_url(slug, take.clip)}"></video>'
        if take.clip
        else f'<div class="noframe">{e(take.state)}</div>'
    )
    marks = (badge("in the cut", "done") if take.chosen else "") + (
        badge("picked", "picked") if take.picked else ""
    )
    score = f"{take.score:.2f}" if take.score is not None else "not judged"
    failed = "".join(f"<li>{e(f)}</li>" for f in take.failed) or "<li>every check passed</li>"
    why = f'<p class="why">Judge: {e(take.why)}</p>' if take.why else ""
    if take.rating is not None:
        said = f": “{e(take.rating.note)}”" if take.rating.note else ""
        why += f'<p class="rated">You rated it {"★" * take.rating.stars}{said}</p>'
    error = f'<p class="bad">{e(take.error)}</p>' if take.error else ""
    base = f"/p/{e(slug)}/shot/{e(shot.id)}"
    label = "Picked for the cut" if take.picked else f"Pick take {take.take}"
    stars = "".join(
        f'<button type="submit" name="stars" value="{n}" title="rate {n} of 5">{n} ★</button>'
        for n in range(1, 6)
    )
    return (
        f'<article class="take" data-take="{take.take}"><header><h3>Take {take.take}</h3>'
        f"{marks}</header>{clip}"
        f'<p><b>{score}</b> <small>{e(take.model)}</small></p>{why}<ul class="checks">{failed}'
        f"</ul>{error}"
        f'<form class="rate" data-action="{base}/rate" data-reload="1">'
        f'<input type="hidden" name="take" value="{take.take}">'
        f'<input name="note" placeholder="note (optional)" aria-label="note">'
        f'<div class="stars"><span>Rate</span>{stars}</div></form>'
        f'<button class="pick" data-action="{base}/pick" data-body=\'{{"take": {take.take}}}\' '
        f'data-reload="1"{" disabled" if take.picked else ""}>'
        f"{label}</button>"
        "</article>"
    )


def _stage(stage: StageView) -> str:
    reasons = "".join(f"<li>{e(r)}</li>" for r in stage.reasons)
    runner = f"<p><small>runner-up: {e(stage.runner_up)}</small></p>" if stage.runner_up else ""
    falls = (
        f"<p><small>fallbacks: {e(', '.join(stage.fallbacks))}</small></p>"
        if stage.fallbacks
        else ""
    )
    neg = f"<p><small>avoid: {e(stage.negative)}</small></p>" if stage.negative else ""
    prompt = f"<pre>{e(stage.prompt)}</pre>{neg}" if stage.prompt else "<p>not sent yet</p>"
    return (
        f'<details class="stage"><summary><b>{e(stage.stage)}</b> {e(stage.model)} '
        f"{badge(stage.state, stage.state)} <small>{money(stage.cost_usd)}</small></summary>"
        f'<div class="cols"><div><h4>Why this model</h4><ul>{reasons}</ul>{runner}{falls}</div>'
        f"<div><h4>The prompt it got</h4>{prompt}</div></div></details>"
    )


def shot_page(slug: str, shot: Shot, takes: list[Take], stages: list[StageView]) -> str:
    """One shot: its takes side by side to rate and pick, redo a stage, prompts and routes."""
    grid = "".join(_take(slug, shot, t) for t in takes) or "<p>No takes yet: run the project.</p>"
    options = (
        "".join(f"<option>{s.stage}</option>" for s in stages if s.stage in _STAGES)
        or "<option>generate</option>"
    )
    redo = (
        f'<form class="redo" data-action="/p/{e(slug)}/shot/{e(shot.id)}/redo" '
        f'data-confirm="Make this stage again and run?"><label>Redo stage <select name="stage">'
        f'{options}</select></label><button type="submit">Redo</button></form>'
    )
    lines = "".join(f"<li>“{e(d.line)}” <small>{e(d.speaker)}</small></li>" for d in shot.dialogue)
    return (
        f'<p class="crumb"><a href="/p/{e(slug)}">← board</a></p>'
        f'<div class="head"><div><h1>{e(shot.id)} <small>{e(shot.role.value)} · '
        f"{shot.duration:g} s · {e(shot.framing.value)} · {e(shot.camera.value)}</small></h1>"
        f'<p class="brief">{e(shot.subject)}{": " + e(shot.action) if shot.action else ""}</p>'
        f'<ul class="lines">{lines}</ul></div>{redo}</div>'
        f'<section class="takes">{grid}</section>'
        f'<h2>Stages</h2><div class="stages">{"".join(_stage(s) for s in stages)}</div>'
    )


def cut_page(view: BoardView) -> str:
    """The final cut and every version, playable; downloads of exports and the report."""
    final = view.final
    player = _player(
        view.slug, final.artifact if final else None, "No cut yet: run the project.", "player"
    )
    rows = "".join(
        f'<li><button class="ghost" data-play="{media_url(view.slug, v.artifact)}">▶ '
        f"{e(v.kind)} · {when(v.made_at)}</button> <small>{len(v.shots)} shots · "
        f'{e(v.artifact[:12])}</small> <a href="{media_url(view.slug, v.artifact)}?download=1">'
        "download</a></li>"
        for v in reversed(view.versions)
    )
    used = "".join(
        f'<li data-shot="{e(shot)}"><a href="/p/{e(view.slug)}/shot/{e(shot)}">{e(shot)}</a>: '
        f"take {take}</li>"
        for shot, take in view.cut_takes.items()
    )
    base = f"/p/{e(view.slug)}/download"
    downloads = "".join(
        f'<a class="button ghost" href="{base}/{key}" download>{label}</a>'
        for key, label in [
            ("report", "Report (HTML)"),
            ("otio", "OpenTimelineIO"),
            ("fcpxml", "FCP XML"),
            ("edl", "CMX 3600 EDL"),
        ]
    )
    return (
        f'<div class="head"><h1>{e(view.name)}: the cut</h1></div>'
        f'<div class="split"><div class="player">{player}</div><section class="panel">'
        f'<h2>Downloads</h2><div class="downloads">{downloads}</div>'
        f'<h2>Versions</h2><ol class="versions">{rows or "<li>none yet</li>"}</ol>'
        f'<h2>Takes in the last cut</h2><ul class="intake">{used or "<li>none yet</li>"}</ul>'
        "</section></div>"
    )


def home_page(views: list[BoardView]) -> str:
    """Every served project in one look: money, state counts, the latest cut."""
    rows = []
    for v in views:
        counts: dict[str, int] = {}
        for c in v.cards:
            counts[c.state] = counts.get(c.state, 0) + 1
        states = " ".join(badge(f"{n} {s}", s) for s, n in sorted(counts.items()))
        rows.append(
            f'<a class="card project" href="/p/{e(v.slug)}"><div class="body"><h3>{e(v.name)}'
            f'</h3><p>{e(v.brief)}</p><div class="facts">{states}</div>'
            f"<dl><div><dt>spent</dt><dd>{money(v.spent_usd)}</dd></div>"
            f"<div><dt>planned</dt><dd>{money(v.planned_usd)}</dd></div>"
            f"<div><dt>deadline</dt><dd>{when(v.deadline) if v.deadline else '—'}</dd></div>"
            "</dl></div></a>"
        )
    return f'<h1>Projects</h1><div class="cards projects">{"".join(rows)}</div>'
