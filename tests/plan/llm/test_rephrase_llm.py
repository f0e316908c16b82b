"""`rephrase` with a language model: it sorts the instruction's words into the fields
(structured output with the target dialect's guides), an answer that drops a word is sent back,
and when the model cannot be used the rules read the instruction and say so."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

import shotrelay.api as api
from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm.rephrase import read_instruction
from shotrelay.spec.vocabulary import CameraMove, Stage

from .helpers import APIS, Reply

OPENAI = next(a for a in APIS if a.name == "openai")
INSTRUCTION = "slow push on the laptop, moody blue light, the founder smiles"


def reading(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "framing": None, "lens": None, "camera": "push-in", "lighting": "moody blue light",
        "subject": "the founder", "action": "smiles", "setting": "", "mood": "", "line": "",
        "voice": "", "keep": [], "fix": [], "verbatim": ["the laptop"],
    }  # fmt: skip
    return {**base, **fields}


def runway(models: list[ModelProfile]) -> ModelProfile:
    return next(m for m in models if m.id == "runway-gen4-turbo")


def test_the_model_reads_the_fields_with_the_dialects_guides(
    server: Any, models: list[ModelProfile]
) -> None:
    server.on("POST", OPENAI.path, Reply(json=OPENAI.answer(reading())))
    parsed = read_instruction(
        OPENAI.make(server), INSTRUCTION, Stage.GENERATE, runway(models), models
    )
    assert parsed.camera is CameraMove.PUSH_IN and parsed.subject == "the founder"
    sent = server.received("POST", OPENAI.path)[0].json()
    schema = sent["response_format"]["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) >= {"camera", "subject", "keep", "fix", "verbatim"}
    user = sent["messages"][-1]["content"]
    assert "Runway Gen-4 Prompting Guide" in user and INSTRUCTION in user


def test_an_answer_that_drops_a_word_is_sent_back(server: Any, models: list[ModelProfile]) -> None:
    dropped = reading(verbatim=[])  # "laptop" is in no field
    server.on(
        "POST",
        OPENAI.path,
        Reply(json=OPENAI.answer(dropped)),
        Reply(json=OPENAI.answer(reading())),
    )
    read_instruction(OPENAI.make(server), INSTRUCTION, Stage.GENERATE, runway(models), models)
    requests = server.received("POST", OPENAI.path)
    assert len(requests) == 2 and "laptop" in OPENAI.last_user(requests[1].json())


def test_api_rephrase_uses_the_model_reading(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-rephrase")
    monkeypatch.setenv("SHOTRELAY_OPENAI_BASE_URL", server.url)
    answer = reading(verbatim=[], subject="the laptop", action="glows", lighting="moody blue light")
    answer["keep"] = ["the founder smiles"]
    server.on("POST", OPENAI.path, Reply(json=OPENAI.answer(answer)))
    compiled = api.rephrase(INSTRUCTION, model="runway-gen4-turbo", planner="openai")
    assert compiled.parts["read_by"] == "openai"
    assert "laptop glows" in compiled.text


def test_when_the_model_cannot_be_reached_the_rules_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-rephrase")
    monkeypatch.setenv("SHOTRELAY_OPENAI_BASE_URL", f"http://127.0.0.1:{port}")
    compiled = api.rephrase(INSTRUCTION, model="runway-gen4-turbo", planner="openai")
    assert compiled.parts["read_by"].startswith("rules (the openai planner failed")
    assert compiled.text == api.rephrase(INSTRUCTION, model="runway-gen4-turbo").text
    assert json.dumps(compiled.parts).count("sk-test-rephrase") == 0
