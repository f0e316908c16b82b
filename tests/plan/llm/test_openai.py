"""OpenAI planner: the Chat Completions request with a strict json_schema response format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shotrelay.api import init_project, plan_file
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import Rejected
from shotrelay.plan.llm import OpenAIPlanner, shot_list_schema

from .helpers import APIS, SECRET, Reply, good_plan, project, shot

API = next(a for a in APIS if a.name == "openai")


def test_request_uses_structured_outputs_and_bearer_key(
    server: Any, models: list[ModelProfile]
) -> None:
    sent = API.plan_once(server, models)
    body = sent.json()
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    assert body["model"] == "gpt-6.1-sol"  # the catalog's planning row
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "20-second ad" in body["messages"][1]["content"]
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "shot_list", "strict": True, "schema": shot_list_schema(project())},
    }


def test_repair_echoes_the_bad_answer_as_the_assistant_turn(
    server: Any, models: list[ModelProfile]
) -> None:
    server.on(
        "POST", API.path, Reply(json=API.answer("not json")), Reply(json=API.answer(good_plan()))
    )
    API.make(server).plan(project(), models)
    messages = server.received("POST", API.path)[1].json()["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == "not json"


def test_cut_off_answer_asks_for_a_shorter_plan(server: Any, models: list[ModelProfile]) -> None:
    cut = API.answer('{"shots": [')
    cut["choices"][0]["finish_reason"] = "length"
    server.on("POST", API.path, Reply(json=cut), Reply(json=API.answer(good_plan())))
    API.make(server).plan(project(), models)
    feedback = server.received("POST", API.path)[1].json()["messages"][-1]["content"]
    assert "cut off at the token limit" in feedback


def test_refusal_is_rejected(server: Any, models: list[ModelProfile]) -> None:
    body = API.answer("")
    body["choices"][0]["message"] = {"role": "assistant", "content": None, "refusal": "No."}
    server.on("POST", API.path, Reply(json=body))
    with pytest.raises(Rejected, match="refused"):
        API.make(server).plan(project(), models)


def test_model_argument_may_be_a_catalog_id_or_an_api_id(models: list[ModelProfile]) -> None:
    assert OpenAIPlanner("gpt-6.1-sol").resolve(models)[0] == "gpt-6.1-sol"
    assert OpenAIPlanner("gpt-4.1-mini").resolve(models) == ("gpt-4.1-mini", None)
    assert OpenAIPlanner().resolve([]) == ("gpt-6.1-sol", None)


def test_plan_file_writes_the_models_shots(
    server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("SHOTRELAY_OPENAI_BASE_URL", server.url)
    plan = {"shots": [shot(6, role="establishing"), shot(4, role="hero")]}
    server.on("POST", API.path, Reply(json=API.answer(plan)))
    path = init_project(tmp_path / "ad", brief="a 10-second coffee spot", length=10, aspect="16:9")

    result = plan_file(path, planner="openai:gpt-6-luna")

    assert [s.role for s in result.project.shots] == ["establishing", "hero"]
    assert server.received("POST", API.path)[0].json()["model"] == "gpt-6-luna"
    written = path.read_text(encoding="utf-8")
    assert "establishing" in written and SECRET not in written
