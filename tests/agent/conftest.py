"""Fixtures for the agent interface: a paid test provider installed as a plug-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp_helpers import clear_plugin_caches
from paidcam import install


@pytest.fixture(scope="module")
def paid_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ``paidcam`` plug-in installed in this process; its ledger in the same folder."""
    site = install(tmp_path_factory.mktemp("site"))
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(site))
        mp.setenv("PAIDCAM_LEDGER", str(site / "ledger.txt"))
        clear_plugin_caches()
        yield site
    clear_plugin_caches()
