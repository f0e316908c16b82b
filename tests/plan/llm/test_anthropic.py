"""Anthropic planner: Messages API with a forced tool whose input_schema is the shot list."""

from __future__ import annotations

from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import Rejected
from shotrelay.plan.llm import AnthropicPlanner, shot_list_schema
from shotrelay.plan.llm.anthropic import API_VERSION, TOOL

from .helpers import APIS, SECRET, Reply, good_plan, project, shot

API = next(a for a in APIS if a.name == "anthropic")


def test_request_forces_the_shot_list_tool(server: Any, models: list[ModelProfile]) -> None:
    server.on("POST", API.path, Reply(json=API.answer(good_plan())))
    API.make(server).plan(project(), models)
    sent = server.received("POST", API.path)[0]
    body = sent.json()
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert sent.headers["anthropic-version"] == API_VERSION
    assert body["model"] == "claude-sonnet-4-5"  # api_model of the catalog row
    assert body["max_tokens"] > 0 and "director" in body["system"]
    assert body["tools"][0]["name"] == TOOL
    assert body["tools"][0]["input_schema"] == shot_list_schema(project())
    assert body["tools"][0]["strict"] is True
    assert body["tool_choice"] == {"type": "tool", "name": TOOL}


def test_repair_answers_the_tool_use_with_an_error_result(
    server: Any, models: list[ModelProfile]
) -> None:
    server.on(
        "POST",
        API.path,
        Reply(json=API.answer({"shots": [shot(framing="huge")]})),
        Reply(json=API.answer(good_plan())),
    )
    API.make(server).plan(project(), models)
    messages = server.received("POST", API.path)[1].json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"][0]["type"] == "tool_use"
    result = messages[2]["content"][0]
    assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_01"
    assert result["is_error"] is True and "shots[0].framing" in result["content"]


def test_catalog_id_resolves_to_the_api_model(models: list[ModelProfile]) -> None:
    model, row = AnthropicPlanner("claude-sonnet-4.5").resolve(models)
    assert model == "claude-sonnet-4-5" and row is not None and row.id == "claude-sonnet-4.5"


def test_refusal_stop_reason_is_rejected(server: Any, models: list[ModelProfile]) -> None:
    body = API.answer("I can't help with that.")
    body["stop_reason"] = "refusal"
    server.on("POST", API.path, Reply(json=body))
    with pytest.raises(Rejected):
        API.make(server).plan(project(), models)
