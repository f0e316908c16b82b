"""Anthropic planner: the Messages API (``POST /v1/messages``) with structured outputs,
``output_config: {format: {type: json_schema, schema}}``; the answer is the JSON text of the
response's ``text`` blocks. Headers as the ``anthropic`` 2.x SDK sends them: the key as
``Authorization: Bearer`` and ``anthropic-version: 2026-10-21``.

Forced tool use (``tool_choice: {type: tool}``) is not used: Claude Sonnet 5.5, Opus 5.5 and
Fable 5.1 answer it with HTTP 400. No sampling parameters either (Sonnet 5 and later refuse
non-default ones). Other blocks in the answer (thinking) are echoed back unchanged in a repair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import ProviderError, Rejected, TransientError
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http.classify import anthropic_verdict

__all__ = ["API_VERSION", "AnthropicPlanner"]

API_VERSION = "2026-10-21"
# Room for adaptive thinking (on by default on Sonnet 5 and later) plus the shot list.
_MAX_TOKENS = 16000
_CUT_OFF = ("max_tokens", "model_context_window_exceeded")


class AnthropicPlanner(LLMPlanner):
    """Shot lists from a Claude model through JSON structured output."""

    name = "anthropic"
    key_env: ClassVar[str | None] = "ANTHROPIC_API_KEY"
    default_base_url: ClassVar[str] = "https://api.anthropic.com"
    default_model: ClassVar[str] = "claude-sonnet-5-5"

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        headers = {"anthropic-version": API_VERSION}
        if key:
            headers["Authorization"] = f"Bearer {key.reveal()}"
        return headers

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """By the API's codes: ``billing_error`` is quota; ``overloaded_error`` is passing."""
        return anthropic_verdict(status, body, detail, headers)

    def path(self, model: str) -> str:
        return "/v1/messages"

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": model,
            "max_tokens": _MAX_TOKENS,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
            "output_config": {"format": {"type": "json_schema", "schema": schema}},
        }

    def read(self, body: Any) -> Answer:
        blocks = body.get("content") if isinstance(body, dict) else None
        if not isinstance(blocks, list):
            raise TransientError("anthropic: answer has no content blocks", provider=self.name)
        stop = str(body.get("stop_reason") or "")
        if stop == "refusal":
            raise Rejected("anthropic: the model refused to plan this brief", provider=self.name)
        text = "".join(
            str(b.get("text", ""))
            for b in blocks
            if isinstance(b, dict) and b.get("type") == "text"
        )
        turn = {"role": "assistant", "content": blocks}
        return Answer(content=text, turn=turn, stop=stop, truncated=stop in _CUT_OFF)

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        messages = [*request["messages"], answer.turn, {"role": "user", "content": message}]
        return {**request, "messages": messages}
