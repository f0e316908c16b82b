"""OpenAI planner: Chat Completions (``POST /v1/chat/completions``) with Structured Outputs.

The request sets ``response_format: {type: json_schema, json_schema: {name, strict: true,
schema}}``; the answer is ``choices[0].message.content`` (JSON text), or
``choices[0].message.refusal`` when the model declines. Any OpenAI-compatible server that
takes ``json_schema`` works too (set ``SHOTRELAY_OPENAI_BASE_URL``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import ProviderError, Rejected, TransientError
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http.classify import openai_verdict

__all__ = ["OpenAIPlanner"]


class OpenAIPlanner(LLMPlanner):
    """Shot lists from an OpenAI chat model."""

    name = "openai"
    key_env: ClassVar[str | None] = "OPENAI_API_KEY"
    default_base_url: ClassVar[str] = "https://api.openai.com"
    default_model: ClassVar[str] = "gpt-6.1-sol"

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key.reveal()}"} if key else {}

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """By the API's codes: ``insufficient_quota`` (sent as a 429) is quota, not a rate limit."""
        return openai_verdict(status, body, detail, headers)

    def path(self, model: str) -> str:
        return "/v1/chat/completions"

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": model,
            "messages": prompt.chat_messages(),
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "shot_list", "strict": True, "schema": schema},
            },
        }

    def read(self, body: Any) -> Answer:
        try:
            choice = body["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError):
            raise TransientError(
                "openai: answer has no choices[0].message", provider=self.name
            ) from None
        if message.get("refusal"):
            raise Rejected(f"openai: the model refused: {message['refusal']}", provider=self.name)
        content = message.get("content") or ""
        stop = str(choice.get("finish_reason") or "")
        if stop == "content_filter":
            raise Rejected(
                "openai: the answer was stopped by the content filter", provider=self.name
            )
        turn = {"role": "assistant", "content": content}
        return Answer(content=content, turn=turn, stop=stop, truncated=stop == "length")

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        messages = [*request["messages"], answer.turn, {"role": "user", "content": message}]
        return {**request, "messages": messages}
