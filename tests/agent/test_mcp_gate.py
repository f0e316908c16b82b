"""The gate over MCP: a route with a paid stage stops at the structure gate on every run
and redo until an explicit approve, the answer says what approval would let it spend, and
the paid provider receives nothing before it (counted on the provider's own ledger)."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp_helpers import BRIEF, data, ledger
from paidcam import USD_PER_CLIP

from shotrelay.agent import build_server


def test_an_agent_cannot_spend_past_the_gate(paid_site: Path, tmp_path: Path) -> None:
    progress: list[tuple[float, float | None, str | None]] = []

    async def noted(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, total, message))

    async def steps() -> None:
        async with Client(build_server(tmp_path)) as client:
            data(await client.call_tool("init", {"folder": "kite", "brief": BRIEF, "length": 3}))
            shot = data(await client.call_tool("plan", {"project": "kite"}))["shots"][0]["id"]
            routed = data(await client.call_tool("route", {"project": "kite"}))
            assert routed["spends_money"]
            assert routed["total_cost_usd"] == pytest.approx(USD_PER_CLIP)
            assert "paid-camera" in {st["model"] for s in routed["shots"] for st in s["stages"]}

            for _ in range(2):  # asking again does not get past it
                progress.clear()
                gated = data(
                    await client.call_tool("run", {"project": "kite"}, progress_callback=noted)
                )
                assert gated["status"] == "awaiting_approval" and gated["approval_needed"]
                assert gated["estimated_usd"] == pytest.approx(USD_PER_CLIP)
                assert gated["spent_usd"] == 0 and gated["final"] is None
                assert "$0.25" in gated["next"] and "approve" in gated["next"]
            redone = data(await client.call_tool("redo", {"project": "kite", "shot": shot}))
            assert redone["status"] == "awaiting_approval"
            status = data(await client.call_tool("status", {"project": "kite"}))
            assert not status["approved"] and status["actual_usd"] == 0
            assert ledger(paid_site) == []

            approved = data(await client.call_tool("approve", {"project": "kite"}))
            assert approved["estimated_usd"] == pytest.approx(USD_PER_CLIP)
            done = data(await client.call_tool("run", {"project": "kite"}))
            assert done["status"] == "done" and Path(done["final"]).is_file()
            assert done["spent_usd"] == pytest.approx(USD_PER_CLIP)
            assert len(ledger(paid_site)) == 1
            again = data(await client.call_tool("run", {"project": "kite"}))
            assert again["status"] == "done" and again["spent_usd"] == 0
            assert len(ledger(paid_site)) == 1  # cached: never paid twice

    anyio.run(steps)
    values = [p[0] for p in progress]
    assert values == sorted(set(values)) and len(values) >= 2  # only ever grows
    assert all(total is not None and value <= total for value, total, _ in progress)
    assert any("gate" in (message or "") for _, _, message in progress)
