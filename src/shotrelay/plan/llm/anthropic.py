"""Anthropic planner: the Messages API (``POST /v1/messages``, ``anthropic-version:
2026-10-21``, the key as ``Authorization: Bearer``, as the ``anthropic`` 2.x SDK sends) with
one strict tool whose ``input_schema`` is the shot-list schema, forced by
``tool_choice: {type: tool, name: submit_shot_list}``.

The answer is the ``tool_use`` block's ``input`` (already an object). A bad answer is sent
back as that turn plus a ``tool_result`` block with ``is_error: true`` naming the problems.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shotrelay.errors import Rejected, TransientError
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.providers.credentials import Secret

__all__ = ["API_VERSION", "TOOL", "AnthropicPlanner"]

API_VERSION = "2026-10-21"
TOOL = "submit_shot_list"
_MAX_TOKENS = 8192
_CUT_OFF = ("max_tokens", "model_context_window_exceeded")


class AnthropicPlanner(LLMPlanner):
    """Shot lists from a Claude model through forced tool use."""

    name = "anthropic"
    key_env: ClassVar[str | None] = "ANTHROPIC_API_KEY"
    default_base_url: ClassVar[str] = "https://api.anthropic.com"
    default_model: ClassVar[str] = "claude-sonnet-4-5"

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        headers = {"anthropic-version": API_VERSION}
        if key:
            headers["Authorization"] = f"Bearer {key.reveal()}"
        return headers

    def path(self, model: str) -> str:
        return "/v1/messages"

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "model": model,
            "max_tokens": _MAX_TOKENS,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
            "tools": [
                {
                    "name": TOOL,
                    "description": "Submit the film's shot list, in cut order.",
                    "input_schema": schema,
                    "strict": True,
                }
            ],
            "tool_choice": {"type": "tool", "name": TOOL},
        }

    def read(self, body: Any) -> Answer:
        blocks = body.get("content") if isinstance(body, dict) else None
        if not isinstance(blocks, list):
            raise TransientError("anthropic: answer has no content blocks", provider=self.name)
        stop = str(body.get("stop_reason") or "")
        if stop == "refusal":
            raise Rejected("anthropic: the model refused to plan this brief", provider=self.name)
        turn = {"role": "assistant", "content": blocks}
        use = next((b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_use"), None)
        if use is None:
            text = " ".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))
            return Answer(content=text, turn=turn, stop=stop, truncated=stop in _CUT_OFF)
        return Answer(content=use.get("input"), turn=turn, stop=stop, truncated=stop in _CUT_OFF)

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        blocks = answer.turn["content"]
        use = next((b for b in blocks if isinstance(b, dict) and b.get("type") == "tool_use"), None)
        if use is not None:
            reply: Any = [
                {
                    "type": "tool_result",
                    "tool_use_id": use["id"],
                    "content": message,
                    "is_error": True,
                }
            ]
        else:
            reply = message
        messages = [*request["messages"], answer.turn, {"role": "user", "content": reply}]
        return {**request, "messages": messages}
