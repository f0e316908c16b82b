"""What each provider's own model and pricing endpoints say, set against catalog rows.

Each probe reads one documented endpoint and returns the differences for the rows it covers:
fal ``GET /v1/models/pricing`` (docs.fal.ai/platform-apis/v1/models/pricing: up to 50
``endpoint_id`` per call, ``prices[]`` of ``endpoint_id``/``unit_price``/``unit``/``currency``),
Replicate ``GET /v1/models/{owner}/{name}`` and ``.../versions/{id}`` (the replicate SDK's
``models.get`` and ``versions.get``), OpenAI ``GET /v1/models`` (the openai SDK's
``models.list``), Runway ``GET /v1/organization`` (runwayml's ``organization.retrieve``: the
tier's ``models``), Gemini ``GET /v1beta/models`` (google-genai's ``models.list``, paged by
``pageToken``) and ElevenLabs ``GET /v1/models`` (the elevenlabs SDK's ``models.list``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile, PricingRule

__all__ = ["PROBES", "Difference", "Get", "Probe", "model_ids"]


class Difference(BaseModel):
    """One way the catalog and the provider disagree."""

    model_config = ConfigDict(frozen=True)

    model: str
    provider: str
    field: str  # "model id", "price", "unit", "currency"
    catalog: str
    provider_says: str


#: The GET a probe asks for: (path or absolute URL, query) -> the answer's JSON.
Get = Callable[[str, dict[str, str] | None], Awaitable[Any]]


@dataclass(frozen=True)
class Probe:
    """How to check one provider: its key, auth headers, default base URL, what it checks."""

    key_env: str
    base_url: str
    headers: Callable[[str], dict[str, str]]
    checks: str
    run: Callable[[Get, list[ModelProfile]], Awaitable[list[Difference]]]


def model_ids(row: ModelProfile) -> list[str]:
    """Every provider-side id a row sends: its ``api_model`` and per-task endpoints."""
    return list(dict.fromkeys([row.api_model, *row.endpoints.values()]))


def _missing(row: ModelProfile, ident: str, where: str) -> Difference:
    return Difference(model=row.id, provider=row.provider, field="model id", catalog=ident,
                      provider_says=f"not listed by {where}")  # fmt: skip


#: fal's billing units -> the catalog's pricing rule.
_FAL_UNITS = (
    (("second",), PricingRule.PER_SECOND),
    (("image", "megapixel"), PricingRule.PER_IMAGE),
    (("video", "request", "generation", "clip"), PricingRule.PER_CLIP),
)


def _fal_rule(unit: str) -> PricingRule | None:
    low = unit.lower()
    return next((rule for words, rule in _FAL_UNITS if any(w in low for w in words)), None)


async def fal_prices(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    """Every endpoint's unit price and unit against the row's price and rule."""
    wanted = sorted({ident for row in rows for ident in model_ids(row)})
    prices: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 50):
        query: dict[str, str] | None = {"endpoint_id": ",".join(wanted[start : start + 50])}
        while query is not None:
            body = await get("/models/pricing", query)
            for item in body.get("prices") or []:
                if isinstance(item, dict) and item.get("endpoint_id"):
                    prices[str(item["endpoint_id"])] = item
            cursor = body.get("next_cursor")
            more = bool(body.get("has_more")) and cursor
            query = {**query, "cursor": str(cursor)} if more else None
    out: list[Difference] = []
    for row in rows:
        for ident in model_ids(row):
            item = prices.get(ident)
            if item is None:
                out.append(_missing(row, ident, "fal's pricing endpoint"))
                continue
            out.extend(_fal_price(row, ident, item))
    return out


def _fal_price(row: ModelProfile, ident: str, item: dict[str, Any]) -> Iterable[Difference]:
    unit, currency = str(item.get("unit") or "?"), str(item.get("currency") or "USD")
    price = float(item.get("unit_price") or 0.0)
    said = f"{ident}: ${price:g} per {unit}"
    ours = f"${row.pricing.usd:g} {row.pricing.rule.value}"
    if currency != "USD":
        yield Difference(model=row.id, provider=row.provider, field="currency", catalog="USD",
                         provider_says=f"{ident}: {currency}")  # fmt: skip
    elif _fal_rule(unit) not in (row.pricing.rule, None) or _fal_rule(unit) is None:
        yield Difference(model=row.id, provider=row.provider, field="unit", catalog=ours,
                         provider_says=said)  # fmt: skip
    elif abs(price - row.pricing.usd) > max(0.0005, 0.01 * row.pricing.usd):
        yield Difference(model=row.id, provider=row.provider, field="price", catalog=ours,
                         provider_says=said)  # fmt: skip


async def replicate_models(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    """Each ``owner/name`` (or its pinned ``:version``) exists."""
    out: list[Difference] = []
    for row in rows:
        for ident in model_ids(row):
            name, _, version = ident.partition(":")
            path = f"/v1/models/{name}" + (f"/versions/{version}" if version else "")
            try:
                await get(path, None)
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code != 404:
                    raise
                out.append(_missing(row, ident, f"Replicate (GET {path}: 404)"))
    return out


def _listed(ids: set[str], where: str) -> Callable[[list[ModelProfile]], list[Difference]]:
    def compare(rows: list[ModelProfile]) -> list[Difference]:
        return [_missing(r, i, where) for r in rows for i in model_ids(r) if i not in ids]

    return compare


async def openai_models(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    body = await get("/v1/models", None)
    ids = {str(m.get("id")) for m in body.get("data") or [] if isinstance(m, dict)}
    return _listed(ids, "OpenAI's GET /v1/models")(rows)


async def runway_models(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    body = await get("/v1/organization", None)
    ids = set(((body.get("tier") or {}).get("models") or {}).keys())
    ids.add("router")  # the Model Router row names no model of its own
    return _listed(ids, "your Runway organization's tier (GET /v1/organization)")(rows)


async def gemini_models(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    ids: set[str] = set()
    query: dict[str, str] | None = {"pageSize": "1000"}
    while query is not None:
        body = await get("/v1beta/models", query)
        for item in body.get("models") or []:
            ids.add(str(item.get("name") or "").removeprefix("models/"))
        token = body.get("nextPageToken")
        query = {"pageSize": "1000", "pageToken": str(token)} if token else None
    return _listed(ids, "the Gemini API's GET /v1beta/models")(rows)


async def elevenlabs_models(get: Get, rows: list[ModelProfile]) -> list[Difference]:
    body = await get("/v1/models", None)
    ids = {str(m.get("model_id")) for m in body if isinstance(m, dict)}
    return _listed(ids, "ElevenLabs' GET /v1/models")(rows)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


#: Catalog provider name -> how to check its rows. The others have no endpoint used here.
PROBES: dict[str, Probe] = {
    "fal": Probe("FAL_KEY", "https://api.fal.ai/v1", lambda k: {"Authorization": f"Key {k}"},
                 "endpoint ids and prices", fal_prices),
    "replicate": Probe("REPLICATE_API_TOKEN", "https://api.replicate.com", _bearer,
                       "model ids (Replicate has no pricing endpoint)", replicate_models),
    "openai": Probe("OPENAI_API_KEY", "https://api.openai.com", _bearer,
                    "model ids (no pricing endpoint)", openai_models),
    "sora": Probe("OPENAI_API_KEY", "https://api.openai.com", _bearer,
                  "model ids (no pricing endpoint)", openai_models),
    "runway": Probe("RUNWAYML_API_SECRET", "https://api.dev.runwayml.com",
                    lambda k: {**_bearer(k), "X-Runway-Version": "2024-11-06"},
                    "model ids your tier may use (credits per model are not served)",
                    runway_models),
    "veo": Probe("GEMINI_API_KEY", "https://generativelanguage.googleapis.com",
                 lambda k: {"x-goog-api-key": k}, "model ids (no pricing endpoint)",
                 gemini_models),
    "gemini": Probe("GEMINI_API_KEY", "https://generativelanguage.googleapis.com",
                    lambda k: {"x-goog-api-key": k}, "model ids (no pricing endpoint)",
                    gemini_models),
    "elevenlabs": Probe("ELEVENLABS_API_KEY", "https://api.elevenlabs.io",
                        lambda k: {"xi-api-key": k}, "model ids (no pricing endpoint)",
                        elevenlabs_models),
}  # fmt: skip
