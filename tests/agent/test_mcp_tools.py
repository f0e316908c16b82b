"""Every tool through the SDK's client (in process) on a small project the local providers
run to the end: a free route needs no approval; status, pick, rate, redo, report, export,
models, doctor and the resources answer with typed data."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import TextResourceContents
from mcp_helpers import BRIEF, TOOLS, data

from shotrelay.agent import build_server

T = TypeVar("T")


def talk(root: Path, steps: Callable[[Client], Awaitable[T]]) -> T:
    """Run ``steps`` with a client connected to a server on ``root``."""

    async def session() -> T:
        async with Client(build_server(root)) as client:
            return await steps(client)

    return anyio.run(session)


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A one-shot project planned and run to its final cut; the run's answer."""
    root = tmp_path_factory.mktemp("root")

    async def steps(client: Client) -> dict[str, Any]:
        data(await client.call_tool("init", {"folder": "kite", "brief": BRIEF, "length": 3}))
        data(await client.call_tool("plan", {"project": "kite"}))
        return data(await client.call_tool("run", {"project": "kite"}))

    return root, talk(root, steps)


def test_every_tool_is_listed_with_typed_input_and_output() -> None:
    async def steps(client: Client) -> None:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        assert set(listed) == TOOLS
        for tool in listed.values():
            assert tool.input_schema["type"] == "object" and tool.output_schema
        assert "project" in listed["run"].input_schema["required"]
        assert "auto_approve" not in json.dumps(listed["run"].input_schema)
        assert listed["run"].output_schema is not None
        assert "estimated_usd" in listed["run"].output_schema["properties"]

    talk(Path("."), steps)


def test_a_free_local_route_runs_to_the_end_without_approval(
    finished: tuple[Path, dict[str, Any]],
) -> None:
    _, ran = finished
    assert ran["status"] == "done" and not ran["approval_needed"]
    assert ran["estimated_usd"] == 0 and ran["spent_usd"] == 0
    assert Path(ran["final"]).is_file() and Path(ran["manifest"]).is_file()


def test_status_pick_rate_report_and_export(finished: tuple[Path, dict[str, Any]]) -> None:
    root, ran = finished

    async def steps(client: Client) -> dict[str, Any]:
        status = data(await client.call_tool("status", {"project": "kite"}))
        shot = data(await client.call_tool("plan", {"project": "kite"}))["shots"][0]["id"]
        picked = data(await client.call_tool("pick", {"project": "kite", "shot": shot, "take": 1}))
        rated = data(
            await client.call_tool(
                "rate", {"project": "kite", "shot": shot, "stars": 4, "note": "clear"}
            )
        )
        report = data(await client.call_tool("report", {"project": "kite"}))
        export = data(await client.call_tool("export", {"project": "kite", "formats": ["otio"]}))
        return {"status": status, "picked": picked, "rated": rated, "report": report,
                "export": export, "shot": shot}  # fmt: skip

    got = talk(root, steps)
    status = got["status"]
    assert status["project"] == "kite" and status["jobs"].get("succeeded", 0) >= 2
    assert status["outputs"]["final.mp4"] == ran["final"] and status["actual_usd"] == 0
    assert got["picked"]["message"].startswith(f"{got['shot']}: take 1 picked")
    assert got["rated"]["stars"] == 4 and got["rated"]["model"] == "local-camera"
    assert Path(got["report"]["path"]).read_text(encoding="utf-8").startswith("<!")
    assert set(got["export"]["files"]) == {"otio"}
    assert Path(got["export"]["files"]["otio"]).is_file()


def test_redo_reruns_one_stage_of_one_shot(finished: tuple[Path, dict[str, Any]]) -> None:
    root, _ = finished

    async def steps(client: Client) -> dict[str, Any]:
        shot = data(await client.call_tool("plan", {"project": "kite"}))["shots"][0]["id"]
        args = {"project": "kite", "shot": shot, "stage": "generate"}
        return data(await client.call_tool("redo", args))

    redone = talk(root, steps)
    assert redone["status"] == "done" and redone["ran"] >= 1 and redone["spent_usd"] == 0


def test_the_resources_of_a_finished_project(finished: tuple[Path, dict[str, Any]]) -> None:
    root, ran = finished

    async def steps(client: Client) -> dict[str, str]:
        texts = {}
        for kind in ("project", "route", "manifest", "final"):
            read = await client.read_resource(f"shotrelay://{kind}/kite")
            content = read.contents[0]
            assert isinstance(content, TextResourceContents)
            texts[kind] = content.text
        return texts

    texts = talk(root, steps)
    assert "kite over a grey sea" in texts["project"]
    assert json.loads(texts["route"])["project"] == "kite"
    assert json.loads(texts["manifest"])["final"] == ran["final"]
    assert texts["final"] == ran["final"]


def test_a_resource_before_any_run_says_what_to_call(tmp_path: Path) -> None:
    async def steps(client: Client) -> str:
        data(await client.call_tool("init", {"folder": "new", "brief": BRIEF}))
        with pytest.raises(MCPError) as caught:
            await client.read_resource("shotrelay://manifest/new")
        return str(caught.value)

    said = talk(tmp_path, steps)
    assert "no manifest yet" in said and "call run with project='new'" in said


def test_models_and_doctor() -> None:
    async def steps(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
        rows = data(await client.call_tool("models", {"task": "image_to_video"}))
        found = data(await client.call_tool("doctor", {}))
        return rows, found

    rows, found = talk(Path("."), steps)
    assert rows["models"] and all("image_to_video" in r["tasks"] for r in rows["models"])
    local = next(p for p in found["providers"] if p["name"] == "local")
    assert local["usable"] and "local-camera" in local["models"]


def test_route_with_a_budget_and_what_keys_would_buy(
    finished: tuple[Path, dict[str, Any]],
) -> None:
    root, _ = finished

    async def steps(client: Client) -> dict[str, Any]:
        args = {"project": "kite", "budget_usd": 5, "preset": "cheap", "deadline": "2h"}
        return data(await client.call_tool("route", args))

    routed = talk(root, steps)
    assert routed["budget_usd"] == 5 and routed["total_cost_usd"] == 0
    assert routed["deadline"]["met"] and routed["deadline"]["lines"]
    assert routed["with_more_keys"]  # a sentence: what keys would change, or nothing would
