"""Fitting durations to the target: exact sums, the model's pacing kept where it can be."""

from __future__ import annotations

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import PlanError
from shotrelay.plan.llm.fit import fit_to_target
from shotrelay.spec.models import Project, Shot


def _shots(*durations: float) -> list[Shot]:
    return [Shot(id=f"s{i}", order=i, duration=d) for i, d in enumerate(durations, 1)]


def test_on_target_is_left_alone(models: list[ModelProfile]) -> None:
    shots = _shots(3.3, 7.7, 9.0)
    assert fit_to_target(shots, 20.0, models) == shots


def test_drift_is_fitted_to_catalog_lengths_in_the_model_order(
    models: list[ModelProfile],
) -> None:
    fitted = fit_to_target(_shots(4, 12, 6), 20.0, models)
    assert sum(s.duration for s in fitted) == pytest.approx(20.0, abs=0.05)
    assert fitted[1].duration >= fitted[2].duration >= fitted[0].duration
    assert [s.id for s in fitted] == ["s1", "s2", "s3"]


def test_more_shots_than_the_catalog_fit_would_make_are_scaled(
    models: list[ModelProfile],
) -> None:
    fitted = fit_to_target(_shots(2, 2, 4, 2, 2, 4, 4), 20.0, models)
    assert len(fitted) == 7
    assert sum(s.duration for s in fitted) == pytest.approx(20.0, abs=0.01)
    assert fitted[2].duration > fitted[0].duration


def test_a_long_target_over_few_shots_is_a_plan_error_naming_the_shot(
    models: list[ModelProfile],
) -> None:
    with pytest.raises(PlanError, match=r"shot 's\d'.*\d+ s.*more shots.*shorter target"):
        fit_to_target(_shots(5, 5), 150.0, models)


@pytest.mark.parametrize("target", [20.0, 61.0, 119.0, 150.0, 300.0])
def test_fitted_shots_always_load_as_a_project(models: list[ModelProfile], target: float) -> None:
    shots = _shots(2, 3, 4, 3)
    try:
        fitted = fit_to_target(shots, target, models)
    except PlanError:
        return
    project = Project.model_validate({"name": "fit", "shots": [s.model_dump() for s in fitted]})
    assert project.length == pytest.approx(target, abs=0.05)
