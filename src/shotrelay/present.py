"""Rich presentation of the library's data for the command line (no logic lives here)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from shotrelay.catalog.listing import ModelRow
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.models import Project

__all__ = ["models_table", "route_report", "shots_table"]


def shots_table(project: Project) -> Table:
    """One row per shot: timing, role, framing, camera, what we see."""
    table = Table(title=f"{project.name}: {len(project.shots)} shots, {project.length:g} s")
    for col in ("id", "s", "role", "framing", "camera", "subject / action", "in"):
        table.add_column(col, overflow="fold")
    for s in project.shots:
        what = " - ".join(x for x in (s.subject, s.action) if x)
        if s.dialogue:
            what += f' ("{s.dialogue[0].line}")'
        table.add_row(
            s.id,
            f"{s.duration:g}",
            s.role.value,
            s.framing.value,
            s.camera.value,
            what,
            s.transition.value + (" +handoff" if s.continues_previous else ""),
        )
    return table


def route_report(console: Console, plan: RoutePlan) -> None:
    """Print the route: per shot a table of stages with model, cost, time and reasons."""
    for shot in plan.shots:
        table = Table(
            title=f"{shot.id} ({shot.role.value}): ${shot.cost_usd:.2f}, ~{shot.seconds:.0f} s",
            title_justify="left",
            show_lines=False,
            expand=True,
        )
        table.add_column("stage", no_wrap=True)
        table.add_column("model", no_wrap=True)
        table.add_column("cost", justify="right", no_wrap=True)
        table.add_column("time", justify="right", no_wrap=True)
        table.add_column("why", ratio=1, overflow="fold")
        for st in shot.stages:
            why = Text()
            for reason in st.reasons:
                why.append(f"- {reason}\n")
            why.append(f"pricing: {st.cost.label}", style="dim")
            if st.fallbacks:
                why.append(f"\nfallbacks: {', '.join(st.fallbacks)}", style="dim")
            table.add_row(
                st.stage.value,
                f"{st.model}\n[dim]{st.provider}[/]",
                f"${st.cost.usd:.2f}",
                f"{st.seconds:.0f} s",
                why,
            )
        console.print(table)
    lines = [
        Text(
            f"total: ${plan.total_cost_usd:.2f} estimated, ~{plan.total_seconds:.0f} s of model"
            f" time, policy {plan.policy}",
            style="bold",
        )
    ]
    if plan.budget_usd is not None:
        lines.append(Text(f"budget: ${plan.budget_usd:.2f}"))
    for trade in plan.trades:
        lines.append(Text(f"traded: {trade}", style="yellow"))
    for note in plan.notes:
        lines.append(Text(f"note: {note}", style="dim"))
    console.print(Group(*lines))


#: Task names as a narrow table says them.
_SHORT_TASKS = {
    "text_to_image": "t2i",
    "image_to_video": "i2v",
    "text_to_video": "t2v",
    "video_to_video": "v2v",
    "interpolate": "interp",
}


def models_table(rows: Sequence[BaseModel], width: int = 200) -> Table:
    """A table of catalog rows, one column per field of the row model; under 120 columns,
    catalog rows as model, tasks, price and latency only (``--json`` has every field)."""
    if rows and width < 120 and isinstance(rows[0], ModelRow):
        return _narrow_models([r for r in rows if isinstance(r, ModelRow)])
    table = Table(title=f"{len(rows)} models")
    if not rows:
        return table
    fields = list(type(rows[0]).model_fields)
    for name in fields:
        table.add_column(name.replace("_", " "), overflow="fold", no_wrap=name == "id")
    for row in rows:
        values = row.model_dump(mode="json")
        table.add_row(*(_cell(values[name]) for name in fields))
    return table


def _narrow_models(rows: Sequence[ModelRow]) -> Table:
    table = Table(
        title=f"{len(rows)} models (t2v text to video, i2v image to video, t2i text to image)",
        caption="wider terminal or --json: durations, resolutions, strengths",
    )
    table.add_column("model / provider", no_wrap=True)
    table.add_column("tasks", overflow="fold", min_width=6)
    table.add_column("price", overflow="fold", ratio=1)
    table.add_column("latency", overflow="fold", min_width=9)
    for row in rows:
        name = Text(row.id)
        name.append(f"\n{row.provider}", style="dim")
        if row.status != "available":
            name.append(f" ({row.status})", style="yellow")
        tasks = " ".join(_SHORT_TASKS.get(str(t), str(t)) for t in row.tasks)
        table.add_row(name, tasks, row.price, row.latency)
    return table


def _cell(value: object) -> str:
    if isinstance(value, list):
        items = [str(v) for v in value]
        # phrases (score sources) one per line; single words (tasks, strengths) on one line
        return ("\n" if any(" " in i for i in items) else ", ").join(items)
    return "" if value is None else str(value)
