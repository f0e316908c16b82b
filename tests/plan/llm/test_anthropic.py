"""Anthropic planner: Messages API with JSON structured output (``output_config.format``)."""

from __future__ import annotations

from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import Rejected
from shotrelay.plan.llm import AnthropicPlanner, shot_list_schema
from shotrelay.plan.llm.anthropic import API_VERSION

from .helpers import APIS, SECRET, Reply, good_plan, project, shot

API = next(a for a in APIS if a.name == "anthropic")


def test_request_asks_for_json_output_with_the_schema(
    server: Any, models: list[ModelProfile]
) -> None:
    sent = API.plan_once(server, models)
    body = sent.json()
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert sent.headers["anthropic-version"] == API_VERSION
    assert body["model"] == "claude-sonnet-5-5"  # api_model of the catalog row
    assert body["max_tokens"] > 0 and "director" in body["system"]
    assert body["output_config"] == {
        "format": {"type": "json_schema", "schema": shot_list_schema(project())}
    }
    # Refused by Claude 5.5 models: forced tools and sampling parameters.
    assert not {"tools", "tool_choice", "temperature", "top_p", "top_k"} & set(body)


def test_repair_echoes_every_block_then_lists_the_problems(
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
    assert [b["type"] for b in messages[1]["content"]] == ["thinking", "text"]
    assert "shots[0].framing" in messages[2]["content"]


def test_cut_off_by_the_context_window_asks_for_less(
    server: Any, models: list[ModelProfile]
) -> None:
    cut = API.answer('{"shots": [')
    cut["stop_reason"] = "model_context_window_exceeded"
    server.on("POST", API.path, Reply(json=cut), Reply(json=API.answer(good_plan())))
    API.make(server).plan(project(), models)
    feedback = server.received("POST", API.path)[1].json()["messages"][-1]["content"]
    assert "cut off at the token limit (model_context_window_exceeded)" in feedback


def test_catalog_id_resolves_to_the_api_model(models: list[ModelProfile]) -> None:
    model, row = AnthropicPlanner("claude-sonnet-5.5").resolve(models)
    assert model == "claude-sonnet-5-5" and row is not None and row.id == "claude-sonnet-5.5"


def test_refusal_stop_reason_is_rejected(server: Any, models: list[ModelProfile]) -> None:
    body = API.answer("I can't help with that.")
    body["stop_reason"] = "refusal"
    server.on("POST", API.path, Reply(json=body))
    with pytest.raises(Rejected):
        API.make(server).plan(project(), models)
