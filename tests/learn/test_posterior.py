"""Posteriors start at the catalog prior and move with evidence: ratings weigh more than
judged scores, newer evidence more than old, and a new model version starts again."""

from __future__ import annotations

from shotrelay.learn import Learning, Outcome, learn
from shotrelay.spec.vocabulary import Task
from shotrelay.testing import model

VEO = model("veo", "cloud", [Task.IMAGE_TO_VIDEO], score=0.9)  # api_model "api/veo"
DAY = 86400.0


def ev(value: float, kind: str = "judged", at: float = 0.0, version: str = "api/veo") -> Outcome:
    return Outcome(
        model="veo", version=version, shot_class="hero", axis="aesthetics", value=value,
        kind=kind, at=at,  # type: ignore[arg-type]
    )  # fmt: skip


def mean(outcomes: list[Outcome], now: float = 0.0) -> float:
    post = learn(outcomes, [VEO], now=now).get("veo", "hero", "aesthetics")
    assert post is not None
    return post.mean


def test_no_evidence_leaves_the_prior() -> None:
    assert learn([], [VEO]).get("veo", "hero", "aesthetics") is None


def test_the_update_is_a_weighted_mean_with_the_prior_as_pseudo_counts() -> None:
    cfg = Learning()
    expected = (cfg.prior_strength * 0.9 + 2 * 0.4) / (cfg.prior_strength + 2)
    assert abs(mean([ev(0.4), ev(0.4)]) - expected) < 1e-4


def test_a_rating_moves_the_posterior_more_than_a_judged_score() -> None:
    assert mean([ev(0.2, "rating")]) < mean([ev(0.2, "judged")]) < 0.9


def test_newer_evidence_weighs_more() -> None:
    now = 120 * DAY
    old_low_new_high = mean([ev(0.1, at=0.0), ev(1.0, at=now)], now=now)
    old_high_new_low = mean([ev(1.0, at=0.0), ev(0.1, at=now)], now=now)
    assert old_low_new_high > old_high_new_low


def test_a_new_model_version_starts_from_its_prior() -> None:
    assert (
        learn([ev(0.1, version="api/veo-old")] * 5, [VEO]).get("veo", "hero", "aesthetics") is None
    )


def test_the_reason_says_what_it_learned_from() -> None:
    post = learn([ev(0.5, "rating")] * 14, [VEO], now=0.0).get("veo", "hero", "aesthetics")
    assert post is not None
    assert post.reason().startswith("aesthetics 0.52, learned from 14 rated takes")
    assert post.reason().endswith("prior 0.90")
