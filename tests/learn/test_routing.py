"""The router routes on learned posteriors by default and says so; --priors-only does not."""

from __future__ import annotations

import time
from pathlib import Path

from shotrelay.learn import Outcome, OutcomeStore, learn
from shotrelay.route import route_project
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Role, Stage, Task
from shotrelay.testing import LOCAL_MODELS, model

GOOD = model("shiny", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.9)
PLAIN = model("steady", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.8)
MODELS = [*LOCAL_MODELS, GOOD, PLAIN]


def project() -> Project:
    return Project(name="ad", shots=[Shot(id="a", duration=4, role=Role.HERO, subject="a cup")])


def bad_reviews(n: int = 14) -> list[Outcome]:
    return [
        Outcome(
            model="shiny", version="api/shiny", shot_class="hero", axis=axis, value=0.2,
            kind="rating", at=float(i),
        )
        for i in range(n)
        for axis in ("aesthetics", "motion", "geometry")
    ]  # fmt: skip


def generate(plan_: object) -> tuple[str, list[str]]:
    st = plan_.shots[0].stage(Stage.GENERATE)  # type: ignore[attr-defined]
    return st.model, st.reasons


def test_priors_pick_the_catalog_favourite() -> None:
    chosen, reasons = generate(route_project(project(), MODELS))
    assert chosen == "shiny"
    assert not any("learned from" in r for r in reasons)


def test_evidence_moves_the_route_and_the_reason_says_so() -> None:
    learned = learn(bad_reviews(), MODELS, now=14.0)
    chosen, _ = generate(route_project(project(), MODELS, learned=learned))
    assert chosen == "steady"
    plan_ = route_project(project(), MODELS, learned=learned, explain=True)
    assert plan_.shots[0].stage(Stage.GENERATE) is not None


def test_the_chosen_models_learned_axes_are_in_its_reasons() -> None:
    good = [o.model_copy(update={"value": 0.95}) for o in bad_reviews()]
    _, reasons = generate(route_project(project(), MODELS, learned=learn(good, MODELS, now=14.0)))
    assert any(r.startswith("aesthetics 0.95, learned from 14 rated takes") for r in reasons)


def test_route_file_learns_by_default_and_priors_only_turns_it_off(tmp_path: Path) -> None:
    from shotrelay.api import route_file
    from shotrelay.catalog.loader import load_catalog

    file = tmp_path / "ad.yaml"
    file.write_text("name: ad\nshots:\n  - {id: a, duration: 4, role: hero, subject: a cup}\n")
    favourite, _ = generate(route_file(file))
    row = next(m for m in load_catalog().models if m.id == favourite)
    OutcomeStore().add(
        o.model_copy(update={"model": favourite, "version": row.api_model, "at": time.time()})
        for o in bad_reviews()
    )
    chosen, reasons = generate(route_file(file))
    assert chosen != favourite, reasons
    assert generate(route_file(file, priors_only=True))[0] == favourite
