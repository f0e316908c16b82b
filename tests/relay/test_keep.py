"""Finished paid shots keep their route: a later run that would route them elsewhere pays
nothing again, until the shot is edited or redone."""

from __future__ import annotations

from pathlib import Path

from shotrelay.relay.actions import redo
from shotrelay.relay.run import run
from shotrelay.spec.vocabulary import Task
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks, model

PROJECT = """name: ad
shots:
  - {{id: a, duration: 2, subject: {subject}, role: hero}}
"""


class Catalog:
    def __init__(self, best: str) -> None:
        scores = {"alpha": 0.6, "beta": 0.6, best: 0.95}
        self.models = LOCAL_MODELS + [
            model(m, "cloud", [Task.IMAGE_TO_VIDEO], usd=1.0, score=s) for m, s in scores.items()
        ]


def go(file: Path, cloud: FakeProvider, best: str, **kw: object):  # type: ignore[no-untyped-def]
    return run(
        file,
        providers={"local": FakeProvider("local"), "cloud": cloud},
        catalog=Catalog(best),
        hooks=hooks(FakeCutter()),
        auto_approve=True,
        **kw,
    )  # type: ignore[arg-type]


def generated(cloud: FakeProvider) -> list[str]:
    return [r.model.id for r in cloud.remote.values()]


def test_a_finished_paid_shot_keeps_its_route_until_edited_or_redone(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT.format(subject="a cat"))
    cloud = FakeProvider("cloud")
    assert go(file, cloud, best="alpha").status == "done"
    assert generated(cloud) == ["alpha"]

    # The catalog now prefers beta: routing afresh would generate the shot again.
    again = go(file, cloud, best="beta")
    assert again.status == "done" and generated(cloud) == ["alpha"]
    assert any("keeps the route it was generated on (alpha)" in n for n in again.plan.notes)

    # A redo of its generate stage routes it afresh.
    redone = redo(
        file,
        "a",
        "generate",
        providers={"local": FakeProvider("local"), "cloud": cloud},
        catalog=Catalog("beta"),
        hooks=hooks(FakeCutter()),
    )
    assert redone.status == "done" and generated(cloud) == ["alpha", "beta"]

    # So does an edit of the shot.
    file.write_text(PROJECT.format(subject="a dog"))
    assert go(file, cloud, best="alpha").status == "done"
    assert generated(cloud) == ["alpha", "beta", "alpha"]
