"""A run under a deadline: the plan is fitted, the prediction reported, the relay finishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from shotrelay.relay.deadline import DeadlineRun
from shotrelay.relay.run import run
from shotrelay.schedule.slots import SlotQueue
from shotrelay.spec.vocabulary import Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

CLOUD = [model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95)]
PROJECT = """name: ad
takes: 2
budget_usd: 20
shots:
  - {id: a, duration: 2, subject: a cat, role: hero}
  - {id: b, duration: 3, subject: a dog}
"""


class Catalog:
    models = LOCAL_MODELS + CLOUD


def go(tmp: Path, deadline: datetime, notes: list[str] | None = None):  # type: ignore[no-untyped-def]
    file = tmp / "ad.yaml"
    file.write_text(PROJECT)
    providers = {"local": FakeProvider("local"), "cloud": FakeProvider("cloud")}
    result = run(
        file,
        providers=providers,
        catalog=Catalog(),
        hooks=hooks(FakeCutter()),
        auto_approve=True,
        deadline=deadline,
        on_event=lambda e: (
            notes.append(e.message) if notes is not None and e.kind == "note" else None
        ),
    )  # type: ignore[arg-type]
    return file, providers, result


def test_a_deadline_with_room_is_met_and_reported(tmp_path: Path) -> None:
    notes: list[str] = []
    _, providers, result = go(tmp_path, datetime.now(UTC) + timedelta(hours=6), notes)
    assert result.status == "done"
    assert result.deadline is not None and result.deadline["met"] is True
    assert result.deadline["lines"][0].startswith("deadline ")
    assert "predicted finish" in result.deadline["lines"][0]
    assert "first preview" in result.deadline["lines"][1]
    # room before the deadline: the hero shot got a third take, the plain shot kept two
    assert result.deadline["trades"] == [
        "shot a (hero): takes 2 -> 3 (room before the deadline; +$1.00)"
    ]
    assert len(providers["cloud"].submissions) == 3  # shot a: 3 takes on the cloud model
    assert notes[: len(result.deadline["lines"])] == result.deadline["lines"]


def test_a_deadline_already_past_is_said_and_the_plan_left_as_routed(tmp_path: Path) -> None:
    _, _, result = go(tmp_path, datetime.now(UTC) - timedelta(minutes=5))
    assert result.status == "done"
    assert result.deadline is not None and result.deadline["met"] is False
    assert result.deadline["trades"][0].startswith("predicted late even with every trade")
    assert "after the deadline" in result.deadline["lines"][0]


def test_a_run_without_a_deadline_still_joins_a_shared_studio_queue() -> None:
    assert DeadlineRun(None).slots is None
    queue = SlotQueue()
    shared = DeadlineRun(None, queue).slots
    assert shared is not None and shared.queue is queue


def test_two_projects_in_one_studio_queue_take_the_shared_slot_by_deadline(
    tmp_path: Path,
) -> None:
    import asyncio

    from shotrelay.relay.run import run_async

    narrow = [model("veo", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.95, concurrency=1)]

    class Shared:
        models = LOCAL_MODELS + narrow

    cloud = FakeProvider("cloud")
    cloud.running_polls = 3
    providers = {"local": FakeProvider("local"), "cloud": cloud}
    files = {}
    for name, shots in (("late", ["l1", "l2", "l3"]), ("early", ["e1", "e2", "e3"])):
        folder = tmp_path / name
        folder.mkdir()
        body = "".join(f"  - {{id: {s}, duration: 2, subject: a {s}, role: hero}}\n" for s in shots)
        files[name] = folder / f"{name}.yaml"
        files[name].write_text(f"name: {name}\nshots:\n{body}")
    now = datetime.now(UTC)
    due = {"late": now + timedelta(hours=8), "early": now + timedelta(hours=1)}
    queue = SlotQueue()

    async def both() -> None:
        results = await asyncio.gather(
            *(
                run_async(
                    files[name],
                    providers=providers,
                    catalog=Shared(),
                    hooks=hooks(FakeCutter()),
                    auto_approve=True,
                    deadline=due[name],
                    studio=queue,
                )  # type: ignore[arg-type]
                for name in ("late", "early")
            )
        )
        assert all(r.status == "done" for r in results)

    asyncio.run(both())
    order = [cloud.remote[rid].shot_id for rid in cloud.remote]
    assert sorted(order) == ["e1", "e2", "e3", "l1", "l2", "l3"]
    # One slot for both: after whichever job got there first, the early deadline's go first.
    rest = order[1:]
    assert [s for s in rest if s.startswith("e")] == rest[: len([s for s in rest if s[0] == "e"])]
