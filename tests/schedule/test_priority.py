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
    assert keys["a"][1] == 70 and keys["c"][1] == 95
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


def test_weight_shrinks_positive_slack_and_deepens_negative_slack() -> None:
    tasks = [task("a", 10, project="light"), task("b", 10, project="heavy")]
    terms = {
        "light": ProjectTerms(deadline=100),  # slack 90
        "heavy": ProjectTerms(deadline=170, weight=2.0),  # slack 160 / 2 = 80
    }
    keys = slack_keys(tasks, terms, preview=0)
    assert keys["b"][1] == 80 and keys["a"][1] == 90
    late = slack_keys(
        tasks,
        {"light": ProjectTerms(deadline=0), "heavy": ProjectTerms(deadline=0, weight=2.0)},
        preview=0,
    )
    assert late["b"][1] == -20 and late["a"][1] == -10


def test_preview_staggers_shots_so_the_first_shot_leads() -> None:
    # Two shots with the same work: without preview they tie on slack (cut order breaks it);
    # with preview 1 the first shot is due at half the window.
    tasks = [task("s0", 10, order=0), task("s1", 10, order=1)]
    terms = {"p": ProjectTerms(deadline=100, shots=2)}
    flat = slack_keys(tasks, terms, preview=0)
    assert flat["s0"][1] == flat["s1"][1] == 90 and flat["s0"] < flat["s1"]
    staggered = slack_keys(tasks, terms, preview=1.0)
    assert staggered["s0"][1] == 40 and staggered["s1"][1] == 90


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
