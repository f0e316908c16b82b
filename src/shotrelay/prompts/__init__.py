"""The prompt compiler: stage templates and model dialects, and `rephrase`."""

from shotrelay.prompts.compiler import CompiledPrompt, compile_plan_prompt, compile_prompt
from shotrelay.prompts.dialect import Dialect, dialect, dialects
from shotrelay.prompts.rephrase import parse_instruction, rephrase

__all__ = [
    "CompiledPrompt",
    "Dialect",
    "compile_plan_prompt",
    "compile_prompt",
    "dialect",
    "dialects",
    "parse_instruction",
    "rephrase",
]
