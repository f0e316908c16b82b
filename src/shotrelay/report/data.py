"""What the report shows, gathered from the project, the route plan, the journal and the store.

Read-only: a project that has never run gets a plan-only report and no journal is created;
an existing journal is opened with SQLite's ``mode=ro`` (no migration, no WAL files, no write).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.continuity.ledger import ContinuityLedger
from shotrelay.continuity.packet import ContextPacket
from shotrelay.edit.record import CutRecord
from shotrelay.engine.journal import EventRow, JobRow
from shotrelay.engine.readonly import RunRow, read_journal
from shotrelay.engine.store import ArtifactStore
from shotrelay.engine.workspace import Workspace, workspace_for
from shotrelay.errors import ShotrelayError
from shotrelay.report.keys import KeyOffer
from shotrelay.route.plan import RoutePlan
from shotrelay.spec.loader import load_project
from shotrelay.spec.models import Project

__all__ = ["Artifact", "JobSpan", "ReportData", "RunRow", "gather"]

_END_KINDS = {"succeeded", "failed", "skipped"}


class JobSpan(BaseModel):
    """One job on the schedule: when it was submitted and when it ended (epoch seconds)."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    stage: str
    state: str
    start: float
    end: float


class Artifact(BaseModel):
    """Provenance of one stored artifact: what made it, with which model, from what."""

    model_config = ConfigDict(frozen=True)

    hash: str
    job: str
    shot_id: str
    stage: str
    model: str
    provider: str
    inputs: dict[str, str]
    path: Path | None
    media_type: str
    size: int


class ReportData(BaseModel):
    """Everything one report needs; ``ran`` is False before the first run."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    project: Project
    workspace: Workspace
    generated_at: float
    plan: RoutePlan | None
    plan_error: str = ""
    plan_source: str = "routed on the providers available now"
    #: Beside the plan, what keys would buy (None when the plan could not be made).
    offer: KeyOffer | None = None
    manifest: dict[str, Any] | None
    jobs: list[JobRow]
    events: list[EventRow]
    runs: list[RunRow]
    spans: list[JobSpan]
    artifacts: list[Artifact]
    packets: dict[str, ContextPacket]
    reserved_usd: float = 0.0
    actual_usd: float = 0.0

    @property
    def ran(self) -> bool:
        """Whether any job has been recorded."""
        return bool(self.jobs)

    def stages(self, shot_id: str) -> list[dict[str, Any]]:
        """The manifest's stage records of one shot (empty before a run)."""
        for shot in (self.manifest or {}).get("shots", []):
            if shot["id"] == shot_id:
                return list(shot["stages"])
        return []

    def job(self, key: str) -> JobRow | None:
        """A journal row by key."""
        return next((j for j in self.jobs if j.key == key), None)

    def store_path(self, digest: str | None) -> Path | None:
        """Where an artifact lives, if it is in the store."""
        if not digest:
            return None
        ref = ArtifactStore(self.workspace.store).lookup(digest)
        return ref.path if ref else None


def _spans(jobs: list[JobRow], events: list[EventRow]) -> list[JobSpan]:
    by_job: dict[str, list[EventRow]] = {}
    for e in events:
        if e.job_key:
            by_job.setdefault(e.job_key, []).append(e)
    spans = []
    for j in jobs:
        evs = by_job.get(j.key, [])
        starts = [e.at for e in evs if e.kind == "submitting"] or [j.created_at]
        ends = [e.at for e in evs if e.kind in _END_KINDS] or [j.updated_at]
        take = f" t{j.take}" if j.take else ""
        label = f"{j.shot_id}/{j.stage}{take}" if j.shot_id != "*" else f"{j.model} cut"
        spans.append(
            JobSpan(
                key=j.key,
                label=label,
                stage=j.stage,
                state=j.state.value,
                start=min(starts),
                end=max(max(ends), min(starts)),
            )
        )
    return sorted(spans, key=lambda s: (s.start, s.label))


