"""Fixtures for the planner tests: a loopback server per test and the built-in catalog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shotrelay.catalog.loader import load_catalog
from shotrelay.catalog.profile import ModelProfile

from .helpers import FakeServer


@pytest.fixture
def server() -> Iterator[Any]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def models() -> list[ModelProfile]:
    return list(load_catalog(use_env=False).models)
