"""The forecast: a priority list schedule against per-model slots, and the lower bounds."""

from __future__ import annotations

from shotrelay.schedule.predict import capacity_bound, critical_path, list_schedule
from shotrelay.schedule.priority import Key
from shotrelay.schedule.tasks import Task


def task(tid: str, seconds: float, *deps: str, model: str = "m", shot: str = "s") -> Task:
    return Task(id=tid, project="p", shot=shot, order=0, model=model, seconds=seconds, deps=deps)


def keys(*order: str) -> dict[str, Key]:
    return {t: (0.0, 0.0, 0.0, float(i), 0, t) for i, t in enumerate(order)}


def test_two_slots_three_jobs_the_best_two_start_and_the_third_waits() -> None:
    # Keys rank c, a, b. Slots: 2. c (30 s) and a (10 s) start at 0; b starts when a ends.
    tasks = [task("a", 10), task("b", 10), task("c", 30)]
    fc = list_schedule(tasks, {"m": 2}, keys("c", "a", "b"))
    assert fc.tasks == {"a": 10, "b": 20, "c": 30}
    assert fc.makespan == 30


def test_free_steps_take_no_slot_and_successors_follow_their_deps() -> None:
    tasks = [
        task("k", 5, shot="s1"),
        task("g", 20, "k", shot="s1"),
        task("sel", 0, "g", model="", shot="s1"),
        task("u", 7, "sel", model="up", shot="s1"),
    ]
    fc = list_schedule(tasks, {"m": 1, "up": 1}, keys("k", "g", "sel", "u"), inflate=2.0)
    assert fc.tasks == {"k": 10, "g": 50, "sel": 50, "u": 64}
    assert fc.shots[("p", "s1")] == 64 and fc.first_preview("p", "s1") == 64


def test_lower_bounds() -> None:
    tasks = [task("a", 10), task("b", 20, "a"), task("c", 5)]
    assert critical_path(tasks) == 30
    assert critical_path(tasks, {"a": 1, "b": 2, "c": 50}) == 50
    assert capacity_bound({"m": 90, "n": 10}, {"m": 3, "n": 1}) == 30
