"""The terminal a person meets: one plan (the one that runs), the gate's outcome and its exit
code, cached jobs summed, status as tables, plain words in help, init and plan --replan,
redo refusing a stage the shot lacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.cli import app

#: Keys that would make cloud providers usable: the tests decide which are set.
CLOUD_KEYS = (
    "FAL_KEY",
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "REPLICATE_API_TOKEN",
    "RUNWAYML_API_SECRET",
    "LUMAAI_API_KEY",
    "ELEVENLABS_API_KEY",
    "SYNC_API_KEY",
    "SHOTRELAY_COMFYUI_URL",
)

TINY = """\
name: tiny
brief: a kite over a grey sea
format: {aspect: "16:9", resolution: 360p, fps: 12}
budget_usd: 5
shots:
  - id: sea
    duration: 1
    role: establishing
    framing: wide
    camera: pan-right
    subject: a grey sea under low cloud
  - id: kite
    duration: 1
    framing: medium
    camera: static
    subject: a red kite
    transition: crossfade
    transition_seconds: 0.25
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_cloud_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in CLOUD_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout is read


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "project.yaml").write_text(TINY)
    return folder


def _models(plan: dict[str, object]) -> dict[tuple[str, str], str]:
    shots = plan["shots"]
    assert isinstance(shots, list)
    return {(s["id"], st["stage"]): st["model"] for s in shots for st in s["stages"]}


def test_route_shows_the_plan_run_executes_and_what_keys_would_buy(tiny: Path) -> None:
    code, stdout, _ = invoke("route", str(tiny), "--json")
    assert code == 0
    shown = json.loads(stdout)
    assert shown["total_cost_usd"] == 0.0  # no keys: only local models
    assert {st["provider"] for s in shown["shots"] for st in s["stages"]} == {"local"}
    offer = shown["with_keys"]
    assert offer["changes"] and offer["keyed_usd"] > 0 and offer["keys"]["fal"] == "FAL_KEY"
    code, stdout, _ = invoke("route", str(tiny))
    assert code == 0 and "what keys would buy" in stdout and "FAL_KEY" in stdout
    code, _, _ = invoke("run", str(tiny), "--quiet")
    assert code == 0
    ran = json.loads((tiny / ".shotrelay" / "out" / "route.json").read_text())
    assert _models(ran) == _models(shown)


def test_every_provider_is_one_flag_away(tiny: Path) -> None:
    code, stdout, _ = invoke("route", str(tiny), "--json", "--all-providers")
    assert code == 0
    data = json.loads(stdout)
    assert data["total_cost_usd"] > 0 and "with_keys" not in data


def test_a_local_only_run_says_it_passes_the_gate_and_a_rerun_is_summed(tiny: Path) -> None:
    code, stdout, _ = invoke("run", str(tiny))
    assert code == 0, stdout
    assert "gate: local-only plan: nothing paid, passes the gate" in stdout
    first = re.search(r"(\d+) jobs: (\d+) ran, (\d+) cached, \$0\.00 spent", stdout)
    assert first and int(first[2]) > 0
    code, stdout, _ = invoke("run", str(tiny))
    assert code == 0
    again = re.search(r"(\d+) jobs: (\d+) ran, (\d+) cached, \$0\.00 spent", stdout)
    assert again and again[2] == "0" and again[1] == again[3] == first[1]
    assert "succeeded" not in stdout and "chosen" not in stdout
    assert "animatic: " in stdout and "relay: " in stdout


