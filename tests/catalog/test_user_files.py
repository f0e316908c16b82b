"""User catalog files add, override and remove models; bad files name file, line, field, fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shotrelay.catalog import ENV_VAR, CatalogFileError, load_catalog
from shotrelay.errors import CatalogError

NEW_MODEL = """\
models:
  - id: my-model
    provider: fal
    name: My Model
    api_model: fal-ai/my-model
    tasks: [image_to_video]
    durations: [5]
    pricing: {rule: per_second, usd: 0.02, source: our contract}
    latency: {base_s: 10, source: measured}
    scores:
      motion: {value: 0.9, source: team estimate}
"""


def write(tmp_path: Path, text: str, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error_for(tmp_path: Path, text: str) -> CatalogFileError:
    path = write(tmp_path, text)
    with pytest.raises(CatalogFileError) as info:
        load_catalog([path], use_env=False)
    assert info.value.file == str(path)
    return info.value


def test_override_changes_one_field_and_keeps_the_others(tmp_path: Path) -> None:
    base = load_catalog(use_env=False).get("veo-3.1")
    path = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 3\n")
    veo = load_catalog([path], use_env=False).get("veo-3.1")
    assert veo.concurrency == 3
    assert veo.model_copy(update={"concurrency": base.concurrency}) == base


def test_override_merges_nested_mappings(tmp_path: Path) -> None:
    text = """\
models:
  - id: veo-3.1
    pricing: {usd: 0.35}
    scores:
      aesthetics: {value: 0.5}
