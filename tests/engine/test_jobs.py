"""Cache keys and seeds."""

from __future__ import annotations

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
