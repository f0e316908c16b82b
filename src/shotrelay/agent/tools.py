"""The production as MCP tools: each one call of ``shotrelay.api`` and a typed answer.

Money: ``run`` and ``redo`` never pass the structure gate by themselves (there is no
auto-approve here); a plan with paid stages stops at the gate with its estimate until the
agent calls ``approve``, as a person runs ``shotrelay approve``. Every answer that ran
anything says what it spent.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from shotrelay import api
from shotrelay.agent.answers import (
    deadline_of,
    last_estimate,
    route_answer,
    run_answer,
    status_answer,
)
from shotrelay.agent.guard import Redactor, guarded
from shotrelay.agent.models import (
    ApproveResult,
    ExportResult,
    FileResult,
    InitResult,
    MessageResult,
    ModelsResult,
    PlanResult,
    RouteResult,
    RunOutcome,
    ShotRow,
    StatusResult,
)
from shotrelay.agent.reporting import ProgressRelay
from shotrelay.agent.root import Root
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["register_tools"]

ProjectArg = Annotated[
    str,
    Field(
        description="The project: a .yaml file, a folder holding project.yaml, or a name "
        "whose .yaml exists; relative to the server's root."
    ),
]
ShotArg = Annotated[str, Field(description="A shot id of the project (see plan or status).")]
DeadlineArg = Annotated[
    str | None,
    Field(
        description="ISO date-time or a duration from now (6h, 90m, 1h30m): predict the "
        "finish and trade quality to meet it."
    ),
]

BudgetArg = Annotated[
    float | None, Field(gt=0, description="Budget cap in USD (overrides the file).")
]
PresetArg = Annotated[
    Literal["balanced", "quality", "cheap", "fast", "previs"] | None,
    Field(description="Routing preset (default: the file's policy)."),
]

_READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
#: run and redo may call paid providers (after the structure is approved).
_SPEND = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)


def register_tools(server: MCPServer, root: Root, redactor: Redactor) -> None:
    """Add every tool to ``server``; project arguments are read against ``root``."""
    guard = guarded(redactor)

    @server.tool(annotations=_WRITE)
    @guard
    def init(
        folder: Annotated[str, Field(description="Folder to create, holding project.yaml.")],
        brief: Annotated[str, Field(description="What the film is, in a sentence.")] = "",
        length: Annotated[float | None, Field(gt=0, description="Target seconds.")] = None,
        aspect: Annotated[str | None, Field(description="e.g. 16:9 or 9:16.")] = None,
    ) -> InitResult:
        """Create a project folder with a project.yaml (shotrelay init)."""
        place = root.inside(folder, field="folder")
        file = api.init_project(place, brief=brief, length=length, aspect=aspect)
        return InitResult(project_file=str(file), message=f"created {file}; next: plan")

    @server.tool(annotations=_WRITE)
    @guard
    def plan(
        project: ProjectArg,
        planner: Annotated[
            str | None,
            Field(description="rules (default) or name:model, e.g. anthropic, ollama:llama3.2."),
        ] = None,
        replan: Annotated[bool, Field(description="Replace a written shot list.")] = False,
    ) -> PlanResult:
        """Make the shot list from the brief and write it to the file (shotrelay plan)."""
        done = api.plan_file(root.project(project), planner=planner, replan=replan)
        shots = [
            ShotRow(
                id=s.id,
                duration=s.duration,
                role=s.role.value,
                framing=s.framing.value,
                camera=s.camera.value,
                subject=s.subject,
                action=s.action,
            )
            for s in done.project.shots
        ]
        return PlanResult(
            project_file=str(done.path), written=done.written, message=done.message, shots=shots
        )

    @server.tool(annotations=_READ)
    @guard
    def route(
        project: ProjectArg,
        budget_usd: BudgetArg = None,
        preset: PresetArg = None,
        deadline: DeadlineArg = None,
        available_only: Annotated[
            bool,
            Field(
                description="Only providers usable now, as run routes (false: plan what "
                "every provider's key would buy)."
            ),
        ] = True,
    ) -> RouteResult:
        """Which model touches each shot at each stage, why, at what cost and time
        (shotrelay route); writes nothing and spends nothing."""
        file = root.project(project)
        routed = api.route_file(
            file, budget_usd=budget_usd, preset=preset, available_only=available_only
        )
        offer = None
        if available_only:
            offer = api.what_keys_would_buy(file, routed, budget_usd=budget_usd, preset=preset)
        fitted = None
        if deadline is not None:
            fitted = api.fit_route_to_deadline(file, routed, deadline_of(deadline))
            routed = fitted.plan
        return route_answer(routed, fitted, offer.sentence() if offer else None)

    @server.tool(annotations=_SPEND)
    @guard
    def run(
        project: ProjectArg,
        ctx: Context,
        takes: Annotated[
            int | None, Field(ge=1, le=8, description="Takes per shot (overrides the file).")
        ] = None,
        deadline: DeadlineArg = None,
        budget_usd: BudgetArg = None,
        preset: PresetArg = None,
    ) -> RunOutcome:
        """Animatic first; then, once the structure is approved, paid generation, finishing
        and the cut (shotrelay run); budget_usd and preset route as route does. Returns at
        the structure gate (nothing paid ran, the
        estimate is in the answer: call approve to go on) or when the run ends. Sends
        progress notifications while it works."""
        file = root.project(project)
        before = api.status(file).actual_usd
        result = api.run_project(
            file,
            takes=takes,
            deadline=deadline_of(deadline) if deadline is not None else None,
            budget_usd=budget_usd,
            preset=preset,
            on_event=ProgressRelay(ctx.report_progress, redactor.text),
        )
        return run_answer(file, project, result, before)

    @server.tool(annotations=_SPEND)
    @guard
    def redo(
        project: ProjectArg,
        shot: ShotArg,
        ctx: Context,
        stage: Annotated[
            Stage | None, Field(description="The stage to redo (default: every stage).")
        ] = None,
    ) -> RunOutcome:
        """Redo one shot (at one stage) and what depends on it, then run (shotrelay redo);
        the same gate as run applies."""
        file = root.project(project)
        before = api.status(file).actual_usd
        relay = ProgressRelay(ctx.report_progress, redactor.text)
        result = api.redo(file, shot, stage, on_event=relay)
        return run_answer(file, project, result, before)

    @server.tool(annotations=_WRITE)
    @guard
    def approve(project: ProjectArg) -> ApproveResult:
        """Approve the structure (shots, order, durations, framing, moves, transitions) so
        the next run does its paid stages (shotrelay approve). This is the gate: call it only
        when the person you work for has agreed to the estimate."""
        file = root.project(project)
        message = api.approve(file)
        estimated = last_estimate(file)
        cost = "its estimate is unknown until a run routes it"
        if estimated is not None:
            cost = f"the last routed plan is estimated at ${estimated:.2f}"
        return ApproveResult(
            message=message,
            estimated_usd=estimated,
            next=f"call run to go on; {cost} (the project's budget caps every run)",
        )

    @server.tool(annotations=_READ)
    @guard
    def status(
        project: ProjectArg,
        last: Annotated[int, Field(ge=0, le=200, description="How many recent events.")] = 10,
    ) -> StatusResult:
        """Jobs by state, money reserved and spent, approval, outputs, jobs that need a
        person, the last events (shotrelay status)."""
        return status_answer(api.status(root.project(project), last=last))

    @server.tool(annotations=_WRITE)
    @guard
    def pick(
        project: ProjectArg,
        shot: ShotArg,
        take: Annotated[int, Field(ge=1, description="The take the cut should use.")],
    ) -> MessageResult:
        """Choose which take of a shot the cut uses from the next run on (shotrelay pick)."""
        return MessageResult(message=api.pick(root.project(project), shot, take))

    @server.tool(annotations=_WRITE)
    @guard
    def rate(
        project: ProjectArg,
        shot: ShotArg,
        stars: Annotated[int, Field(ge=1, le=5, description="1 (poor) to 5 (great).")],
        take: Annotated[
            int | None, Field(ge=1, description="The take (default: the one in the cut).")
        ] = None,
        note: Annotated[str, Field(description="Why, in a few words.")] = "",
    ) -> api.Rating:
        """Rate a shot's take; routing learns from it (shotrelay rate)."""
        return api.rate(root.project(project), shot, stars, take, note=note)

    @server.tool(annotations=_WRITE)
    @guard
    def report(project: ProjectArg) -> FileResult:
        """Write the self-contained HTML report (shotrelay report)."""
        return FileResult(path=str(api.report(root.project(project))))

    @server.tool(annotations=_WRITE)
    @guard
    def export(
        project: ProjectArg,
        formats: Annotated[
            list[Literal["otio", "fcpxml", "edl"]] | None,
            Field(description="Which formats (default: all three)."),
        ] = None,
    ) -> ExportResult:
        """Hand the final cut to an editor as OTIO, FCP XML and CMX 3600 EDL
        (shotrelay export)."""
        files = api.export(root.project(project), formats or "all")
        return ExportResult(files={k: str(v) for k, v in files.items()})

    @server.tool(annotations=_READ)
    @guard
    def models(
        task: Annotated[Task | None, Field(description="Only models doing this task.")] = None,
        provider: Annotated[str | None, Field(description="Only this provider's.")] = None,
    ) -> ModelsResult:
        """The catalog's models: tasks, durations, resolutions, price, latency, status
        (shotrelay models)."""
        return ModelsResult(models=api.list_models(task=task, provider=provider))

    @server.tool(annotations=_READ)
    @guard
    def doctor() -> api.Diagnosis:
        """Which providers, planners and local engines are usable and why not; key names,
        never values (shotrelay doctor)."""
        return api.doctor()
