"""Suite-wide isolation: no test reads or writes the user's outcomes store (shotrelay.learn)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _own_outcomes_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Judged takes and ratings go to the session's own store, never to ~/.local/share (set
    before any module-scoped fixture runs a project); tests that read it set their own."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("outcomes") / "outcomes.jsonl"
        mp.setenv("SHOTRELAY_OUTCOMES", str(path))
        yield
