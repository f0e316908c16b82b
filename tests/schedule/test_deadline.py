"""Deadlines for one project: parsing, the fit in words, and `route`/`run --deadline`."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shotrelay.catalog import builtin_models
from shotrelay.cli import app
from shotrelay.engine.graph import JobGraph
from shotrelay.engine.jobs import JobNode
from shotrelay.errors import SpecError
from shotrelay.route import route_project
from shotrelay.schedule.deadline import GraphSlots, fit_deadline, parse_deadline
from shotrelay.schedule.priority import ProjectTerms
from shotrelay.schedule.slots import SlotQueue
from shotrelay.sim.clock import run_virtual
from shotrelay.spec.loader import load_project

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).parents[2] / "examples" / "startup-ad.yaml"
MODELS = {m.id: m for m in builtin_models()}


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("6h", timedelta(hours=6)),
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("45s", timedelta(seconds=45)),
    ],
)
def test_durations_count_from_now(text: str, after: timedelta) -> None:
    assert parse_deadline(text, NOW) == NOW + after


def test_iso_times_keep_their_zone_and_naive_ones_are_utc() -> None:
    assert parse_deadline("2026-11-27T18:00+01:00", NOW).utcoffset() == timedelta(hours=1)
    assert parse_deadline("2026-11-27T18:00", NOW) == datetime(2026, 11, 27, 18, tzinfo=UTC)


def test_a_bad_deadline_says_what_to_write() -> None:
    with pytest.raises(SpecError, match="--deadline: 'friday' is neither") as exc:
        parse_deadline("friday", NOW)
    assert "6h" in str(exc.value)


def test_a_deadline_too_far_away_is_a_clear_error_not_a_traceback() -> None:
    with pytest.raises(SpecError, match="too far away"):
        parse_deadline("99999999d", NOW)


def test_the_fit_says_predicted_finish_first_preview_and_trades() -> None:
    project = load_project(EXAMPLE)
    plan = route_project(project, list(MODELS.values()))
    roomy = fit_deadline(project, plan, MODELS, NOW + timedelta(hours=6), now=NOW)
    assert roomy.met and roomy.predicted_finish > NOW
    assert roomy.first_preview <= roomy.predicted_finish
    lines = roomy.lines()
    assert lines[0].startswith("deadline 2026-11-26 15:00 UTC: predicted finish 2026-11-26 09:")
    assert "before the deadline" in lines[0] and lines[1].startswith("first preview")
    hopeless = fit_deadline(project, plan, MODELS, NOW + timedelta(seconds=5), now=NOW)
    assert not hopeless.met and "after the deadline" in hopeless.lines()[0]
    assert hopeless.summary()["met"] is False


def test_cli_route_deadline_prints_the_prediction(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    shutil.copy(EXAMPLE, file)
    runner = CliRunner()
    text = runner.invoke(app, ["route", str(file), "--deadline", "6h"])
    assert text.exit_code == 0, text.output
    assert "predicted finish" in text.output and "first preview" in text.output
    as_json = runner.invoke(app, ["route", str(file), "--deadline", "6h", "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["deadline"]["met"] is True
    assert data["trades"] == data["deadline"]["trades"]
    plain = json.loads(runner.invoke(app, ["route", str(file), "--json"]).output)
    assert "deadline" not in plain


def test_cli_run_rejects_a_bad_deadline_before_doing_anything(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    shutil.copy(EXAMPLE, file)
    result = CliRunner().invoke(app, ["run", str(file), "--deadline", "soon"])
    assert result.exit_code == 2
    assert "neither a date-time nor a duration" in result.output
    assert not (tmp_path / ".shotrelay").exists()


def _graph(name: str, shots: int) -> JobGraph:
    nodes = {
        f"s{i}/generate/t1": JobNode(
            id=f"s{i}/generate/t1",
            shot_id=f"s{i}",
            step="generate",
            take=1,
            model="veo-3.1",
            params={"clip_seconds": 4.0},
        )
        for i in range(1, shots + 1)
    }
    ids = [f"s{i}" for i in range(1, shots + 1)]
    return JobGraph(
        project=name, nodes=nodes, shots=ids, finals={s: f"{s}/generate/t1" for s in ids}
    )


def test_projects_sharing_a_queue_take_slots_by_deadline() -> None:
    one = {"veo-3.1": MODELS["veo-3.1"].model_copy(update={"concurrency": 1})}
    queue = SlotQueue()
    late, soon, untracked = GraphSlots(queue), GraphSlots(queue), GraphSlots(queue)
    t0 = NOW.timestamp()
    late.use(_graph("late", 2), one, ProjectTerms(deadline=t0 + 36_000, release=t0, shots=2))
    soon.use(_graph("soon", 2), one, ProjectTerms(deadline=t0 + 3_600, release=t0, shots=2))

    async def main() -> list[str]:
        log: list[str] = []

        async def job(slots: GraphSlots, tag: str, shot: str) -> None:
            node = _graph("x", 2).nodes[f"{shot}/generate/t1"]
            async with slots.slot(one["veo-3.1"], node):
                log.append(f"{tag}:{shot}")
                await asyncio.sleep(10)

        await asyncio.gather(
            job(untracked, "new", "s1"),
            job(late, "late", "s1"),
            job(late, "late", "s2"),
            job(soon, "soon", "s2"),
            job(soon, "soon", "s1"),
        )
        return log

    assert run_virtual(main()) == ["soon:s1", "soon:s2", "late:s1", "late:s2", "new:s1"]
