"""The MCP round trip over real stdio, with the SDK's own client and ``shotrelay mcp`` in a
subprocess: list the tools, route the example ad, run it to the gate, approve, finish, read
the manifest and the final cut's path. Offline: the paid stage is the ``paidcam`` plug-in
(a local render that bills $0.25 a clip), counted on its own ledger. The ad is rendered at
360p instead of 1080p (same shots, same routing): the test's time is the renders'."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
import av
import pytest
from mcp import Client, StdioServerParameters
from mcp.types import TextResourceContents
from mcp_helpers import TOOLS, data, ledger
from paidcam import USD_PER_CLIP

EXAMPLE = Path(__file__).parents[2] / "examples" / "startup-ad.yaml"
SHOTRELAY = str(Path(sys.executable).parent / "shotrelay")


def _server(root: Path, site: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=SHOTRELAY,
        args=["mcp", "--root", str(root)],
        env={
            "PYTHONPATH": str(site),  # installs the paidcam plug-in in the server
            "PAIDCAM_LEDGER": str(site / "ledger.txt"),
            "SHOTRELAY_OUTCOMES": str(root / "outcomes.jsonl"),
        },
        cwd=root,
    )


async def _text(client: Client, uri: str) -> str:
    read = await client.read_resource(uri)
    content = read.contents[0]
    assert isinstance(content, TextResourceContents)
    return content.text


def test_the_example_ad_round_trip_over_stdio(paid_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "work"
    root.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "resolution: 1080p" in text
    (root / "startup-ad.yaml").write_text(text.replace("resolution: 1080p", "resolution: 360p"))
    progress: list[float] = []

    async def noted(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def steps() -> None:
        async with Client(_server(root, paid_site)) as client:
            listed = (await client.list_tools()).tools
            assert {t.name for t in listed} == TOOLS
            assert all(t.output_schema and t.description for t in listed)
            templates = (await client.list_resource_templates()).resource_templates
            assert {t.name for t in templates} == {"project", "route", "manifest", "final"}

            routed = data(await client.call_tool("route", {"project": "startup-ad"}))
            generate = [st for s in routed["shots"] for st in s["stages"]]
            generate = [st for st in generate if st["stage"] == "generate"]
            assert len(generate) == 6 and {st["model"] for st in generate} == {"paid-camera"}
            assert routed["total_cost_usd"] == pytest.approx(6 * USD_PER_CLIP)

            args = {"project": "startup-ad"}
            gated = data(await client.call_tool("run", args, progress_callback=noted))
            assert gated["status"] == "awaiting_approval"
            assert gated["estimated_usd"] == pytest.approx(routed["total_cost_usd"])
            assert gated["spent_usd"] == 0 and Path(gated["animatic"]).is_file()
            assert ledger(paid_site) == [] and progress

            data(await client.call_tool("approve", args))
            done = data(await client.call_tool("run", args))
            assert done["status"] == "done", done["message"]
            assert done["spent_usd"] == pytest.approx(6 * USD_PER_CLIP)
            assert len(ledger(paid_site)) == 6

            manifest = json.loads(await _text(client, "shotrelay://manifest/startup-ad"))
            assert manifest["project"] == "startup-ad" and manifest["cut"]["complete"]
            chosen = [st for s in manifest["shots"] for st in s["stages"] if st.get("chosen")]
            assert {st["model"] for st in chosen if st["stage"] == "generate"} == {"paid-camera"}
            final = Path(await _text(client, "shotrelay://final/startup-ad"))
            assert final == Path(done["final"])
            route = json.loads(await _text(client, "shotrelay://route/startup-ad"))
            assert len(route["shots"]) == 6
            assert "Jotline" in await _text(client, "shotrelay://project/startup-ad")

    anyio.run(steps)
    with av.open(str(root / ".shotrelay" / "startup-ad" / "out" / "final.mp4")) as cut:
        seconds = float(cut.duration or 0) / av.time_base
    assert seconds == pytest.approx(20, abs=1.0)
