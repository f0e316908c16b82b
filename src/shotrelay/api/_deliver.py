"""The commands that read a project's outputs: report, export, contact sheet; and the ones
that look at models and the machine: models, rephrase, doctor."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from shotrelay.api._project import find_project_file
from shotrelay.catalog import load_catalog, model_rows
from shotrelay.catalog.listing import ModelRow
from shotrelay.doctor import Diagnosis, diagnose
from shotrelay.edit.export import ExportFormat, export_cut
from shotrelay.errors import PlanError, RemoteFailure, SpecError, TransientError, Unreachable
from shotrelay.plan.llm.base import LLMPlanner
from shotrelay.prompts import rephrase as _rephrase
from shotrelay.prompts.compiler import CompiledPrompt
from shotrelay.prompts.rephrase import ParsedInstruction
from shotrelay.report.contact import write_contact_sheet
from shotrelay.report.html import write_report
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["contact_sheet", "doctor", "export", "list_models", "rephrase", "report"]


def report(project: Path | str, *, out: Path | None = None) -> Path:
    """Write the self-contained HTML report (``shotrelay report``); its path."""
    return write_report(find_project_file(project), out=out)


def export(
    project: Path | str,
    formats: Sequence[ExportFormat] | Literal["all"] = "all",
    *,
    out_dir: Path | None = None,
) -> dict[ExportFormat, Path]:
    """Hand the final cut to an editor as OTIO, FCP XML and/or CMX 3600 EDL
    (``shotrelay export``); the files written."""
    chosen: list[ExportFormat] = ["otio", "fcpxml", "edl"] if formats == "all" else list(formats)
    return export_cut(find_project_file(project), chosen, out_dir=out_dir)


def contact_sheet(project: Path | str, *, out: Path | None = None, columns: int = 4) -> Path:
    """Write a PNG grid with a frame of every shot (``shotrelay contact-sheet``)."""
    return write_contact_sheet(find_project_file(project), out=out, columns=columns)


def list_models(
    *, task: Task | None = None, provider: str | None = None, catalog_files: Sequence[Path] = ()
) -> list[ModelRow]:
    """The catalog's models, one row each (``shotrelay models``)."""
    return model_rows(load_catalog(catalog_files), task=task, provider=provider)


def rephrase(
    instruction: str,
    *,
    stage: Stage = Stage.GENERATE,
    model: str = "local-camera",
    planner: str | None = None,
    catalog_files: Sequence[Path] = (),
) -> CompiledPrompt:
    """A rough instruction rewritten as ``model``'s prompt for ``stage``
    (``shotrelay rephrase``).

    With ``planner`` (``openai``, ``anthropic``, ``gemini``, ``ollama[:model]``), a language
    model reads the instruction (structured output, validated, the dialect's guides in the
    request) and the rules read it when that fails; ``parts["read_by"]`` says which did.
    """
    catalog = load_catalog(catalog_files)
    target = catalog.get(model)
    parsed: ParsedInstruction | None = None
    read_by = "rules"
    if planner and planner != "rules":
        from shotrelay.plan.llm.rephrase import read_instruction
        from shotrelay.plan.registry import get_planner

        chosen = get_planner(planner)
        if not isinstance(chosen, LLMPlanner):
            raise SpecError(
                f"planner {planner!r} reads no instructions",
                field="planner",
                fix="use openai, anthropic, gemini or ollama[:model], or rules",
            )
        try:
            parsed = read_instruction(chosen, instruction, stage, target, catalog.models)
            read_by = chosen.name
        except (PlanError, TransientError, Unreachable, RemoteFailure) as exc:
            read_by = f"rules (the {chosen.name} planner failed: {exc})"
    compiled = _rephrase(instruction, stage, target, parsed=parsed)
    return compiled.model_copy(update={"parts": {**compiled.parts, "read_by": read_by}})


def doctor() -> Diagnosis:
    """Which providers, planners and local engines are usable, and why not
    (``shotrelay doctor``); key names, never values."""
    return diagnose()
