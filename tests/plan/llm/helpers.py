"""Shared pieces of the planner tests: the loopback server, a project, and each API's shapes."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm import (
    AnthropicPlanner,
    GeminiPlanner,
    LLMPlanner,
    OllamaPlanner,
    OpenAIPlanner,
)
from shotrelay.providers.credentials import Credentials
from shotrelay.spec.models import Character, Project


def _load_fakeserver() -> Any:
    # The cloud adapter tests' server, reused as it is (loaded by path: tests are no package).
    name = "shotrelay_tests_fakeserver"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).parents[2] / "providers" / "cloud" / "fakeserver.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_fake = _load_fakeserver()
FakeServer = _fake.FakeServer
Reply = _fake.Reply

#: A key distinctive enough that a leak into any message is caught.
SECRET = "sk-PLANLEAK-4e1d77"


def project(target: float | None = 20.0) -> Project:
    """A small project with one character."""
    return Project(
        name="notes-ad",
        brief='20-second ad for a note-taking startup, Maya says "It remembers for me"',
        target_length=target,
        characters=[Character(name="Maya", description="a product designer, 30s")],
    )


def shot(duration: float = 5.0, **fields: Any) -> dict[str, Any]:
    """One shot as a model writes it (every schema field present)."""
    base: dict[str, Any] = {
        "duration": duration,
        "role": "b-roll",
        "framing": "medium",
        "lens": "normal",
        "camera": "static",
        "subject": "a notebook app on a laptop",
        "action": "notes appear",
        "setting": "a sunlit studio",
        "lighting": "soft window light",
        "characters": [],
        "dialogue": [],
        "transition": "cut",
        "continues_previous": False,
        "continuity": [],
    }
    return {**base, **fields}


def good_plan() -> dict[str, Any]:
    """Four shots, 20 s in all."""
    return {
        "shots": [
            shot(5, role="establishing", framing="wide", camera="push-in"),
            shot(
                5,
                role="dialogue",
                characters=["Maya"],
                dialogue=[{"speaker": "Maya", "line": "It remembers for me"}],
            ),
            shot(4, role="insert", framing="close-up", lens="macro"),
            shot(6, role="hero", framing="medium-close", transition="crossfade"),
        ]
    }


@dataclass(frozen=True)
class Api:
    """How one API carries a planner's answer and its repair requests."""

    name: str
    planner: type[LLMPlanner]
    path: str
    #: A response body whose answer is ``content`` (JSON text, or an object for tool input).
    answer: Callable[[Any], dict[str, Any]]
    #: The text of the last (repair) user turn in a request body.
    last_user: Callable[[dict[str, Any]], str]

    def make(self, server: Any, **kwargs: Any) -> LLMPlanner:
        """A planner aimed at ``server`` with the test key and a recording sleep."""
        kwargs.setdefault("sleep", lambda _s: None)
        kwargs.setdefault("credentials", Credentials(env={}, dotenv_path=Path("/nonexistent")))
        key = {} if self.planner.key_env is None else {"api_key": SECRET}
        return self.planner(base_url=server.url, **key, **kwargs)

    def plan_once(self, server: Any, models: list[ModelProfile]) -> Any:
        """Answer a good plan, have the planner ask once; the request the server received."""
        server.on("POST", self.path, Reply(json=self.answer(good_plan())))
        self.make(server).plan(project(), models)
        return server.received("POST", self.path)[0]


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def _openai_answer(content: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": _text(content), "refusal": None},
                "finish_reason": "stop",
            }
        ],
    }


def _anthropic_answer(content: Any) -> dict[str, Any]:
    blocks = [
        {"type": "thinking", "thinking": "", "signature": "sig-1"},
        {"type": "text", "text": _text(content)},
    ]
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "content": blocks,
        "stop_reason": "end_turn",
    }


def _gemini_answer(content: Any) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": _text(content)}]},
                "finishReason": "STOP",
            }
        ]
    }


def _ollama_answer(content: Any) -> dict[str, Any]:
    return {
        "model": "llama3.1:8b",
        "message": {"role": "assistant", "content": _text(content)},
        "done": True,
        "done_reason": "stop",
    }


APIS = [
    Api(
        "openai",
        OpenAIPlanner,
        "/v1/chat/completions",
        _openai_answer,
        lambda b: str(b["messages"][-1]["content"]),
    ),
    Api(
        "anthropic",
        AnthropicPlanner,
        "/v1/messages",
        _anthropic_answer,
        lambda b: str(b["messages"][-1]["content"]),
    ),
    Api(
        "gemini",
        GeminiPlanner,
        "/v1/models/gemini-2.5-flash:generateContent",
        _gemini_answer,
        lambda b: str(b["contents"][-1]["parts"][0]["text"]),
    ),
    Api(
        "ollama",
        OllamaPlanner,
        "/api/chat",
        _ollama_answer,
        lambda b: str(b["messages"][-1]["content"]),
    ),
]
