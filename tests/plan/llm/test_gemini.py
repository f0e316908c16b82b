"""Gemini planner: generateContent with responseMimeType JSON and an OpenAPI responseSchema."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import Rejected
from shotrelay.plan.llm.schema import gemini_schema, shot_list_schema

from .helpers import APIS, SECRET, Reply, good_plan, project

API = next(a for a in APIS if a.name == "gemini")


def test_request_asks_for_json_with_a_response_schema(
    server: Any, models: list[ModelProfile]
) -> None:
    sent = API.plan_once(server, models)
    body = sent.json()
    assert sent.headers["x-goog-api-key"] == SECRET
    assert "authorization" not in sent.headers
    assert body["systemInstruction"]["role"] == "user"
    assert "director" in body["systemInstruction"]["parts"][0]["text"]
    assert body["contents"][0]["role"] == "user"
    config = body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseSchema"] == gemini_schema(shot_list_schema(project()))


def test_response_schema_is_in_the_openapi_subset() -> None:
    schema = gemini_schema(shot_list_schema(project()))
    text = json.dumps(schema)
    assert "additionalProperties" not in text and "exclusiveMinimum" not in text
    item = schema["properties"]["shots"]["items"]
    assert schema["type"] == "OBJECT" and item["type"] == "OBJECT"
    assert item["properties"]["duration"]["type"] == "NUMBER"
    assert item["propertyOrdering"][:2] == ["duration", "role"]
    assert "propertyOrdering" not in schema  # one property: nothing to order


def test_repair_adds_the_model_turn_then_the_problems(
    server: Any, models: list[ModelProfile]
) -> None:
    server.on(
        "POST", API.path, Reply(json=API.answer("{oops")), Reply(json=API.answer(good_plan()))
    )
    API.make(server).plan(project(), models)
    contents = server.received("POST", API.path)[1].json()["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[1]["parts"][0]["text"] == "{oops"


@pytest.mark.parametrize(
    "body",
    [
        {"promptFeedback": {"blockReason": "SAFETY"}},
        {"candidates": [{"finishReason": "SAFETY", "content": {"parts": []}}]},
    ],
)
def test_safety_blocks_are_rejected(
    body: dict[str, Any], server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", API.path, Reply(json=body))
    with pytest.raises(Rejected):
        API.make(server).plan(project(), models)


def _parts(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": list(parts)}}]}


def test_thought_parts_are_not_part_of_the_answer(server: Any, models: list[ModelProfile]) -> None:
    answer = _parts({"text": "thinking...", "thought": True}, {"text": json.dumps(good_plan())})
    server.on("POST", API.path, Reply(json=answer))
    assert len(API.make(server).plan(project(), models)) == 4
    assert len(server.received("POST", API.path)) == 1


def test_repair_echoes_the_parts_with_their_signatures(
    server: Any, models: list[ModelProfile]
) -> None:
    bad = _parts({"text": "{oops", "thoughtSignature": "c2ln"})
    server.on("POST", API.path, Reply(json=bad), Reply(json=API.answer(good_plan())))
    API.make(server).plan(project(), models)
    contents = server.received("POST", API.path)[1].json()["contents"]
    assert contents[1] == {
        "role": "model",
        "parts": [{"text": "{oops", "thoughtSignature": "c2ln"}],
    }
