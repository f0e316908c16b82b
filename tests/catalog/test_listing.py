"""Table rows for `shotrelay models`: every cell as text, strengths ranked."""

from __future__ import annotations

from typing import Any

from shotrelay.catalog import Catalog, ModelProfile, load_catalog, model_rows
from shotrelay.catalog.listing import duration_text, latency_text, price_text, strengths
from shotrelay.catalog.profile import Pricing


def profile(**fields: Any) -> ModelProfile:
    row: dict[str, Any] = {
        "id": "m",
        "provider": "fal",
        "name": "M",
        "api_model": "m",
        "tasks": ["image_to_video"],
        "pricing": {"rule": "per_second", "usd": 0.1},
        "latency": {"base_s": 30, "per_output_second_s": 6},
    }
    row.update(fields)
    return ModelProfile.model_validate(row)


def test_rows_follow_the_task_and_provider_filters() -> None:
    catalog = load_catalog(use_env=False)
    rows = model_rows(catalog, task="lipsync", provider="local")
    assert [r.id for r in rows] == ["local-dub"]
    assert rows[0].price == "free"
    assert all("tts" in r.tasks for r in model_rows(catalog, task="tts"))


def test_row_of_a_video_model_shows_its_limits_and_price() -> None:
    row = model_rows(Catalog([load_catalog(use_env=False).get("veo-3.1")]))[0]
    assert row.durations == "4/6/8 s"
    assert row.resolutions == "720p, 1080p, 4k"
    assert row.price == "$0.4/s (4k x1.5)"
    assert row.status == "available"
    assert row.strengths[0] == "aesthetics"


def test_duration_text_for_discrete_range_and_unbounded() -> None:
    assert duration_text(profile(durations=[10, 5])) == "5/10 s"
    assert duration_text(profile(min_duration=0.5, max_duration=60)) == "0.5-60 s"
    assert duration_text(profile()) == "any"
    assert duration_text(profile(tasks=["upscale"])) == "-"


def test_price_text_per_rule() -> None:
    assert price_text(Pricing(rule="free")) == "free"
    assert price_text(Pricing(rule="per_image", usd=0.025)) == "$0.025/image"
    assert price_text(Pricing(rule="per_1k_chars", usd=0.18)) == "$0.18/1k chars"
    assert price_text(Pricing(rule="per_1m_tokens", usd=4)) == "$4/1M tokens"
    assert price_text(Pricing(rule="per_clip", usd=0.21)) == "$0.21/clip"


def test_latency_text_uses_a_typical_clip_for_clip_models() -> None:
    assert latency_text(profile(durations=[8])) == "~1m 18s per 8 s"
    assert latency_text(profile(latency={"base_s": 0.8})) == "~0.8 s"
    assert latency_text(profile(latency={"base_s": 25})) == "~25 s"


def test_strengths_are_the_best_axes_above_the_floor_highest_first() -> None:
    scores = {
        "aesthetics": {"value": 0.8, "source": "t"},
        "motion": {"value": 0.95, "source": "t"},
        "geometry": {"value": 0.7, "source": "t"},
        "speed": {"value": 0.9, "source": "t"},
        "cost": {"value": 0.85, "source": "t"},
    }
    assert strengths(profile(scores=scores)) == ["motion", "speed", "cost"]
    assert strengths(profile(scores=scores), top=5) == ["motion", "speed", "cost", "aesthetics"]
    assert strengths(profile()) == []


def test_source_rows_say_where_price_latency_and_scores_came_from() -> None:
    from shotrelay.catalog.listing import source_rows

    rows = {r.id: r for r in source_rows(load_catalog(use_env=False), provider="fal")}
    seedance = rows["seedance-2.0"]
    assert seedance.price == "$0.3034/s"
    assert "bytedance/seedance-2.0" in seedance.price_source
    assert seedance.latency_source.startswith("team estimate")
    # axes sharing one source are listed together, in axis order
    assert "cost: derived from price" in seedance.score_sources
    assert any(
        s.startswith("motion, geometry, speed: team estimate (?)") for s in seedance.score_sources
    )


def test_score_sources_group_axes_by_source() -> None:
    from shotrelay.catalog.listing import score_sources

    m = profile(
        scores={
            "aesthetics": {"value": 0.8, "source": "arena"},
            "motion": {"value": 0.7, "source": "team estimate"},
            "geometry": {"value": 0.6, "source": "arena"},
        }
    )
    assert score_sources(m) == ["aesthetics, geometry: arena", "motion: team estimate"]
    assert score_sources(profile()) == []


def test_models_command_sources_view_as_json() -> None:
    import json

    from typer.testing import CliRunner

    from shotrelay.cli import app

    result = CliRunner().invoke(app, ["models", "--sources", "--provider", "fal", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert {"seedance-2.0", "veo-3.1-lite", "wan-2.7", "ltx-2.3", "pixverse-v6"} <= set(rows)
    assert rows["ltx-2.3"]["price_source"].startswith("fal llms.txt for fal-ai/ltx-2.3")
    assert all(r["score_sources"] for r in rows.values())
