"""Cache keys and seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.engine.jobs import Job, derive_seed
from shotrelay.spec.vocabulary import Task


def _job(**kw: object) -> Job:
    base: dict[str, object] = dict(
        node="s1/generate/t1",
        shot_id="s1",
        step="generate",
        take=1,
        model="m",
        api_model="api/m",
        task=Task.IMAGE_TO_VIDEO,
        prompt="a cat",
        seed=7,
        inputs={"first_frame": "job:abc"},
        params={"clip_seconds": 4},
    )
    base.update(kw)
    return Job.model_validate(base)


def test_key_is_stable_and_ignores_node_name() -> None:
    assert _job().key == _job(node="elsewhere").key
    assert len(_job().key) == 64


def test_key_changes_with_everything_that_shapes_the_output() -> None:
    base = _job().key
    for change in (
        {"prompt": "a dog"},
        {"negative": "blur"},
        {"seed": 8},
        {"model": "n"},
        {"api_model": "api/m2"},
        {"params": {"clip_seconds": 5}},
        {"inputs": {"first_frame": "job:abd"}},
        {"revision": 1},
        {"step": "edit"},
    ):
        assert _job(**change).key != base, change


def test_seeds_are_deterministic_and_differ_by_take_and_redo() -> None:
    assert derive_seed("p", "s1", 1) == derive_seed("p", "s1", 1)
    seeds = {
        derive_seed("p", "s1", 1),
        derive_seed("p", "s1", 2),
        derive_seed("p", "s2", 1),
        derive_seed("p", "s1", 1, 1),
    }
    assert len(seeds) == 4
    assert all(0 <= s < 2**31 for s in seeds)


def test_each_take_reserves_its_share_and_the_keyframe_is_priced_once(tmp_path: Path) -> None:
    from shotrelay.catalog import load_catalog
    from shotrelay.engine import ArtifactStore
    from shotrelay.relay import build_graph
    from shotrelay.route import route_project
    from shotrelay.spec.models import Project, Shot
    from shotrelay.spec.vocabulary import Stage

    models = load_catalog(use_env=False).models
    one = Project(name="t", takes=1, shots=[Shot(duration=5, subject="a kettle", role="hero")])
    three = one.model_copy(update={"takes": 3})
    plan1, plan3 = route_project(one, models), route_project(three, models)
    gen1, gen3 = plan1.shots[0].stage(Stage.GENERATE), plan3.shots[0].stage(Stage.GENERATE)
    key1, key3 = plan1.shots[0].stage(Stage.KEYFRAME), plan3.shots[0].stage(Stage.KEYFRAME)
    assert gen1 and gen3 and key1 and key3 and gen1.model == gen3.model
    assert gen3.cost.usd == pytest.approx(3 * gen1.cost.usd)
    assert key3.cost.usd == pytest.approx(key1.cost.usd)  # one keyframe for all takes

    graph = build_graph(
        three,
        plan3,
        {m.id: m for m in models},
        store=ArtifactStore(tmp_path / "store"),
        compile=lambda stage, shot, project, model, packet: ("p", ""),
        packets=lambda _s: _NoPacket(),
    )
    takes = [n for n in graph.nodes.values() if n.step == "generate"]
    assert len(takes) == 3
    for node in takes:
        assert node.estimate is not None
        assert node.estimate.usd == pytest.approx(gen1.cost.usd)
        assert "takes" not in node.estimate.rule


class _NoPacket:
    def __init__(self) -> None:
        self.reference_images: list[Path] = []
        self.handoff = False


def test_tagged_references_carry_their_tags_in_input_order(tmp_path: Path) -> None:
    from PIL import Image

    from shotrelay.catalog import load_catalog
    from shotrelay.continuity.ledger import ContinuityLedger
    from shotrelay.engine import ArtifactStore
    from shotrelay.engine.store import sha256_file
    from shotrelay.relay import build_graph
    from shotrelay.route import route_project
    from shotrelay.spec.loader import load_project

    for name, colour in (("leo", "blue"), ("maya", "red")):
        Image.new("RGB", (8, 8), colour).save(tmp_path / f"{name}.png")
    (tmp_path / "p.yaml").write_text(
        "name: t\n"
        "characters:\n"
        "  - {name: Maya, references: [maya.png]}\n"
        "  - {name: Leo, references: [leo.png]}\n"
        "shots:\n"
        "  - {id: s1, duration: 5, subject: Leo hands Maya a phone, characters: [Leo, Maya],\n"
        "     models: {keyframe: runway-gen4-image}}\n"
    )
    project = load_project(tmp_path / "p.yaml")
    models = load_catalog(use_env=False).models
    plan = route_project(project, models)
    store = ArtifactStore(tmp_path / "store")
    graph = build_graph(
        project,
        plan,
        {m.id: m for m in models},
        store=store,
        compile=lambda stage, shot, project, model, packet: ("p", ""),
        packets=ContinuityLedger(project).packet,
    )
    key = graph.nodes["s1/keyframe"]
    tags = key.params.reference_tags
    files = {sha256_file(tmp_path / f"{n}.png"): n for n in ("leo", "maya")}
    by_input = [files[key.inputs[f"reference_{i}"].removeprefix("sha256:")] for i in range(2)]
    assert tags == by_input  # each image carries its own character's tag


def test_a_fallback_is_priced_at_the_clip_length_it_renders() -> None:
    from shotrelay.catalog import load_catalog
    from shotrelay.catalog.calls import call_cost as estimate_cost
    from shotrelay.catalog.params import CallParams

    by_id = {m.id: m for m in load_catalog(use_env=False).models}
    sora = by_id["sora-2"]
    # Routed on a model that renders 6 s; Sora can only render 4, 8 or 12 s, billed as such.
    est = estimate_cost(sora, CallParams(seconds=6.0, clip_seconds=6.0))
    assert est.usd == pytest.approx(sora.pricing.estimate(seconds=8.0).usd)