def _artifacts(jobs: list[JobRow], store: ArtifactStore) -> list[Artifact]:
    by_key = {j.key: j for j in jobs}
    out: dict[str, Artifact] = {}
    for j in jobs:
        if not j.artifact or j.artifact in out:
            continue
        inputs: dict[str, str] = {}
        raw = j.detail.get("inputs") or {}
        if j.stage == "cut":
            raw = CutRecord.from_detail(j.detail).clip_hashes()
        for name, value in raw.items():
            text = str(value)
            if text.startswith("job:"):
                parent = by_key.get(text[4:])
                text = parent.artifact if parent and parent.artifact else f"job {text[4:16]}"
            inputs[str(name)] = text
        ref = store.lookup(j.artifact)
        out[j.artifact] = Artifact(
            hash=j.artifact,
            job=j.key,
            shot_id=j.shot_id,
            stage=j.stage,
            model=j.model,
            provider=j.provider,
            inputs=inputs,
            path=ref.path if ref else None,
            media_type=ref.media_type if ref else "missing from the store",
            size=ref.size if ref else 0,
        )
    return list(out.values())


_RECORDED = "the plan the last run executed (out/route.json)"
_FRESH = "routed on the providers available now"


def _plan(ws: Workspace) -> tuple[RoutePlan | None, str, str]:
    """(plan, error, source): the plan the last run recorded; before any run, a fresh route."""
    from shotrelay.catalog import load_catalog
    from shotrelay.providers.registry import load_providers
    from shotrelay.relay.keep import read_route
    from shotrelay.relay.wiring import route_available

    recorded = read_route(ws.route)  # None when missing or unreadable: route afresh
    if recorded is not None:
        return recorded, "", _RECORDED
    try:
        project = load_project(ws.project_file, check_files=False)
        plan = route_available(project, load_catalog().models, load_providers())
        return plan, "", _FRESH
    except ShotrelayError as exc:
        return None, str(exc), _FRESH


def _offer(ws: Workspace, plan: RoutePlan | None) -> KeyOffer | None:
    """The plan on every provider of the catalog beside ``plan`` (see report/keys.py)."""
    from shotrelay.catalog import load_catalog
    from shotrelay.providers.registry import load_providers
    from shotrelay.report.keys import key_offer
    from shotrelay.route.router import route_project

    if plan is None:
        return None
    everywhere: RoutePlan | str
    try:
        project = load_project(ws.project_file, check_files=False)
        everywhere = route_project(project, load_catalog().models)
    except ShotrelayError as exc:
        everywhere = str(exc)
    return key_offer(plan, everywhere, load_providers())


def gather(
    project_path: Path | str, *, workdir: Path | str | None = None, route: bool = True
) -> ReportData:
    """Collect the report's data for a project file (or folder) without changing anything.

    ``route=False`` skips the plan (no reasons and runner-ups): neither the recorded
    ``route.json`` nor a fresh route.
    """
    ws = workspace_for(project_path, workdir)
    project = load_project(ws.project_file, check_files=False)  # a past run: refs may be gone
    plan, plan_error, plan_source = _plan(ws) if route else (None, "not routed", "")
    ledger = ContinuityLedger(project)
    packets = {s.id: ledger.packet(s.id) for s in project.shots}
    jobs: list[JobRow] = []
    events: list[EventRow] = []
    runs: list[RunRow] = []
    reserved = actual = 0.0
    artifacts: list[Artifact] = []
    if ws.journal.is_file():
        snap = read_journal(ws.journal)
        jobs, events, runs = snap.jobs, snap.events, snap.runs
        reserved, actual = snap.reserved_usd, snap.actual_usd
        artifacts = _artifacts(jobs, ArtifactStore(ws.store))
    manifest = None
    if ws.manifest.is_file():
        manifest = json.loads(ws.manifest.read_text(encoding="utf-8"))
    return ReportData(
        project=project,
        workspace=ws,
        generated_at=time.time(),
        plan=plan,
        plan_error=plan_error,
        plan_source=plan_source,
        offer=_offer(ws, plan) if route else None,
        manifest=manifest,
        jobs=jobs,
        events=events,
        runs=runs,
        spans=_spans(jobs, events),
        artifacts=artifacts,
        packets=packets,
        reserved_usd=reserved,
        actual_usd=actual,
    )
