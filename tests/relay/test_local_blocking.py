"""The engine gives the local renderers the shot itself: each keyframe draws its own blocking."""

from __future__ import annotations

import asyncio
from pathlib import Path

from shotrelay.engine import Journal
from shotrelay.engine.store import ArtifactStore
from shotrelay.engine.workspace import workspace_for
from shotrelay.providers.local.previs import SubjectBox, read_layout
from shotrelay.relay import EngineHooks, run

PROJECT = """name: blocking
format: {aspect: "16:9", resolution: 360p, fps: 12}
style: {palette: ["#112233", "#ddeeff", "#aa5500"]}
shots:
  - {id: wide, duration: 1, role: establishing, framing: extreme-wide, subject: a harbour}
  - {id: close, duration: 1, role: product, framing: extreme-close-up, subject: a watch}
"""


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


def test_keyframes_follow_each_shots_framing_and_the_style_palette(tmp_path: Path) -> None:
    path = tmp_path / "blocking.yaml"
    path.write_text(PROJECT)
    result = run(path, auto_approve=True, hooks=EngineHooks(sleep=_no_wait))
    assert result.status == "done", result.failures
    ws = workspace_for(path)
    journal, store = Journal(ws.journal), ArtifactStore(ws.store)
    layouts = {}
    for row in journal.jobs(state="succeeded"):
        if row.stage == "keyframe" and row.artifact:
            layout = read_layout(store.get(row.artifact))
            assert layout is not None
            layouts[row.shot_id] = layout
    journal.close()
    wide, close = layouts["wide"], layouts["close"]
    assert any("extreme-wide" in line for line in wide.caption)
    assert any("extreme-close-up" in line for line in close.caption)

    # A close-up fills the frame; an extreme wide keeps its subject small.
    def height(box: SubjectBox) -> float:
        return box.y1 - box.y0

    assert height(close.subjects[0]) > 2 * height(wide.subjects[0])
    # The style bible's palette reached the renderer through the continuity packet.
    assert wide.subjects[0].color.lower() in {"#112233", "#ddeeff", "#aa5500"}
