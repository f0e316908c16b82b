"""Fixtures of the router's tests; the builders live in route_models.py."""

from __future__ import annotations

import pytest
from route_models import MakeModel, MakeProject, make_model, make_project, support_models

from shotrelay.catalog.profile import ModelProfile


@pytest.fixture
def mk() -> MakeModel:
    """Factory for catalog rows."""
    return make_model


@pytest.fixture
def project() -> MakeProject:
    """Factory for projects."""
    return make_project


@pytest.fixture
def support() -> list[ModelProfile]:
    """Models for every stage but generate."""
    return support_models()
