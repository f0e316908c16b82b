"""Gathering the report's data: provenance, schedule spans and packets from the journal."""

from __future__ import annotations

from pathlib import Path

from report_tiny import SHOT_IDS

from shotrelay.report.data import gather


def test_every_artifact_has_its_producing_job_and_resolved_inputs(ran_project: Path) -> None:
    data = gather(ran_project, route=False)
    made = {j.artifact for j in data.jobs if j.artifact}
    assert {a.hash for a in data.artifacts} == made
    hashes = {a.hash for a in data.artifacts}
    lipsync = next(a for a in data.artifacts if a.stage == "lipsync")
    # "job:<key>" inputs are shown as the artifact that job made.
    assert set(lipsync.inputs) == {"video", "audio"}
    assert set(lipsync.inputs.values()) <= hashes
    final = next(a for a in data.artifacts if a.stage == "cut" and a.model == "final")
    assert list(final.inputs) == SHOT_IDS
    assert all(a.path is not None and a.path.is_file() for a in data.artifacts)


def test_spans_cover_every_job_in_time_order(ran_project: Path) -> None:
    data = gather(ran_project, route=False)
    assert len(data.spans) == len(data.jobs)
    assert all(s.start <= s.end for s in data.spans)
    assert [s.start for s in data.spans] == sorted(s.start for s in data.spans)
    assert data.runs and data.runs[-1].status == "done"


def test_packets_and_plan(ran_project: Path) -> None:
    data = gather(ran_project)
    assert list(data.packets) == SHOT_IDS
    assert data.packets["app"].handoff and data.packets["app"].previous_shot_id == "pitch"
    assert data.plan is not None and [s.id for s in data.plan.shots] == SHOT_IDS
    assert data.ran and data.manifest is not None


def test_the_plan_shown_is_the_one_the_run_recorded(ran_project: Path, tmp_path: Path) -> None:
    import shutil

    from shotrelay.engine.workspace import workspace_for
    from shotrelay.route.plan import RoutePlan

    # A copy, so the shared fixture stays as the run left it.
    copy = tmp_path / "copy"
    shutil.copytree(ran_project.parent, copy)
    ws = workspace_for(copy / ran_project.name)
    recorded = RoutePlan.model_validate_json(ws.route.read_text())
    assert [s.id for s in recorded.shots] == SHOT_IDS
    # Mark the recorded plan: the report must show it, not a fresh re-route.
    marked = recorded.model_copy(update={"notes": [*recorded.notes, "recorded at run time"]})
    ws.route.write_text(marked.model_dump_json())
    data = gather(copy / ran_project.name)
    assert data.plan is not None and "recorded at run time" in data.plan.notes
    ws.route.write_text("{ torn")
    again = gather(copy / ran_project.name)
    assert again.plan is not None and "recorded at run time" not in again.plan.notes


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*")
    }


def test_a_read_only_workspace_is_reported_and_left_unchanged(
    ran_project: Path, tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    from shotrelay.engine.workspace import workspace_for
    from shotrelay.report.html import write_report

    copy = tmp_path / "copy"
    shutil.copytree(ran_project.parent, copy)
    project = copy / ran_project.name
    ws = workspace_for(project)
    # A journal of an older schema (before the totals table): opening it read-write migrates.
    db = sqlite3.connect(ws.journal)
    for trigger in ("totals_insert", "totals_update", "totals_delete"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP TABLE totals")
    db.execute("DELETE FROM schema_version WHERE version = 3")
    db.commit()
    db.close()
    before = _tree(ws.root)
    paths = [ws.root, *ws.root.rglob("*")]
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        data = gather(project)
        report = write_report(project, out=tmp_path / "report.html")
    finally:
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert data.ran and data.runs and data.artifacts
    assert data.actual_usd == round(sum(j.actual_usd for j in data.jobs), 9)
    assert data.reserved_usd == round(sum(j.reserved_usd for j in data.jobs), 9)
    assert report.is_file()
    # Nothing written: same files (no -wal/-shm left), same mtimes and sizes.
    assert _tree(ws.root) == before


def test_a_journal_being_written_is_read_through_its_wal(ran_project: Path, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    from shotrelay.engine.workspace import workspace_for

    copy = tmp_path / "copy"
    shutil.copytree(ran_project.parent, copy)
    ws = workspace_for(copy / ran_project.name)
    # A writer that stays open, as during a run: its commit sits in the -wal file.
    writer = sqlite3.connect(ws.journal)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("UPDATE runs SET note = 'still going' WHERE id = (SELECT max(id) FROM runs)")
        writer.commit()
        assert ws.journal.with_name(f"{ws.journal.name}-wal").stat().st_size > 0
        data = gather(copy / ran_project.name, route=False)
    finally:
        writer.close()
    assert data.runs[-1].note == "still going"
