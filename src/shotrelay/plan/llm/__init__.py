"""Model-backed planners: OpenAI, Anthropic, Gemini and Ollama, with validation and repair."""

from shotrelay.plan.llm.anthropic import AnthropicPlanner
from shotrelay.plan.llm.base import Answer, LLMPlanner
from shotrelay.plan.llm.fit import fit_to_target
from shotrelay.plan.llm.gemini import GeminiPlanner
from shotrelay.plan.llm.ollama import OllamaPlanner
from shotrelay.plan.llm.openai import OpenAIPlanner
from shotrelay.plan.llm.schema import shot_list_schema
from shotrelay.plan.llm.validate import PlanError, parse_shots

__all__ = [
    "Answer",
    "AnthropicPlanner",
    "GeminiPlanner",
    "LLMPlanner",
    "OllamaPlanner",
    "OpenAIPlanner",
    "PlanError",
    "fit_to_target",
    "parse_shots",
    "shot_list_schema",
]

#: The model-backed planners by name.
