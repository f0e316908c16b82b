"""The catalog against the providers' own model and pricing endpoints (``catalog check``)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Sequence
from pathlib import Path

from shotrelay.catalog import load_catalog
from shotrelay.providers.catalog_check import CatalogCheck, check_catalog
from shotrelay.providers.credentials import Credentials


def catalog_check(
    *,
    provider: str | None = None,
    catalog_files: Sequence[Path] = (),
    credentials: Credentials | None = None,
) -> CatalogCheck:
    """Compare the catalog's model ids and prices with what each provider whose key is set
    answers (``shotrelay catalog check``); the others are listed with the reason they were not
    checked. Only GETs: nothing is submitted or billed."""
    rows = [m for m in load_catalog(catalog_files) if provider is None or m.provider == provider]
    job = check_catalog(rows, credentials=credentials)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    # Called from inside an event loop (the agent interface): run it on its own thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()
