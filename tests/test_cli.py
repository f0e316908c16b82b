"""The command line: JSON shapes scripts rely on, and bad input as a message, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples"
AD = EXAMPLES / "startup-ad.yaml"
STAGES = {"keyframe", "generate", "lipsync", "upscale", "interpolate", "edit", "tts"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_clean_error(code: int, stderr: str, *needles: str) -> None:
    assert code == 2
    assert "Traceback" not in stderr and stderr.startswith("error:")
    for needle in needles:
        assert needle in stderr, stderr


def test_route_json_has_the_documented_shape() -> None:
    code, stdout, _ = invoke("route", str(AD), "--json", "--all-providers")
    assert code == 0
    data = json.loads(stdout)
    assert isinstance(data["total_cost_usd"], float) and isinstance(data["total_seconds"], float)
    assert len(data["shots"]) == 6
    for shot in data["shots"]:
        assert isinstance(shot["id"], str) and isinstance(shot["role"], str)
        for st in shot["stages"]:
            assert st["stage"] in STAGES
            assert isinstance(st["model"], str) and isinstance(st["provider"], str)
            assert isinstance(st["cost_usd"], float) and isinstance(st["seconds"], float)
            assert all(isinstance(f, str) for f in st["fallbacks"])
            assert st["reasons"] and all(isinstance(r, str) for r in st["reasons"])
            assert st["cost_rule"]  # every estimate names its pricing rule
    total = sum(st["cost_usd"] for s in data["shots"] for st in s["stages"])
    assert total == pytest.approx(data["total_cost_usd"], abs=1e-4)
    dialogue = next(s for s in data["shots"] if s["role"] == "dialogue")
    assert "lipsync" in [st["stage"] for st in dialogue["stages"]]


def test_route_table_explains_choices() -> None:
    code, stdout, _ = invoke("route", str(AD), "--all-providers")
    assert code == 0
    assert "chosen over" in stdout and "hero" in stdout


def test_route_with_a_binding_budget_stays_within_it_and_says_what_was_traded() -> None:
    _, stdout, _ = invoke("route", str(AD), "--json", "--all-providers")
    best = json.loads(stdout)["total_cost_usd"]
    budget = f"{best * 0.7:.2f}"
    code, stdout, _ = invoke("route", str(AD), "--json", "--all-providers", "--budget", budget)
    assert code == 0
    data = json.loads(stdout)
    assert data["total_cost_usd"] <= best * 0.7 + 0.01
    assert data["trades"]


def test_route_below_the_cheapest_plan_names_the_minimum_budget(tmp_path: Path) -> None:
    # a pinned paid model: free local and ComfyUI rows cannot bring the plan under the budget
    project = tmp_path / "pinned.yaml"
    project.write_text("name: pinned\nshots:\n  - {duration: 5, models: {generate: kling-v4}}\n")
    code, _, stderr = invoke("route", str(project), "--all-providers", "--budget", "0.01")
    assert_clean_error(code, stderr, "budget")
    assert "$" in stderr


@pytest.mark.parametrize(
    ("yaml_text", "needles"),
    [
        ("name: x\nshots:\n  - {duration: -2}\n", ["duration", "project.yaml"]),
        ("name: x\nshots:\n  - {duration: 4, role: villain}\n", ["role", "villain"]),
        ("name: x\nshots:\n  - {duration: 400}\n", ["duration"]),
        ("name: x\nshots:\n  - {duration: four}\n", ["duration"]),
        (
            "name: x\nshots:\n  - {duration: 4, models: {generate: veo-9}}\n",
            ["veo-9", "models.generate"],
        ),
        ("name: [unclosed\n", ["project.yaml"]),
    ],
)
def test_bad_project_files_give_a_clear_error(
    tmp_path: Path, yaml_text: str, needles: list[str]
) -> None:
    (tmp_path / "project.yaml").write_text(yaml_text)
    code, _, stderr = invoke("route", str(tmp_path))
    assert_clean_error(code, stderr, *needles)


def test_missing_project_file() -> None:
    code, _, stderr = invoke("route", "no-such-project.yaml")
    assert_clean_error(code, stderr, "no-such-project.yaml", "fix:")


def test_models_json_filters_by_task_and_provider() -> None:
    code, stdout, _ = invoke("models", "--task", "lipsync", "--json")
    assert code == 0
    rows = json.loads(stdout)
    assert rows and all("lipsync" in r["tasks"] for r in rows)
    code, stdout, _ = invoke("models", "--provider", "local", "--json")
    assert {r["provider"] for r in json.loads(stdout)} == {"local"}


def test_schema_is_json_schema_of_a_project() -> None:
    code, stdout, _ = invoke("schema")
    assert code == 0
    schema = json.loads(stdout)
    assert schema["title"] == "Project" and "shots" in schema["properties"]


def test_rephrase_writes_the_models_dialect() -> None:
    code, stdout, _ = invoke(
        "rephrase", "guy walks in rain, moody", "--model", "runway-gen4-turbo", "--json"
    )
    assert code == 0
    data = json.loads(stdout)
    assert "rain" in json.dumps(data).lower()
    code, _, stderr = invoke("rephrase", "x", "--model", "no-such-model")
    assert_clean_error(code, stderr, "no-such-model")


def test_init_then_plan_writes_a_shot_list(tmp_path: Path) -> None:
    folder = tmp_path / "spot"
    code, _, _ = invoke("init", str(folder), "--brief", "a coffee brand launch", "--length", "15")
    assert code == 0 and (folder / "project.yaml").exists()
    code, stdout, _ = invoke("plan", str(folder), "--json")
    assert code == 0
    shots = json.loads(stdout)
    assert shots and sum(s["duration"] for s in shots) == pytest.approx(15, abs=0.5)
    code, _, stderr = invoke("plan", str(folder), "--planner", "oracle")
    assert code == 0  # the file now has shots: kept as written, no planner needed
    code, _, stderr = invoke("init", str(folder))
    assert_clean_error(code, stderr, "exists")


def test_unknown_planner_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "spot"
    invoke("init", str(folder), "--brief", "a bike shop")
    code, _, stderr = invoke("plan", str(folder), "--planner", "oracle")
    assert_clean_error(code, stderr, "oracle", "rules")


def test_status_of_a_project_never_run(tmp_path: Path) -> None:
    shutil.copy(AD, tmp_path / "ad.yaml")
    code, stdout, _ = invoke("status", str(tmp_path / "ad.yaml"), "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["approved"] is False


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    code, stdout, _ = invoke("--version")
    assert code == 0 and stdout.strip() == f"shotrelay {version('shotrelay')}"
