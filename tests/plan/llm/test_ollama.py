"""Ollama planner: /api/chat with ``format`` = the JSON schema, no key, OLLAMA_HOST honoured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import InvalidInput, Unreachable
from shotrelay.plan.llm import OllamaPlanner, shot_list_schema
from shotrelay.providers.credentials import Credentials

from .helpers import APIS, FakeServer, Reply, project

API = next(a for a in APIS if a.name == "ollama")


def test_request_passes_the_schema_as_format(server: Any, models: list[ModelProfile]) -> None:
    sent = API.plan_once(server, models)
    body = sent.json()
    assert body["model"] == "llama3.1:8b"
    assert body["format"] == shot_list_schema(project())
    assert body["stream"] is False
    assert "authorization" not in sent.headers


def _env(**values: str) -> Credentials:
    return Credentials(env=values, dotenv_path=Path("/nonexistent"))


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://localhost:11434"),
        ({"OLLAMA_HOST": "10.0.0.5:11434"}, "http://10.0.0.5:11434"),
        ({"OLLAMA_HOST": "https://gpu.example/"}, "https://gpu.example"),
        (
            {"OLLAMA_HOST": "10.0.0.5:11434", "SHOTRELAY_OLLAMA_BASE_URL": "http://h:1"},
            "http://h:1",
        ),
    ],
)
def test_server_address(env: dict[str, str], url: str) -> None:
    assert OllamaPlanner(credentials=_env(**env)).base_url == url


def test_no_key_needed() -> None:
    usable, why = OllamaPlanner(credentials=_env()).available()
    assert usable and "no key" in why


def test_missing_model_is_invalid_input_naming_it(server: Any, models: list[ModelProfile]) -> None:
    server.on(
        "POST",
        API.path,
        Reply(status=404, json={"error": "model 'llama3.1:8b' not found, try pulling it first"}),
    )
    with pytest.raises(InvalidInput, match="try pulling it first"):
        API.make(server).plan(project(), models)


def test_server_not_running_is_unreachable_at_once_and_says_where(
    models: list[ModelProfile],
) -> None:
    gone = FakeServer().start()
    url = gone.url
    gone.stop()
    waits: list[float] = []
    planner = OllamaPlanner(base_url=url, sleep=waits.append, retries=2, credentials=_env())
    with pytest.raises(Unreachable, match=f"could not connect to {url}"):
        planner.plan(project(), models)
    assert waits == []  # nothing went out: no retries, the caller falls back at once


def test_credentials_in_a_base_url_are_not_shown(models: list[ModelProfile]) -> None:
    gone = FakeServer().start()
    host = gone.url.removeprefix("http://")
    gone.stop()
    creds = _env(SHOTRELAY_OLLAMA_BASE_URL=f"http://admin:hunter2pw@{host}")
    planner = OllamaPlanner(credentials=creds, sleep=lambda _s: None)
    with pytest.raises(Unreachable) as info:
        planner.plan(project(), models)
    assert "hunter2pw" not in str(info.value) and f"http://{host}" in str(info.value)
