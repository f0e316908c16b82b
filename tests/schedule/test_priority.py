"""Least-slack priorities on tiny, hand-checked task graphs."""

from __future__ import annotations

import math

from shotrelay.schedule.priority import ProjectTerms, edf_keys, slack_keys, tails
from shotrelay.schedule.tasks import Task


def task(tid: str, seconds: float, *deps: str, project: str = "p", order: int = 0) -> Task:
    return Task(
        id=tid,
        project=project,
        shot=f"s{order}",
        order=order,
        model="m",
        seconds=seconds,
        deps=deps,
    )


def test_tail_is_own_duration_plus_longest_chain_after() -> None:
    # a(10) -> b(20) -> d(5); a -> c(1) -> d
    tasks = [task("a", 10), task("b", 20, "a"), task("c", 1, "a"), task("d", 5, "b", "c")]
    assert tails(tasks) == {"a": 35, "b": 25, "c": 6, "d": 5}


def test_the_head_of_a_long_chain_goes_before_a_short_job_with_the_same_deadline() -> None:
    # deadline 100: a starts by 100 - 30 = 70, c by 100 - 5 = 95 -> a first.
    tasks = [task("a", 10), task("b", 20, "a"), task("c", 5)]
    keys = slack_keys(tasks, {"p": ProjectTerms(deadline=100)}, preview=0)
    assert keys["a"][3] == 70 and keys["c"][3] == 95
    assert sorted(keys, key=keys.__getitem__) == ["a", "b", "c"]


def test_an_early_deadline_passes_a_late_one_and_no_deadline_goes_last() -> None:
    tasks = [
        task("late", 10, project="x"),
        task("early", 10, project="y"),
        task("never", 10, project="z"),
    ]
    terms = {"x": ProjectTerms(deadline=500), "y": ProjectTerms(deadline=50)}
    keys = slack_keys(tasks, terms, preview=0)
    assert sorted(keys, key=keys.__getitem__) == ["early", "late", "never"]
    assert keys["never"][1] == math.inf


def test_a_long_late_project_does_not_hold_back_a_short_early_one() -> None:
    # "long" has far less slack (start by 1000 - 990 = 10) than "short" (start by 200 - 5),
    # but "short" is due first: it goes first, as its deadline says.
    tasks = [task("long", 990, project="x"), task("short", 5, project="y")]
    terms = {"x": ProjectTerms(deadline=1000), "y": ProjectTerms(deadline=200)}
    keys = slack_keys(tasks, terms, preview=0)
    assert keys["short"] < keys["long"]


def test_on_equal_deadlines_the_heavier_project_goes_first() -> None:
    tasks = [task("a", 50, project="light"), task("b", 10, project="heavy")]
    terms = {
        "light": ProjectTerms(deadline=100),
        "heavy": ProjectTerms(deadline=100, weight=2.0),
    }
    keys = slack_keys(tasks, terms, preview=0)
    assert keys["b"] < keys["a"]


def test_preview_staggers_shots_so_the_first_shot_leads() -> None:
    # Two shots with the same work: without preview they tie on slack (cut order breaks it);
    # with preview 1 the first shot is due at half the window.
    tasks = [task("s0", 10, order=0), task("s1", 10, order=1)]
    terms = {"p": ProjectTerms(deadline=100, shots=2)}
    flat = slack_keys(tasks, terms, preview=0)
    assert flat["s0"][3] == flat["s1"][3] == 90 and flat["s0"] < flat["s1"]
    staggered = slack_keys(tasks, terms, preview=1.0)
    assert staggered["s0"][3] == 40 and staggered["s1"][3] == 90


def test_demoted_projects_go_after_every_other_one() -> None:
    tasks = [task("hopeless", 10, project="x"), task("fine", 10, project="y")]
    terms = {"x": ProjectTerms(deadline=1), "y": ProjectTerms(deadline=1000)}
    keys = slack_keys(tasks, terms, preview=0, demoted=["x"])
    assert keys["fine"] < keys["hopeless"]


def test_edf_orders_by_project_deadline_then_cut_order() -> None:
    tasks = [task("b", 1, project="x", order=1), task("a", 99, project="x", order=0)]
    tasks.append(task("c", 1, project="y"))
    keys = edf_keys(tasks, {"x": ProjectTerms(deadline=10), "y": ProjectTerms(deadline=20)})
    assert sorted(keys, key=keys.__getitem__) == ["a", "b", "c"]
