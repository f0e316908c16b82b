"""No API key's value appears in anything the server sends: with a (fake) key set for every
provider and planner, in the environment and in .env, and even written into the project's
brief and asked for as a path, every tool answer, error, progress message and resource is
scanned. The keys make cloud models usable, so the run routes to them and stops at the
gate: nothing is sent to any provider."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.types import TextResourceContents
from mcp_helpers import transcript

import shotrelay.api as api
from shotrelay.agent import build_server


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A distinct fake value for every key (names needed that are settings, such as a
    server's URL, are left alone); FAL_KEY only in .env (read from the working folder)."""
    secret = ("_KEY", "_TOKEN", "_SECRET")
    names = [n for n in api.key_names() if n.endswith(secret)]
    assert {"FAL_KEY", "OPENAI_API_KEY", "RUNWAYML_API_SECRET"} <= set(names)
    values = {name: f"sk-test-{name.lower()}-5f1c0d2e9a" for name in names}
    for name, value in values.items():
        if name == "FAL_KEY":
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    (tmp_path / ".env").write_text(f"FAL_KEY={values['FAL_KEY']}\n")
    monkeypatch.chdir(tmp_path)
    return values


def test_no_key_value_leaves_the_server(tmp_path: Path, keys: dict[str, str]) -> None:
    fal = keys["FAL_KEY"]
    sent: list[str] = []

    async def noted(value: float, total: float | None, message: str | None) -> None:
        sent.append(message or "")

    async def steps() -> dict[str, object]:
        async with Client(build_server(tmp_path)) as client:
            brief = f"A 3-second teaser: a kite over a grey sea, key {fal}"
            calls = [
                ("init", {"folder": "kite", "brief": brief, "length": 3}),
                ("plan", {"project": "kite"}),
                ("route", {"project": "kite"}),
                ("models", {}),
                ("doctor", {}),
                ("status", {"project": "kite"}),
                ("route", {"project": fal}),  # an error naming the "path"
            ]
            answers = {f"{n}{i}": await client.call_tool(n, a) for i, (n, a) in enumerate(calls)}
            answers["run"] = await client.call_tool(
                "run", {"project": "kite"}, progress_callback=noted
            )
            read = await client.read_resource("shotrelay://project/kite")
            content = read.contents[0]
            assert isinstance(content, TextResourceContents)
            sent.append(resource := content.text)
            sent.extend(transcript(a) for a in answers.values())
            return {"resource": resource} | {k: a.structured_content for k, a in answers.items()}

    answers = anyio.run(steps)
    assert fal in (tmp_path / "kite" / "project.yaml").read_text()  # there to leak
    leaked = [name for name, value in keys.items() if any(value in s for s in sent)]
    assert leaked == []
    assert "key ***" in str(answers["resource"])  # the project file, masked
    run = answers["run"]
    assert isinstance(run, dict) and run["status"] == "awaiting_approval"
    assert run["spent_usd"] == 0 and run["estimated_usd"] > 0
    doctor = answers["doctor4"]
    assert isinstance(doctor, dict)
    assert any(p["usable"] and p["name"] != "local" for p in doctor["providers"])