"""
    base = load_catalog(use_env=False).get("veo-3.1")
    veo = load_catalog([write(tmp_path, text)], use_env=False).get("veo-3.1")
    assert veo.pricing.usd == 0.35
    assert veo.pricing.rule == base.pricing.rule
    assert veo.pricing.source == base.pricing.source
    assert veo.pricing.resolution_factor == base.pricing.resolution_factor
    assert veo.score("aesthetics") == 0.5
    assert veo.scores["aesthetics"].source == base.scores["aesthetics"].source
    assert veo.scores["motion"] == base.scores["motion"]


def test_override_replaces_lists(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n  - id: veo-3.1\n    durations: [8]\n")
    assert load_catalog([path], use_env=False).get("veo-3.1").durations == [8]


def test_override_does_not_leak_into_later_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 3\n")
    load_catalog([path], use_env=False)
    assert load_catalog(use_env=False).get("veo-3.1").concurrency == 10


def test_adding_a_model(tmp_path: Path) -> None:
    catalog = load_catalog([write(tmp_path, NEW_MODEL)], use_env=False)
    mine = catalog.get("my-model")
    assert mine.provider == "fal"
    assert mine.score("motion") == 0.9
    assert mine.pricing.estimate(seconds=5).usd == pytest.approx(0.1)
    assert catalog.ids()[-1] == "my-model"
    assert catalog.sources == ["builtin", str(tmp_path / "catalog.yaml")]


def test_removing_models(tmp_path: Path) -> None:
    path = write(tmp_path, "remove: [sora-2, pika-2.2]\n")
    catalog = load_catalog([path], use_env=False)
    assert "sora-2" not in catalog
    assert "pika-2.2" not in catalog
    assert len(catalog) == len(load_catalog(use_env=False)) - 2


def test_remove_then_add_replaces_a_row_whole(tmp_path: Path) -> None:
    text = "remove: [my-model]\n" + NEW_MODEL.replace("durations: [5]", "concurrency: 2")
    catalog = load_catalog(
        [write(tmp_path, NEW_MODEL, "a.yaml"), write(tmp_path, text, "b.yaml")], use_env=False
    )
    mine = catalog.get("my-model")
    assert mine.durations == []
    assert mine.concurrency == 2


def test_later_files_win(tmp_path: Path) -> None:
    first = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 3\n", "a.yaml")
    second = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 5\n", "b.yaml")
    assert load_catalog([first, second], use_env=False).get("veo-3.1").concurrency == 5


def test_environment_variable_names_files_loaded_before_explicit_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_a = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 3\n", "a.yaml")
    env_b = write(tmp_path, "remove: [sora-2]\n", "b.yaml")
    explicit = write(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: 7\n", "c.yaml")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(env_a), "", str(env_b)]))
    catalog = load_catalog()
    assert catalog.get("veo-3.1").concurrency == 3
    assert "sora-2" not in catalog
    assert load_catalog([explicit]).get("veo-3.1").concurrency == 7
    assert "sora-2" in load_catalog(use_env=False)


def test_empty_file_changes_nothing(tmp_path: Path) -> None:
    catalog = load_catalog([write(tmp_path, "")], use_env=False)
    assert catalog.ids() == load_catalog(use_env=False).ids()


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    err = error_for(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: lots\n")
    assert err.line == 3
    assert err.field == "models[0].concurrency"
    assert "wrong type" in err.message
    assert err.fix and "integer" in err.fix
    assert str(err).startswith(f"{err.file}:3: models[0].concurrency:")


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    text = "models:\n  - id: veo-3.1\n    concurrency: 2\n    pricng: {usd: 1}\n"
    err = error_for(tmp_path, text)
    assert (err.line, err.field) == (4, "models[0].pricng")
    assert "unknown field 'pricng'" in err.message
    assert err.fix == "did you mean 'pricing'?"


def test_unknown_nested_field_is_located(tmp_path: Path) -> None:
    text = "models:\n  - id: veo-3.1\n  - id: pika-2.2\n    pricing:\n      usdd: 1\n"
    err = error_for(tmp_path, text)
    assert (err.line, err.field) == (5, "models[1].pricing.usdd")
    assert err.fix == "did you mean 'usd'?"


def test_out_of_range_value_in_a_new_model(tmp_path: Path) -> None:
    err = error_for(tmp_path, NEW_MODEL.replace("value: 0.9", "value: 1.5"))
    assert (err.line, err.field) == (11, "models[0].scores.motion.value")
    assert "out of range" in err.message


def test_partial_row_for_a_mistyped_id_suggests_the_existing_one(tmp_path: Path) -> None:
    err = error_for(tmp_path, "models:\n  - id: veo-31\n    concurrency: 2\n")
    assert err.line == 2
    assert err.fix and "no model 'veo-31' to override" in err.fix and "'veo-3.1'" in err.fix


def test_removing_an_unknown_id_suggests_the_close_one(tmp_path: Path) -> None:
    err = error_for(tmp_path, "remove:\n  - sora-2\n  - runway-gen45\n")
    assert (err.line, err.field) == (3, "remove[1]")
    assert err.fix and "'runway-gen4.5'" in err.fix


def test_unknown_top_level_key_suggests_models(tmp_path: Path) -> None:
    err = error_for(tmp_path, "remove: []\nmodel:\n  - id: veo-3.1\n")
    assert (err.line, err.field) == (2, "model")
    assert err.fix and "'models'" in err.fix


def test_entry_without_id_is_refused(tmp_path: Path) -> None:
    err = error_for(tmp_path, "models:\n  - id: veo-3.1\n  - provider: fal\n")
    assert (err.line, err.field) == (3, "models[1].id")


def test_models_must_be_a_list(tmp_path: Path) -> None:
    err = error_for(tmp_path, "models:\n  id: veo-3.1\n")
    assert err.field == "models"


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, "models:\n  - id: veo-3.1\n    concurrency: [1\n")
    assert err.line is not None and err.line >= 3
    assert "YAML syntax error" in err.message


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="file not found"):
        load_catalog([tmp_path / "nope.yaml"], use_env=False)


def test_the_example_in_the_docs_loads(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "catalog.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    catalog = load_catalog([write(tmp_path, example)], use_env=False)
    assert "sora-2" not in catalog
    assert catalog.get("veo-3.1").concurrency == 4
    assert catalog.get("veo-3.1").pricing.estimate(seconds=8).usd == pytest.approx(2.8)
    assert catalog.get("studio-i2v").score("geometry") == 0.9
