"""How the terminal shows what the face returns: what keys would buy, the gate's outcome, the
status tables. No logic of the relay lives here, only words and tables."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shotrelay.api import KeyOffer, RunResult, StatusReport

__all__ = [
    "GATE_EXIT",
    "gate_outcome",
    "print_key_offer",
    "print_status",
    "short",
    "spent_line",
]

#: `shotrelay run` exits with this code when it stops at the structure gate for approval.
GATE_EXIT = 3


def short(key: str) -> str:
    """A job key as people read it: its first 10 characters."""
    return key[:10]


def print_key_offer(console: Console, offer: KeyOffer) -> None:
    """Under the plan that runs: what the other providers would do, were their keys set."""
    console.print(offer.sentence(), highlight=False, soft_wrap=True)
    if offer.error or not offer.changes:
        return
    table = Table(title="what keys would buy", title_justify="left")
    table.add_column("shot", no_wrap=True)
    table.add_column("stage", no_wrap=True)
    table.add_column("now", overflow="fold")
    table.add_column("with keys", overflow="fold")
    table.add_column("cost", justify="right", no_wrap=True)
    for c in offer.changes:
        table.add_row(
            c.shot_id,
            c.stage,
            f"{c.now} ${c.now_usd:.2f}",
            f"{c.keyed} ({c.keyed_provider})",
            f"${c.keyed_usd:.2f}",
        )
    console.print(table)


def gate_outcome(result: RunResult, project: Path | str, auto_approve: bool) -> str:
    """The structure gate's outcome in one sentence, whatever it was."""
    plan = result.plan
    paid = [
        st
        for shot in (plan.shots if plan else [])
        for st in shot.stages
        if st.cost.usd > 0 or st.provider != "local"
    ]
    cost = f"${sum(st.cost.usd for st in paid):.2f}"
    if result.status == "awaiting_approval":
        return (
            f"gate: waiting for your approval ({len(paid)} paid stages, about {cost}); "
            f"watch the animatic, then `shotrelay approve {project}` and run again "
            f"(exit code {GATE_EXIT})"
        )
    if plan is None:
        return "gate: not reached"
    if not paid:
        return "gate: local-only plan: nothing paid, passes the gate"
    how = "auto-approved (--auto-approve)" if auto_approve else "structure approved earlier"
    return f"gate: {how}; {len(paid)} paid stages, about {cost}"


def spent_line(count: str, before_usd: float, after_usd: float) -> str:
    """``26 jobs: 0 ran, 26 cached, $0.00 spent`` (this run's money, not the project's)."""
    return f"{count}, ${max(0.0, after_usd - before_usd):.2f} spent"


def _when(at: float, today: date) -> str:
    """A journal time (epoch seconds) in the local time zone: the time alone when today."""
    moment = datetime.fromtimestamp(at).astimezone()
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%Y-%m-%d %H:%M")


def print_status(console: Console, report: StatusReport) -> None:
    """The journal as tables: jobs by state, money and outputs, jobs that need a person,
    the last events (local times, short job ids)."""
    summary = Table(
        title=f"{report.project}: {report.workspace}", title_justify="left", show_header=False
    )
    summary.add_column("what", style="bold", no_wrap=True)
    summary.add_column("value", overflow="fold")
    counts = ", ".join(f"{n} {state}" for state, n in sorted(report.jobs.items()))
    summary.add_row("jobs", counts or "none yet")
    summary.add_row("cost", f"${report.reserved_usd:.2f} reserved, ${report.actual_usd:.2f} actual")
    summary.add_row("structure approved", "yes" if report.approved else "no")
    if report.picks:
        picks = ", ".join(f"{shot} take {n}" for shot, n in sorted(report.picks.items()))
        summary.add_row("picked", picks)
    for name, path in report.outputs.items():
        summary.add_row(name, str(path) if path else "-")
    console.print(summary)
    if report.stuck:
        stuck = Table(title="needs you", title_justify="left")
        for col in ("job", "shot", "stage", "model", "state", "what to do"):
            stuck.add_column(col, overflow="fold", no_wrap=col == "job")
        for row in report.stuck:
            why = (
                row.error_message or "left in flight by an earlier run; `shotrelay run` resumes it"
            )
            stuck.add_row(short(row.key), row.shot_id, row.stage, row.model, row.state.value, why)
        console.print(stuck)
    if report.events:
        today = datetime.now().astimezone().date()
        with_jobs = any(ev.job_key for ev in report.events)
        events = Table(title="last events (local time)", title_justify="left")
        events.add_column("when", no_wrap=True)
        if with_jobs:
            events.add_column("job", no_wrap=True)
        events.add_column("event", no_wrap=True)
        events.add_column("what", overflow="fold", ratio=1)
        for ev in report.events:
            where = " ".join(x for x in (ev.shot_id, ev.stage) if x and x != "*")
            what = f"{where}: {ev.message}" if where else ev.message
            job = [short(ev.job_key) if ev.job_key else ""] if with_jobs else []
            events.add_row(_when(ev.at, today), *job, ev.kind, what)
        console.print(events)
