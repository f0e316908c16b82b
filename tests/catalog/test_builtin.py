"""The built-in catalog loads, validates, covers every stage and carries its sources."""

from __future__ import annotations

from importlib import resources

import pytest
from ruamel.yaml import YAML

from shotrelay.catalog import Catalog, ModelStatus, PricingRule, builtin_models, load_catalog
from shotrelay.spec.vocabulary import AXES, Stage, Task

DIALECTS = {
    "runway", "veo", "sora", "kling", "luma", "hailuo", "pixverse", "seedance", "wan", "pika",
    "flux", "gpt-image", "finishing", "llm", "local", "plain",
}  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_env=False)


def test_builtin_has_thirty_plus_unique_rows(catalog: Catalog) -> None:
    ids = catalog.ids()
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_builtin_has_at_least_twelve_cloud_models(catalog: Catalog) -> None:
    assert len(catalog.filter(local=False)) >= 12


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_has_a_local_and_two_cloud_models(catalog: Catalog, stage: Stage) -> None:
    models = catalog.filter(stage=stage)
    local = [m for m in models if m.provider == "local"]
    cloud = [m for m in models if not m.local and m.status is ModelStatus.AVAILABLE]
    assert local, f"no local model for {stage}"
    assert len(cloud) >= 2, f"fewer than two cloud models for {stage}"


def test_planning_has_local_and_cloud_llms(catalog: Catalog) -> None:
    planners = catalog.filter(task=Task.PLAN)
    assert {"openai", "anthropic", "gemini", "ollama", "local"} <= {m.provider for m in planners}


def test_every_model_scores_every_axis_with_a_named_source(catalog: Catalog) -> None:
    for model in catalog:
        assert set(model.scores) == set(AXES), model.id
        for axis, score in model.scores.items():
            assert score.source.strip(), f"{model.id}.{axis} has no source"


def test_every_price_and_latency_names_its_source(catalog: Catalog) -> None:
    for model in catalog:
        assert model.pricing.source.strip(), model.id
        assert model.latency.source.strip(), model.id


def test_dialects_are_known_names(catalog: Catalog) -> None:
    assert {m.dialect for m in catalog} <= DIALECTS


def test_cloud_models_name_their_key_variables(catalog: Catalog) -> None:
    for model in catalog.filter(local=False):
        assert model.env, f"{model.id} names no environment variable"
        assert all(v.isupper() for v in model.env)


def test_embedded_default_rows_are_free_local_and_local_dialect(catalog: Catalog) -> None:
    local = catalog.filter(provider="local")
    expected = {
        "local-previs", "local-camera", "local-grade", "local-tts", "local-dub",
        "local-upscale", "local-interpolate", "local-planner",
    }  # fmt: skip
    assert {m.id for m in local} == expected
    for model in local:
        assert model.local
        assert model.pricing.rule is PricingRule.FREE
        assert model.dialect == "local"
        assert model.latency.estimate(4.0) < 30, f"{model.id} is not a few seconds"
        assert model.score("cost") > model.score("aesthetics")


def test_local_camera_takes_any_length_from_half_a_second_to_a_minute(catalog: Catalog) -> None:
    camera = catalog.get("local-camera")
    assert (camera.min_duration, camera.max_duration) == (0.5, 60)
    assert camera.clip_length(0.5) is not None
    assert camera.clip_length(60) == 60
    assert camera.clip_length(61) is None
    assert camera.inputs.first_frame and camera.inputs.seed and camera.inputs.camera_control
    assert "4k" in camera.resolutions


def test_local_dub_says_lips_do_not_move_and_scores_low(catalog: Catalog) -> None:
    dub = catalog.get("local-dub")
    assert "WITHOUT moving" in dub.notes
    cloud = [m for m in catalog.filter(task=Task.LIPSYNC) if not m.local]
    for axis in ("aesthetics", "motion", "continuity"):
        assert dub.score(axis) < min(m.score(axis) for m in cloud)


def test_sora_is_retired_and_gpt_image_1_is_absent(catalog: Catalog) -> None:
    assert catalog.get("sora-2").status is ModelStatus.RETIRED
    assert not [m for m in catalog if m.api_model == "gpt-image-1"]
    assert any(m.api_model.startswith("gpt-image-2") for m in catalog)


def test_geometry_stable_model_differs_from_the_prettiest(catalog: Catalog) -> None:
    generators = catalog.filter(stage=Stage.GENERATE, local=False)
    prettiest = max(generators, key=lambda m: m.score("aesthetics"))
    steadiest = max(generators, key=lambda m: m.score("geometry"))
    assert prettiest.id != steadiest.id
    runway, pixverse = catalog.get("runway-gen4.5"), catalog.get("pixverse-v5.5")
    assert runway.score("aesthetics") > pixverse.score("aesthetics")
    assert pixverse.score("geometry") > runway.score("geometry")


def test_fast_siblings_are_cheaper_and_faster(catalog: Catalog) -> None:
    for full, fast in [("veo-3.1", "veo-3.1-fast"), ("luma-ray-2", "luma-ray-flash-2")]:
        a, b = catalog.get(full), catalog.get(fast)
        assert a.family == b.family
        assert b.pricing.usd < a.pricing.usd
        assert b.latency.estimate(5) < a.latency.estimate(5)
        assert b.score("aesthetics") < a.score("aesthetics")


def test_per_second_price_estimates_seconds_times_rate_and_resolution(catalog: Catalog) -> None:
    veo = catalog.get("veo-3.1")
    assert veo.pricing.estimate(seconds=8, resolution="1080p").usd == pytest.approx(3.2)
    assert veo.pricing.estimate(seconds=8, resolution="4k").usd == pytest.approx(4.8)
    assert veo.pricing.estimate(seconds=4).usd == pytest.approx(1.6)


def test_fal_rows_map_each_task_to_its_endpoint(catalog: Catalog) -> None:
    kling = catalog.get("kling-v2.5-turbo")
    assert kling.endpoint(Task.TEXT_TO_VIDEO).endswith("/text-to-video")
    assert kling.endpoint(Task.IMAGE_TO_VIDEO).endswith("/image-to-video")
    assert catalog.get("veo-3.1").endpoint(Task.TEXT_TO_VIDEO) == "veo-3.1-generate-preview"


def test_builtin_rows_are_parsed_once() -> None:
    assert builtin_models() is builtin_models()
    first, second = load_catalog(use_env=False), load_catalog(use_env=False)
    assert first.get("veo-3.1") is second.get("veo-3.1")


def test_every_cloud_row_says_whether_failed_jobs_are_billed() -> None:
    """Read from the raw YAML: a default would hide a row nobody checked."""
    raw = YAML(typ="safe").load(
        resources.files("shotrelay.catalog").joinpath("builtin.yaml").read_text("utf-8")
    )
    cloud = [row for row in raw["models"] if row.get("provider") != "local"]
    assert cloud
    missing = [row["id"] for row in cloud if not isinstance(row.get("bills_failed"), bool)]
    assert missing == [], f"rows without an explicit bills_failed: {missing}"
    unverified = [
        row["id"]
        for row in cloud
        if row["bills_failed"] is False and "unverified" in str(row.get("notes", ""))
    ]
    assert unverified == [], f"unverified rows must choose bills_failed: true: {unverified}"
