"""Catalog lookups: by id with suggestions, by task, provider, locality and stage."""

from __future__ import annotations

import pytest

from shotrelay.catalog import Catalog, ModelProfile
from shotrelay.errors import CatalogError
from shotrelay.spec.vocabulary import Stage, Task


def model(model_id: str, provider: str = "fal", tasks: tuple[str, ...] = ("image_to_video",),
          local: bool = False) -> ModelProfile:  # fmt: skip
    return ModelProfile.model_validate(
        {
            "id": model_id,
            "provider": provider,
            "name": model_id.title(),
            "api_model": model_id,
            "tasks": list(tasks),
            "pricing": {"rule": "free" if local else "per_second", "usd": 0 if local else 0.1},
            "latency": {"base_s": 1},
            "local": local,
        }
    )


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        [
            model("alpha-video", "fal"),
            model("beta-video", "runway", ("text_to_video", "image_to_video")),
            model("gamma-image", "runway", ("text_to_image",)),
            model("local-cam", "local", ("image_to_video",), local=True),
        ],
        sources=["test"],
    )


def test_get_returns_the_model_by_id(catalog: Catalog) -> None:
    assert catalog.get("beta-video").provider == "runway"


def test_get_unknown_id_suggests_the_close_one(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="did you mean 'alpha-video'"):
        catalog.get("alpha-vidoe")


def test_get_unknown_id_without_a_close_one_says_so(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="no close match") as info:
        catalog.get("zzz")
    assert "did you mean" not in str(info.value)


def test_filter_by_task_provider_and_locality(catalog: Catalog) -> None:
    assert [m.id for m in catalog.filter(task=Task.TEXT_TO_VIDEO)] == ["beta-video"]
    assert [m.id for m in catalog.filter(task="image_to_video", provider="runway")] == [
        "beta-video"
    ]
    assert [m.id for m in catalog.filter(local=True)] == ["local-cam"]
    assert len(catalog.filter(local=False)) == 3


def test_filter_by_stage_takes_any_task_of_the_stage(catalog: Catalog) -> None:
    generate = [m.id for m in catalog.filter(stage=Stage.GENERATE)]
    assert generate == ["alpha-video", "beta-video", "local-cam"]
    assert [m.id for m in catalog.filter(stage="keyframe")] == ["gamma-image"]
    assert catalog.filter(stage=Stage.GENERATE, task=Task.TEXT_TO_IMAGE) == []


def test_filter_with_an_unknown_task_suggests_the_right_name(catalog: Catalog) -> None:
    with pytest.raises(CatalogError, match="did you mean 'image_to_video'"):
        catalog.filter(task="image-to-video")


def test_providers_are_sorted_and_unique(catalog: Catalog) -> None:
    assert catalog.providers() == ["fal", "local", "runway"]


def test_container_protocol(catalog: Catalog) -> None:
    assert len(catalog) == 4
    assert "gamma-image" in catalog
    assert "delta" not in catalog
    assert catalog.get("alpha-video") in catalog
    assert [m.id for m in catalog] == catalog.ids()


def test_models_is_a_copy_so_the_catalog_stays_consistent(catalog: Catalog) -> None:
    catalog.models.clear()
    assert len(catalog) == 4


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(CatalogError, match="duplicate model id 'a'"):
        Catalog([model("a"), model("a")])