def test_waiting_at_the_gate_has_its_own_exit_code(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAL_KEY", "test-key-not-real")  # a paid plan; the gate stops before it
    code, stdout, _ = invoke("run", str(tiny))
    assert code == 3
    assert "gate: waiting for your approval" in stdout and "shotrelay approve" in stdout
    code, stdout, _ = invoke("run", "--help")
    assert "3 waiting at the structure gate" in " ".join(stdout.split())
    code, stdout, _ = invoke("redo", str(tiny), "sea", "--stage", "generate")
    assert code == 3 and "gate: waiting for your approval" in stdout


def test_run_takes_routes_options(tiny: Path) -> None:
    code, _, stderr = invoke("run", str(tiny), "--preset", "fastest")
    assert code == 2 and "fastest" in stderr and "fast" in stderr
    code, _, stderr = invoke("route", str(tiny), "--preset", "fastest")
    assert code == 2 and "fastest" in stderr
    code, stdout, _ = invoke("run", str(tiny), "--json", "--preset", "cheap", "--budget", "1")
    assert code == 0 and json.loads(stdout)["gate"].startswith("gate: local-only")
    ran = json.loads((tiny / ".shotrelay" / "out" / "route.json").read_text())
    assert ran["policy"] == "cheap" and ran["budget_usd"] == 1


def test_status_is_tables_in_local_time_with_short_ids(tiny: Path) -> None:
    invoke("run", str(tiny), "--quiet")
    code, stdout, _ = invoke("status", str(tiny))
    assert code == 0
    assert "last events (local time)" in stdout and "structure approved" in stdout
    assert "{" not in stdout and not re.search(r"\b1[5-9]\d{8}\b", stdout)  # no dicts, no epochs
    keys = json.loads(invoke("status", str(tiny), "--json")[1])
    full = [e["job_key"] for e in keys["events"] if e["job_key"]]
    assert full and full[0] not in stdout and full[0][:10] in stdout


def test_redo_refuses_a_stage_the_shot_does_not_have(tiny: Path) -> None:
    code, _, stderr = invoke("redo", str(tiny), "sea", "--stage", "lipsync")
    assert code == 2 and "Traceback" not in stderr
    assert "sea has no lipsync stage" in stderr and "keyframe" in stderr and "generate" in stderr


def test_init_reads_the_length_from_the_brief_and_writes_comments(tmp_path: Path) -> None:
    code, _, _ = invoke("init", str(tmp_path / "ad"), "--brief", "30 second ad")
    assert code == 0
    text = (tmp_path / "ad" / "project.yaml").read_text()
    assert "target_length: 30.0" in text
    assert text.startswith("# ") and "# budget_usd:" in text and "shotrelay plan" in text
    code, stdout, _ = invoke("plan", str(tmp_path / "ad"), "--json")
    assert code == 0 and sum(s["duration"] for s in json.loads(stdout)) == pytest.approx(30, 0.05)


def test_plan_replan_and_planner_shots_are_not_called_written_by_hand(tmp_path: Path) -> None:
    folder = tmp_path / "spot"
    invoke("init", str(folder), "--brief", "a 12 second teaser for a bike shop")
    assert invoke("plan", str(folder))[0] == 0
    code, stdout, _ = invoke("plan", str(folder))
    assert code == 0 and "planned by the rules planner" in " ".join(stdout.split())
    assert "by hand" not in stdout
    code, stdout, _ = invoke("plan", str(folder), "--replan")
    assert code == 0 and "re-planned" in stdout
    assert not (folder / "project.yaml.bak").exists()  # planner shots need no backup


COMMANDS = [
    "init", "plan", "route", "models", "rephrase", "run", "studio", "approve", "redo", "pick",
    "rate", "learn", "abandon", "status", "report", "export", "contact-sheet", "doctor",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_types_in_plain_words(command: str) -> None:
    code, stdout, _ = invoke(command, "--help")
    assert code == 0
    assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", stdout, re.I), stdout


def test_models_table_fits_80_columns_without_cells_folded_to_nothing() -> None:
    import io

    from rich.console import Console

    from shotrelay.api import list_models
    from shotrelay.present import models_table

    rows = list_models()
    buf = io.StringIO()
    Console(file=buf, width=80, color_system=None).print(models_table(rows, width=80))
    lines = buf.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    cells = [c.strip() for line in lines for c in line.split("│")]
    for row in rows:
        assert row.id in cells  # every id whole, on one line
    assert "latency" in buf.getvalue() and "price" in buf.getvalue()


def test_the_cut_reports_its_steps_as_it_goes(tiny: Path) -> None:
    from shotrelay.api import EngineEvent, run_project

    seen: list[EngineEvent] = []
    run_project(tiny, on_event=seen.append)
    steps = [e for e in seen if e.kind == "progress" and e.stage == "cut"]
    assert [e.progress for e in steps].count(1.0) == 2  # the animatic's cut and the final
    first = steps[: [e.progress for e in steps].index(1.0) + 1]
    total = len(first)
    assert [e.message for e in first] == [f"{n}/{total}" for n in range(1, total + 1)]
    # at least a step per shot and one for the crossfade between them
    assert total >= 3 and "transition into shot 2" in [e.state for e in first]
