"""Planning a project file: planner-written shots are labelled, kept, and re-planned on ask."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from shotrelay.catalog.loader import builtin_models
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import PlanError
from shotrelay.plan.files import plan_project_file
from shotrelay.spec import Project, Shot, load_project
from shotrelay.spec.loader import dump_project

BRIEF = "15-second teaser for an indie horror game: a lighthouse keeper hears knocking"


def _file(tmp_path: Path, **extra: object) -> Path:
    path = tmp_path / "project.yaml"
    path.write_text(dump_project(Project.model_validate({"name": "t", "brief": BRIEF, **extra})))
    return path


def test_planned_shots_are_written_and_labelled_then_kept(tmp_path: Path) -> None:
    path = _file(tmp_path)
    first = plan_project_file(path, builtin_models())
    assert first.written and load_project(path).planned_by == "rules"
    again = plan_project_file(path, builtin_models())
    assert not again.written
    assert "planned by the rules planner" in again.message and "--replan" in again.message
    assert "by hand" not in again.message


def test_replan_over_hand_written_shots_keeps_a_copy(tmp_path: Path) -> None:
    path = _file(tmp_path, shots=[{"duration": 15, "subject": "my own shot"}])
    kept = plan_project_file(path, builtin_models())
    assert not kept.written and "written by hand" in kept.message
    replanned = plan_project_file(path, builtin_models(), replan=True)
    assert replanned.written and replanned.backup is not None
    assert "my own shot" in replanned.backup.read_text()
    assert all(s.subject != "my own shot" for s in load_project(path).shots)
    assert str(replanned.backup) in replanned.message


class FailingPlanner:
    name = "broken"

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        raise PlanError("the model answered three times with no valid shot list")


def test_a_failing_model_planner_falls_back_to_the_rules(tmp_path: Path) -> None:
    path = _file(tmp_path)
    outcome = plan_project_file(path, builtin_models(), FailingPlanner())
    assert outcome.written and outcome.project.planned_by == "rules"
    assert "broken planner failed" in outcome.message
