"""``shotrelay catalog check``: the catalog's model ids and prices against what each
provider's own model and pricing endpoints answer (the probes in ``catalog_probes``).

Only providers whose key is set are asked; every other provider is listed with the reason it
was not checked. Retired rows are skipped (their provider no longer lists them). Nothing is
submitted and nothing costs money: every call is a GET.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable

import httpx
from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.profile import ModelProfile, ModelStatus
from shotrelay.providers.catalog_probes import PROBES, Difference, Probe
from shotrelay.providers.credentials import Credentials, Secret, redact

__all__ = ["CatalogCheck", "Difference", "ProviderCheck", "check_catalog"]

_LOCAL = frozenset({"local", "comfyui", "ollama"})


class ProviderCheck(BaseModel):
    """One provider: checked (and what), or why not."""

    model_config = ConfigDict(frozen=True)

    provider: str
    models: int
    checked: bool
    detail: str


class CatalogCheck(BaseModel):
    """The differences found, and what each provider's check covered."""

    model_config = ConfigDict(frozen=True)

    differences: list[Difference]
    providers: list[ProviderCheck]

    @property
    def unchecked(self) -> list[ProviderCheck]:
        """Providers that could not be checked (no key, no endpoint, or the call failed)."""
        return [p for p in self.providers if not p.checked]


def _base_url(provider: str, probe: Probe, credentials: Credentials) -> str:
    name = "SHOTRELAY_FAL_PLATFORM_URL" if provider == "fal" else None
    name = name or f"SHOTRELAY_{provider.upper()}_BASE_URL"
    return (credentials.setting(name) or probe.base_url).rstrip("/")


async def _check_one(
    provider: str,
    rows: list[ModelProfile],
    credentials: Credentials,
    timeout: float,
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[ProviderCheck, list[Difference]]:
    probe = PROBES.get(provider)
    if provider in _LOCAL:
        detail = "runs on your machine or server: no provider prices"
        return ProviderCheck(provider=provider, models=len(rows), checked=False, detail=detail), []
    if probe is None:
        detail = "no model or pricing endpoint verified for it; check its rows by hand"
        return ProviderCheck(provider=provider, models=len(rows), checked=False, detail=detail), []
    key = credentials.get(probe.key_env)
    if key is None:
        return ProviderCheck(provider=provider, models=len(rows), checked=False,
                             detail=f"set {probe.key_env}"), []  # fmt: skip
    base = _base_url(provider, probe, credentials)
    try:
        found = await _ask(probe, base, key, rows, timeout, transport)
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        hint = f" (check {probe.key_env})" if status in (401, 403) else ""
        detail = f"{exc.request.method} {exc.request.url.path} answered HTTP {status}{hint}"
        return _failed(provider, rows, detail, key), []
    except httpx.HTTPError as exc:
        return _failed(provider, rows, f"could not ask {base} ({type(exc).__name__})", key), []
    except (ValueError, AttributeError, TypeError):
        return _failed(provider, rows, f"{base} answered in an unexpected shape", key), []
    detail = f"checked {probe.checks}"
    return ProviderCheck(provider=provider, models=len(rows), checked=True, detail=detail), found


async def _ask(
    probe: Probe,
    base: str,
    key: Secret,
    rows: list[ModelProfile],
    timeout: float,
    transport: httpx.AsyncBaseTransport | None,
) -> list[Difference]:
    async with httpx.AsyncClient(timeout=timeout, transport=transport) as client:

        async def get(path: str, query: dict[str, str] | None) -> object:
            url = path if "://" in path else f"{base}{path}"
            response = await client.get(url, params=query, headers=probe.headers(key.reveal()))
            response.raise_for_status()
            return response.json()

        return await probe.run(get, rows)


def _failed(provider: str, rows: list[ModelProfile], detail: str, key: Secret) -> ProviderCheck:
    return ProviderCheck(provider=provider, models=len(rows), checked=False,
                         detail=redact(detail, [key]))  # fmt: skip


async def check_catalog(
    models: Iterable[ModelProfile],
    *,
    credentials: Credentials | None = None,
    timeout: float = 20.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CatalogCheck:
    """Ask every provider with a key about its catalog rows (all providers at once)."""
    credentials = credentials or Credentials()
    by_provider: dict[str, list[ModelProfile]] = defaultdict(list)
    for row in models:
        if row.status is not ModelStatus.RETIRED:
            by_provider[row.provider].append(row)
    results = await asyncio.gather(*(
        _check_one(name, rows, credentials, timeout, transport)
        for name, rows in sorted(by_provider.items())
    ))  # fmt: skip
    return CatalogCheck(
        differences=[d for _, found in results for d in found],
        providers=[check for check, _ in results],
    )
