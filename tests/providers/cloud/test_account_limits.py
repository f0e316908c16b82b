"""Account-wide concurrency: documented defaults, the environment override, bad values."""

from __future__ import annotations

import pytest

from shotrelay.errors import EngineError
from shotrelay.providers.base import account_limit
from shotrelay.providers.runway import RunwayProvider
from shotrelay.providers.sync_so import SyncSoProvider
from shotrelay.providers.veo import VeoProvider


def test_documented_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SHOTRELAY_VEO_CONCURRENCY", "SHOTRELAY_SYNC_CONCURRENCY"):
        monkeypatch.delenv(var, raising=False)
    assert account_limit(VeoProvider()) == 10  # per Gemini API project
    assert account_limit(SyncSoProvider()) == 1  # the smallest plan
    assert account_limit(RunwayProvider()) is None  # Runway limits per model


def test_environment_raises_or_sets_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOTRELAY_VEO_CONCURRENCY", "3")
    monkeypatch.setenv("SHOTRELAY_RUNWAY_CONCURRENCY", "5")
    assert account_limit(VeoProvider()) == 3
    assert account_limit(RunwayProvider()) == 5


@pytest.mark.parametrize("value", ["0", "-2", "lots"])
def test_a_bad_value_names_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SHOTRELAY_VEO_CONCURRENCY", value)
    with pytest.raises(EngineError, match=r"SHOTRELAY_VEO_CONCURRENCY.*at least 1"):
        account_limit(VeoProvider())
