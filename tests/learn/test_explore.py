"""Learning explores: seeded Thompson draws let a model the priors rank low be tried (and
kept when it proves better), never on hero shots, and the same outcomes route the same way."""

from __future__ import annotations

import random

from shotrelay.learn import Learning, Outcome, learn
from shotrelay.route import route_project
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Role, Stage, Task
from shotrelay.testing import LOCAL_MODELS, model

FAVOURITE = model("favourite", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.9)
UNDERDOG = model("underdog", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.8)
MODELS = [*(m for m in LOCAL_MODELS if m.id != "local-camera"), FAVOURITE, UNDERDOG]
#: The hidden truth: the priors have the two the wrong way round.
TRUTH = {"favourite": 0.7, "underdog": 0.95}
#: Takes of a class before its evidence counts (and its models are drawn for).
TAKES = Learning().min_takes


def judged(mid: str, role: Role, value: float, at: float) -> list[Outcome]:
    return [
        Outcome(
            model=mid, version=f"api/{mid}", shot_class=role.value, axis=axis, value=value,
            kind="judged", at=at,
        )
        for axis in ("aesthetics", "motion")
    ]  # fmt: skip


def chosen(role: Role, outcomes: list[Outcome], settings: Learning) -> str:
    project = Project(name="p", shots=[Shot(id="a", duration=5, role=role, subject="a cup")])
    learned = learn(outcomes, MODELS, settings=settings, now=0.0) if outcomes else None
    st = route_project(project, MODELS, learned=learned).shots[0].stage(Stage.GENERATE)
    assert st is not None
    return st.model


def simulate(role: Role, shots: int, settings: Learning) -> list[str]:
    """Route one shot at a time; each is judged (with noise) and the evidence kept."""
    rng = random.Random(3)
    outcomes: list[Outcome] = []
    picks = []
    for _ in range(shots):
        mid = chosen(role, outcomes, settings)
        picks.append(mid)
        outcomes += judged(mid, role, min(1.0, TRUTH[mid] + rng.gauss(0, 0.05)), 0.0)
    return picks


def test_an_underdog_is_tried_and_kept_once_it_proves_better() -> None:
    picks = simulate(Role.BROLL, 40, Learning())
    assert picks[0] == "favourite"
    assert "underdog" in picks[:25]
    assert picks[-10:].count("underdog") >= 8


def test_without_draws_the_underdog_is_never_tried_while_the_favourite_still_leads() -> None:
    # the favourite's record falls to 0.7 yet its mean stays above the underdog's prior
    # for long enough: greedy routing learns nothing about the underdog
    greedy = Learning(sample=0.0, prior_strength=40.0)
    assert "underdog" not in simulate(Role.BROLL, 20, greedy)


def test_hero_shots_are_never_explored() -> None:
    outcomes = judged("favourite", Role.HERO, 0.9, 0.0) * 3
    learned = learn(outcomes, MODELS, now=0.0)
    for mid in ("favourite", "underdog"):
        post = learned.get(mid, "hero", "aesthetics")
        assert post is not None and post.value == min(1.0, post.mean)


def test_the_same_outcomes_and_seed_route_the_same_way_and_another_seed_draws_anew() -> None:
    outcomes = judged("favourite", Role.BROLL, 0.8, 0.0) * TAKES
    a = learn(outcomes, MODELS, now=0.0).table
    b = learn(outcomes, MODELS, now=0.0).table
    assert {k: p.value for k, p in a.items()} == {k: p.value for k, p in b.items()}
    other = learn(outcomes, MODELS, now=0.0, settings=Learning(seed=1)).table
    assert any(other[k].value != p.value for k, p in a.items())


def test_new_evidence_in_a_class_gives_fresh_draws() -> None:
    one = learn(judged("favourite", Role.BROLL, 0.8, 0.0) * TAKES, MODELS, now=0.0)
    two = learn(judged("favourite", Role.BROLL, 0.8, 0.0) * (TAKES + 1), MODELS, now=0.0)
    post1, post2 = one.get("underdog", "b-roll", "motion"), two.get("underdog", "b-roll", "motion")
    assert post1 is not None and post2 is not None
    assert post1.mean == post2.mean == 0.8  # untried: still its prior
    assert post1.value != post2.value


def test_the_reason_says_when_a_model_is_tried_to_explore() -> None:
    outcomes = judged("underdog", Role.BROLL, 0.8, 0.0) * TAKES
    for seed in range(40):
        post = learn(outcomes, MODELS, now=0.0, settings=Learning(seed=seed)).get(
            "underdog", "b-roll", "aesthetics"
        )
        assert post is not None
        if post.value > post.mean:
            assert post.reason().endswith(f"tried at {post.value:.2f} to explore")
            return
    raise AssertionError("no draw above the mean in 40 seeds")
