"""``shotrelay catalog check`` against loopback servers playing each provider's documented
model and pricing endpoints: the differences found, what arrived, and the reasons a provider
was not checked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from providers.cloud.fakeserver import FakeServer, Reply
from shotrelay.catalog.profile import Latency, ModelProfile, Pricing, PricingRule
from shotrelay.providers.catalog_check import CatalogCheck, check_catalog
from shotrelay.providers.credentials import Credentials
from shotrelay.spec.vocabulary import Task

SECRET = "sk-LEAKCHECK-catalog-42"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


def row(mid: str, provider: str, api_model: str, usd: float = 0.1, **extra: object) -> ModelProfile:
    return ModelProfile.model_validate({
        "id": mid, "provider": provider, "name": mid, "api_model": api_model,
        "tasks": [Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO], "latency": Latency(base_s=30),
        "pricing": Pricing(rule=extra.pop("rule", PricingRule.PER_SECOND), usd=usd), **extra,
    })  # fmt: skip


def check(rows: list[ModelProfile], env: dict[str, str]) -> CatalogCheck:
    return asyncio.run(check_catalog(rows, credentials=Credentials(env=env, dotenv_path=None)))


def found(result: CatalogCheck) -> set[tuple[str, str, str]]:
    return {(d.model, d.field, d.catalog) for d in result.differences}


def test_fal_prices_units_and_missing_endpoints(server: FakeServer) -> None:
    t2v, i2v = "fal-ai/kling/t2v", "fal-ai/kling/i2v"
    rows = [
        row(
            "kling", "fal", i2v, 0.07, endpoints={Task.TEXT_TO_VIDEO: t2v, Task.IMAGE_TO_VIDEO: i2v}
        ),
        row("flux", "fal", "fal-ai/flux/dev", 0.025, rule=PricingRule.PER_IMAGE),
        row("hailuo", "fal", "fal-ai/hailuo/fast", 0.33, rule=PricingRule.PER_CLIP),
        row("gone", "fal", "fal-ai/renamed"),
    ]
    page1 = {"prices": [
        {"endpoint_id": i2v, "unit_price": 0.07, "unit": "second", "currency": "USD"},
        {"endpoint_id": t2v, "unit_price": 0.084, "unit": "second", "currency": "USD"},
    ], "next_cursor": "c2", "has_more": True}  # fmt: skip
    page2 = {"prices": [
        {"endpoint_id": "fal-ai/flux/dev", "unit_price": 0.025, "unit": "image", "currency": "USD"},
        {"endpoint_id": "fal-ai/hailuo/fast", "unit_price": 0.066, "unit": "second",
         "currency": "USD"},
    ], "next_cursor": None, "has_more": False}  # fmt: skip
    server.on("GET", "/v1/models/pricing", Reply(json=page1), Reply(json=page2))
    env = {"FAL_KEY": SECRET, "SHOTRELAY_FAL_PLATFORM_URL": server.url + "/v1"}

    result = check(rows, env)

    assert found(result) == {
        ("kling", "price", "$0.07 per_second"),  # its text-to-video endpoint costs more
        ("hailuo", "unit", "$0.33 per_clip"),  # fal bills it per second
        ("gone", "model id", "fal-ai/renamed"),
    }
    first, second = server.received("GET", "/v1/models/pricing")
    assert first.headers["authorization"] == f"Key {SECRET}"
    asked = first.query["endpoint_id"][0].split(",")
    assert sorted(asked) == sorted([t2v, i2v, "fal-ai/flux/dev", "fal-ai/hailuo/fast",
                                    "fal-ai/renamed"])  # fmt: skip
    assert second.query["cursor"] == ["c2"]
    assert [p.checked for p in result.providers] == [True]


def test_fal_asks_at_most_fifty_endpoints_per_call(server: FakeServer) -> None:
    rows = [row(f"m{i}", "fal", f"fal-ai/m{i}") for i in range(120)]
    server.on("GET", "/v1/models/pricing", Reply(json={"prices": [], "has_more": False}))
    check(rows, {"FAL_KEY": SECRET, "SHOTRELAY_FAL_PLATFORM_URL": server.url + "/v1"})
    sizes = [len(r.query["endpoint_id"][0].split(",")) for r in server.requests]
    assert sizes == [50, 50, 20]


def test_replicate_model_and_pinned_version(server: FakeServer) -> None:
    server.on("GET", "/v1/models/bytedance/seedance-1-pro", Reply(json={"name": "x"}))
    server.on("GET", "/v1/models/acme/old/versions/abc", Reply(status=404, json={"detail": "no"}))
    rows = [row("seedance", "replicate", "bytedance/seedance-1-pro"),
            row("old", "replicate", "acme/old:abc")]  # fmt: skip
    result = check(
        rows, {"REPLICATE_API_TOKEN": SECRET, "SHOTRELAY_REPLICATE_BASE_URL": server.url}
    )
    assert found(result) == {("old", "model id", "acme/old:abc")}
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_model_listings_of_openai_runway_gemini_and_elevenlabs(server: FakeServer) -> None:
    server.on("GET", "/v1/models", Reply(json={"data": [{"id": "gpt-image-2.5"}]}))
    org = {"creditBalance": 10, "tier": {"maxMonthlyCreditSpend": 100, "models": {
        "gen4_turbo": {"maxConcurrentGenerations": 2}}}, "usage": {"models": {}}}  # fmt: skip
    server.on("GET", "/v1/organization", Reply(json=org))
    server.on(
        "GET",
        "/v1beta/models",
        Reply(json={"models": [{"name": "models/veo-a"}], "nextPageToken": "t2"}),
        Reply(json={"models": [{"name": "models/veo-b"}]}),
    )
    rows = [
        row("img", "openai", "gpt-image-2.5"),
        row("img-old", "openai", "gpt-image-1"),
        row("turbo", "runway", "gen4_turbo"),
        row("aleph", "runway", "aleph2"),
        row("router", "runway", "router"),  # the Model Router: no model id to check
        row("veo-b", "veo", "veo-b"),
        row("veo-c", "veo", "veo-c"),
    ]
    env = {"OPENAI_API_KEY": SECRET, "RUNWAYML_API_SECRET": SECRET, "GEMINI_API_KEY": SECRET,
           "SHOTRELAY_OPENAI_BASE_URL": server.url, "SHOTRELAY_RUNWAY_BASE_URL": server.url,
           "SHOTRELAY_VEO_BASE_URL": server.url}  # fmt: skip
    result = check(rows, env)
    assert found(result) == {
        ("img-old", "model id", "gpt-image-1"),
        ("aleph", "model id", "aleph2"),
        ("veo-c", "model id", "veo-c"),
    }
    (org_call,) = server.received("GET", "/v1/organization")
    assert org_call.headers["x-runway-version"] == "2024-11-06"
    pages = server.received("GET", "/v1beta/models")
    assert [p.query.get("pageToken") for p in pages] == [None, ["t2"]]
    assert pages[0].headers["x-goog-api-key"] == SECRET


def test_without_keys_nothing_is_asked_and_each_provider_says_why(server: FakeServer) -> None:
    rows = [row("a", "fal", "fal-ai/a"), row("b", "luma", "ray-2"), row("c", "local", "x"),
            row("d", "sora", "sora-2", status="retired")]  # fmt: skip
    result = check(rows, {"SHOTRELAY_FAL_PLATFORM_URL": server.url})
    why = {p.provider: p.detail for p in result.unchecked}
    assert why["fal"] == "set FAL_KEY"
    assert "no model or pricing endpoint" in why["luma"]
    assert "your machine" in why["local"]
    assert "sora" not in why  # a retired row is not checked
    assert result.differences == [] and server.requests == []


def test_a_refused_key_is_named_never_shown(server: FakeServer) -> None:
    server.on("GET", "/v1/models", Reply(status=401, json={"error": f"bad key {SECRET}"}))
    env = {"ELEVENLABS_API_KEY": SECRET, "SHOTRELAY_ELEVENLABS_BASE_URL": server.url}
    result = check([row("tts", "elevenlabs", "eleven_v3")], env)
    (unchecked,) = result.unchecked
    assert "HTTP 401" in unchecked.detail and "ELEVENLABS_API_KEY" in unchecked.detail
    assert SECRET not in result.model_dump_json()


def test_api_and_cli_on_the_builtin_catalog(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from shotrelay._cli import app
    from shotrelay.api import catalog_check
    from shotrelay.catalog import builtin_models

    fal_rows = [m for m in builtin_models() if m.provider == "fal"]
    unit = {PricingRule.PER_SECOND: "second", PricingRule.PER_CLIP: "video",
            PricingRule.PER_IMAGE: "image"}  # fmt: skip
    prices = {
        i: {"endpoint_id": i, "unit_price": m.pricing.usd, "unit": unit[m.pricing.rule],
            "currency": "USD"}
        for m in fal_rows for i in [m.api_model, *m.endpoints.values()]
    }  # fmt: skip
    server.on(
        "GET",
        "/v1/models/pricing",
        Reply(json={"prices": list(prices.values()), "has_more": False}),
    )
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("FAL_KEY", SECRET)
    monkeypatch.setenv("SHOTRELAY_FAL_PLATFORM_URL", server.url + "/v1")

    result = catalog_check(provider="fal")
    assert result.differences == [] and [p.provider for p in result.providers] == ["fal"]

    first = next(iter(prices))
    prices[first] = {**prices[first], "unit_price": 9.5}
    server.on(
        "GET",
        "/v1/models/pricing",
        Reply(json={"prices": list(prices.values()), "has_more": False}),
    )
    cli = CliRunner().invoke(app, ["catalog", "check", "--provider", "fal", "--json"])
    assert cli.exit_code == 1, cli.output
    said = json.loads(cli.output)
    assert [d["field"] for d in said["differences"]] == ["price"]
    assert SECRET not in cli.output
