"""Every routable catalog row names a provider with an installed adapter, and dead rows are
retired (a route must never choose a model no key can buy)."""

from __future__ import annotations

from shotrelay.catalog.loader import load_catalog
from shotrelay.catalog.profile import ModelStatus
from shotrelay.providers.registry import load_providers
from shotrelay.spec.vocabulary import Task


def test_every_routable_row_has_an_installed_adapter() -> None:
    adapters = set(load_providers())
    orphans = [
        f"{m.id} ({m.provider})"
        for m in load_catalog().models
        if m.status is not ModelStatus.RETIRED
        and m.provider not in adapters
        and m.tasks != [Task.PLAN]  # planners are served by shotrelay.plan, not adapters
    ]
    assert orphans == [], f"no adapter installed for: {orphans}"


def test_dead_rows_are_retired() -> None:
    catalog = load_catalog()
    for dead in ("sora-2", "gemini-2.5-flash"):
        assert catalog.get(dead).status is ModelStatus.RETIRED


def test_every_non_local_row_says_whether_failures_bill() -> None:
    for m in load_catalog().models:
        if not m.local:
            assert m.bills_failed is not None, m.id
