"""Engine events become progress notifications that only grow, with a total that covers
them; a client that went away stops the reports, never the run."""

from __future__ import annotations

import anyio
import anyio.to_thread

from shotrelay.agent.reporting import ProgressRelay
from shotrelay.api import EngineEvent

EVENTS = [
    EngineEvent(kind="phase", message="animatic"),
    EngineEvent(kind="queued", shot_id="s1", stage="keyframe"),
    EngineEvent(kind="queued", shot_id="s1", stage="generate"),
    EngineEvent(kind="state", shot_id="s1", stage="keyframe", state="running"),
    EngineEvent(kind="state", shot_id="s1", stage="keyframe", state="succeeded"),
    EngineEvent(kind="progress", shot_id="s1", stage="generate", progress=0.5),
    EngineEvent(kind="cached", shot_id="s1", stage="generate", state="succeeded"),
    EngineEvent(kind="gate", message="animatic ready; key sk-secret-1 set"),
]


def feed(relay: ProgressRelay) -> None:
    """Send the events from a worker thread, as a run does."""

    async def main() -> None:
        await anyio.to_thread.run_sync(lambda: [relay(e) for e in EVENTS])

    anyio.run(main)


def test_progress_only_grows_and_says_what_finished() -> None:
    sent: list[tuple[float, float | None, str | None]] = []

    async def notify(progress: float, total: float | None, message: str | None) -> None:
        sent.append((progress, total, message))

    feed(ProgressRelay(notify, lambda text: text.replace("sk-secret-1", "***")))
    assert [p for p, _, _ in sent] == [1.0, 2.0, 3.0, 4.0]
    assert all(total is not None and p <= total for p, total, _ in sent)
    messages = [m or "" for _, _, m in sent]
    assert messages[0] == "phase animatic" and "s1 keyframe succeeded" in messages[1]
    assert messages[-1] == "gate animatic ready; key *** set"


def test_a_client_that_went_away_does_not_stop_the_run() -> None:
    calls: list[float] = []

    async def gone(progress: float, total: float | None, message: str | None) -> None:
        calls.append(progress)
        raise anyio.BrokenResourceError

    feed(ProgressRelay(gone, str))  # raises nothing
    assert calls == [1.0]  # tried once, then stopped reporting
