"""Bad input gets a tool error a model can act on: what is wrong, which field, the fix;
and the server never reaches outside the folder it was given."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_helpers import BRIEF, data, error_text

from shotrelay.agent import build_server, serve
from shotrelay.errors import SpecError


def errors(root: Path, calls: list[tuple[str, dict[str, object]]]) -> list[str]:
    """The error message of each call, on a server whose root holds a planned project."""

    async def steps() -> list[str]:
        async with Client(build_server(root)) as client:
            data(await client.call_tool("init", {"folder": "kite", "brief": BRIEF, "length": 3}))
            data(await client.call_tool("plan", {"project": "kite"}))
            return [error_text(await client.call_tool(name, args)) for name, args in calls]

    return anyio.run(steps)


def test_bad_input_names_the_field_and_the_fix(tmp_path: Path) -> None:
    said = errors(
        tmp_path,
        [
            ("route", {"project": "../elsewhere"}),
            ("status", {"project": "/etc"}),
            ("plan", {"project": "nothing-here"}),
            ("route", {"project": "kite", "deadline": "tomorrowish"}),
            ("rate", {"project": "kite", "shot": "s1", "stars": 9}),
            ("route", {"project": "kite", "preset": "luxury"}),
            ("pick", {"project": "kite", "shot": "s1", "take": 3}),
            ("redo", {"project": "kite", "shot": "s99"}),
            ("init", {"folder": "kite", "brief": BRIEF}),
        ],
    )
    outside, absolute, missing, deadline, stars, preset, take, shot, again = said
    for text, given in ((outside, "../elsewhere"), (absolute, "/etc")):
        assert f"{given}: project: outside the folder this server works in" in text
        assert "fix: name a path under that folder" in text
    assert "no such project" in missing and "fix: call init" in missing
    assert "deadline: 'tomorrowish' is neither a date-time nor a duration" in deadline
    assert "fix: give an ISO date-time" in deadline
    assert "stars" in stars and "less than or equal to 5" in stars
    assert "preset" in preset and "'balanced'" in preset
    assert "take: shot s1 has no finished take 3" in take and "fix:" in take
    assert "s99" in shot
    assert "a project already exists here" in again
    assert all(not text.rstrip().endswith(("Error executing tool", ":")) for text in said)


def test_a_resource_outside_the_root_is_refused(tmp_path: Path) -> None:
    async def steps() -> list[str]:
        messages = []
        async with Client(build_server(tmp_path)) as client:
            for uri in (
                "shotrelay://project/..%2F..%2Fetc%2Fpasswd",
                "shotrelay://project//etc/passwd",
                "shotrelay://project/nowhere",
            ):
                with pytest.raises(MCPError) as caught:
                    await client.read_resource(uri)
                messages.append(str(caught.value))
        return messages

    traversal, absolute, missing = anyio.run(steps)
    # The SDK's path-safety check (ResourceSecurity) refuses both before our code runs.
    assert traversal.startswith("Unknown resource") and absolute.startswith("Unknown resource")
    assert "no such project" in missing


def test_http_serves_on_loopback_only() -> None:
    with pytest.raises(SpecError, match="not a loopback address"):
        serve(".", transport="http", host="0.0.0.0")
