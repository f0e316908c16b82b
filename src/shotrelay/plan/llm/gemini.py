"""Gemini planner: ``POST /v1/models/{model}:generateContent`` (the API version the
``google-genai`` 3.x SDK uses for the Gemini API) with
``generationConfig.responseMimeType: application/json`` and ``responseSchema`` (the Gemini
API's OpenAPI-subset schema). The answer is ``candidates[0].content.parts[*].text``; a prompt
blocked by safety (``promptFeedback.blockReason``) or a candidate stopped for safety is a
``Rejected`` error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from shotrelay.errors import ProviderError, Rejected, TransientError
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.prompt import PlanPrompt
from shotrelay.plan.llm.schema import gemini_schema
from shotrelay.providers.credentials import Secret
from shotrelay.providers.http.classify import google_verdict

__all__ = ["GeminiPlanner"]

_BLOCKED = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"}


class GeminiPlanner(LLMPlanner):
    """Shot lists from a Gemini model."""

    name = "gemini"
    key_env: ClassVar[str | None] = "GEMINI_API_KEY"
    default_base_url: ClassVar[str] = "https://generativelanguage.googleapis.com"
    default_model: ClassVar[str] = "gemini-2.5-flash"
    #: The API version in the path: ``v1``, as the google-genai 3.x SDK sends.
    api_version: ClassVar[str] = "v1"

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        return {"x-goog-api-key": key.reveal()} if key else {}

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """By the API's codes: a per-day ``RESOURCE_EXHAUSTED`` quota is quota, per-minute a
        rate limit (``google.rpc.QuotaFailure`` ``violations[].quotaId``)."""
        return google_verdict(status, body, detail, headers)

    def path(self, model: str) -> str:
        return f"/{self.api_version}/models/{model.removeprefix('models/')}:generateContent"

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "systemInstruction": {"role": "user", "parts": [{"text": prompt.system}]},
            "contents": [{"role": "user", "parts": [{"text": prompt.user}]}],
            "generationConfig": {
                "responseMimeType": "application/json",
                "responseSchema": gemini_schema(schema),
            },
        }

    def read(self, body: Any) -> Answer:
        if not isinstance(body, dict):
            raise TransientError("gemini: answer is not a JSON object", provider=self.name)
        blocked = (body.get("promptFeedback") or {}).get("blockReason")
        if blocked:
            raise Rejected(f"gemini: the prompt was blocked ({blocked})", provider=self.name)
        try:
            candidate = body["candidates"][0]
        except (KeyError, IndexError, TypeError):
            raise TransientError("gemini: answer has no candidates", provider=self.name) from None
        stop = str(candidate.get("finishReason") or "")
        if stop in _BLOCKED:
            raise Rejected(f"gemini: the answer was stopped ({stop})", provider=self.name)
        parts = [
            p for p in (candidate.get("content") or {}).get("parts") or [] if isinstance(p, dict)
        ]
        # Thought summaries are not the answer; thought signatures ride along in the turn.
        text = "".join(str(p.get("text", "")) for p in parts if not p.get("thought"))
        turn = {"role": "model", "parts": parts or [{"text": ""}]}
        return Answer(content=text, turn=turn, stop=stop, truncated=stop == "MAX_TOKENS")

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        contents = [
            *request["contents"],
            answer.turn,
            {"role": "user", "parts": [{"text": message}]},
        ]
        return {**request, "contents": contents}
