"""A class of shot routes on the priors until it holds ``Learning.min_takes`` takes: a take
or two judged with noise is not clear evidence, so early shots route as priors only would."""

from __future__ import annotations

from shotrelay.learn import Learning, Outcome, learn
from shotrelay.route import route_project
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Role, Stage, Task
from shotrelay.testing import LOCAL_MODELS, model

FAVOURITE = model("favourite", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.9)
OTHER = model("other", "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=0.8)
MODELS = [*(m for m in LOCAL_MODELS if m.id != "local-camera"), FAVOURITE, OTHER]
NEED = Learning().min_takes


def poor_takes(n: int, rated: bool = True) -> list[Outcome]:
    """``n`` takes of the favourite on b-roll, each judged poor and (when ``rated``) rated."""
    out = []
    for i in range(n):
        kinds = ("judged", "rating") if rated else ("judged",)
        for kind in kinds:
            for axis in ("aesthetics", "motion"):
                out.append(
                    Outcome(
                        model="favourite", version="api/favourite", shot_class="b-roll",
                        axis=axis, value=0.1, kind=kind, at=float(i),  # type: ignore[arg-type]
                    )
                )  # fmt: skip
    return out


def chosen(outcomes: list[Outcome], settings: Learning | None = None) -> tuple[str, list[str]]:
    project = Project(name="p", shots=[Shot(id="a", duration=5, role=Role.BROLL, subject="x")])
    learned = learn(outcomes, MODELS, now=10.0, settings=settings)
    st = route_project(project, MODELS, learned=learned).shots[0].stage(Stage.GENERATE)
    assert st is not None
    return st.model, st.reasons


def test_the_default_waits_for_more_than_one_take() -> None:
    assert NEED > 1


def test_fewer_takes_than_needed_route_as_priors_only_and_say_why() -> None:
    mid, reasons = chosen(poor_takes(NEED - 1))
    assert mid == "favourite"
    assert any(r.endswith("routed on the prior until 1 more takes of this class") for r in reasons)


def test_enough_takes_move_the_route() -> None:
    mid, reasons = chosen(poor_takes(NEED))
    assert mid == "other"
    assert not any("routed on the prior" in r for r in reasons)


def test_a_rated_take_that_was_also_judged_counts_once() -> None:
    post = learn(poor_takes(NEED - 1, rated=True), MODELS, now=10.0).get(
        "favourite", "b-roll", "aesthetics"
    )
    assert post is not None and post.waiting == 1 and post.value == post.prior
    assert post.mean < post.prior  # the evidence is kept, it just does not route yet


def test_without_the_gate_one_take_moves_the_route() -> None:
    assert chosen(poor_takes(1), Learning(min_takes=0, sample=0.0))[0] == "other"
