"""Ollama planner: a local server's ``POST /api/chat`` with ``format`` set to the JSON schema
(structured outputs, Ollama 0.5 and later) and ``stream: false``. The answer is
``message.content`` (JSON text). No key; the server is ``OLLAMA_HOST`` or
http://localhost:11434.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx

from shotrelay.errors import TransientError
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.providers.credentials import Secret

__all__ = ["OllamaPlanner"]


class OllamaPlanner(LLMPlanner):
    """Shot lists from a model served by Ollama on this machine (or OLLAMA_HOST)."""

    name = "ollama"
    key_env: ClassVar[str | None] = None
    default_base_url: ClassVar[str] = "http://localhost:11434"
    default_model: ClassVar[str] = "llama3.1:8b"

    @property
    def base_url(self) -> str:
        """The argument, ``SHOTRELAY_OLLAMA_BASE_URL``, ``OLLAMA_HOST``, or localhost:11434."""
        url = (
            self._base_url
            or self._credentials.setting("SHOTRELAY_OLLAMA_BASE_URL")
            or self._credentials.setting("OLLAMA_HOST")
            or self.default_base_url
        )
        # OLLAMA_HOST is often host:port without a scheme.
        return (url if "://" in url else f"http://{url}").rstrip("/")

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        return {}

    def probe(self, timeout: float = 1.0) -> tuple[bool, str]:
        """Whether an Ollama server answers at :attr:`base_url` (``GET /api/tags``)."""
        fix = "start it with `ollama serve`, or set OLLAMA_HOST to where it runs"
        try:
            answer = httpx.get(f"{self.base_url}/api/tags", timeout=timeout)
        except httpx.HTTPError as exc:
            return (
                False,
                f"no Ollama server answers at {self.base_url} ({type(exc).__name__}); {fix}",
            )
        if answer.status_code != 200:
            return False, f"{self.base_url} answered HTTP {answer.status_code}, not Ollama; {fix}"
        return True, f"server at {self.base_url} answers"

    def path(self, model: str) -> str:
        return "/api/chat"

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": model,
            "messages": prompt.chat_messages(),
            "format": schema,
            "stream": False,
            # Low temperature: a shot list should follow the schema, not wander.
            "options": {"temperature": 0.2},
        }

    def read(self, body: Any) -> Answer:
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            raise TransientError("ollama: answer has no message", provider=self.name)
        content = str(message.get("content") or "")
        stop = str(body.get("done_reason") or "")
        turn = {"role": "assistant", "content": content}
        return Answer(content=content, turn=turn, stop=stop, truncated=stop == "length")

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        messages = [*request["messages"], answer.turn, {"role": "user", "content": message}]
        return {**request, "messages": messages}
