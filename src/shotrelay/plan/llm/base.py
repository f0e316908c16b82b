"""LLMPlanner: a planner backed by a language model's structured output, with repair.

A backend says how to open the conversation, read an answer and ask for a repair; this base
does the rest: prompt and schema from the project, validation against ``Shot``, up to
``attempts`` answers (each bad one sent back with its problems), then durations fitted to the
target length. A backend is one small module; see ``openai.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import httpx

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import AuthError, ProviderError
from shotrelay.plan.llm._http import JsonClient
from shotrelay.plan.llm.fit import fit_to_target
from shotrelay.plan.llm.prompt import PlanPrompt, build_prompt, repair_message
from shotrelay.plan.llm.schema import shot_list_schema
from shotrelay.plan.llm.validate import BadAnswer, PlanError, parse_shots
from shotrelay.providers.credentials import Credentials, Secret
from shotrelay.providers.http.classify import default_verdict
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Task

_T = TypeVar("_T")

__all__ = ["Answer", "LLMPlanner"]


@dataclass(frozen=True)
class Answer:
    """One model answer: ``content`` (JSON text or a decoded object) and how it ended."""

    content: str | Any
    #: The assistant turn as the API wants it echoed back in a repair request.
    turn: Any
    #: Why generation stopped, in the API's words ("stop", "length", "MAX_TOKENS", ...).
    stop: str = ""
    #: Whether the stop reason means the answer was cut off by the token limit.
    truncated: bool = False


class LLMPlanner:
    """Base of the model-backed planners; subclasses implement the five API hooks."""

    name: str
    #: Environment variable holding the API key; None for servers without keys (Ollama).
    key_env: ClassVar[str | None]
    default_base_url: ClassVar[str]
    #: The model when neither the caller nor the catalog names one.
    default_model: ClassVar[str]

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        credentials: Credentials | None = None,
        attempts: int = 3,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.model = model
        self.attempts = attempts
        self.retries = retries
        self._credentials = credentials or Credentials()
        self._explicit_key = Secret(api_key) if api_key else None
        self._base_url = base_url
        self._sleep = sleep
        self._timeout = timeout
        self._transport = transport

    # ----- hooks a backend implements ----------------------------------------------------

    def auth_headers(self, key: Secret | None) -> dict[str, str]:
        """Headers for one request (built per request, never stored)."""
        raise NotImplementedError

    def path(self, model: str) -> str:
        """The endpoint path for ``model``."""
        raise NotImplementedError

    def opening(self, model: str, prompt: PlanPrompt, schema: dict[str, Any]) -> dict[str, Any]:
        """The first request body."""
        raise NotImplementedError

    def read(self, body: Any) -> Answer:
        """The answer in a response body; raise ``Rejected`` for refusals and blocks."""
        raise NotImplementedError

    def repair(self, request: dict[str, Any], answer: Answer, message: str) -> dict[str, Any]:
        """The next request body: ``request`` plus the bad answer and the repair ``message``."""
        raise NotImplementedError

    def classify_error(
        self, status: int, body: Any, detail: str, headers: Mapping[str, str]
    ) -> type[ProviderError] | None:
        """The API's own verdict on an HTTP error from its codes (quota on a 429, ...); None
        = by status. Default: moderation words on a 400/422, the last resort."""
        return default_verdict(status, body, detail, headers)

    # ----- configuration -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Where requests go: the argument, ``SHOTRELAY_<NAME>_BASE_URL``, or the public URL."""
        env = f"SHOTRELAY_{self.name.upper()}_BASE_URL"
        return (self._base_url or self._credentials.setting(env) or self.default_base_url).rstrip(
            "/"
        )

    def _key(self) -> Secret | None:
        if self.key_env is None:
            return None
        return self._explicit_key or self._credentials.get(self.key_env)

    def available(self) -> tuple[bool, str]:
        """Usable when its key is set (always, for keyless servers); the reason says why."""
        if self.key_env is None:
            return True, f"no key needed; server at {self.base_url}"
        if self._key() is None:
            return False, f"set {self.key_env}"
        return True, f"{self.key_env} is set"

    def resolve(self, models: Sequence[ModelProfile]) -> tuple[str, ModelProfile | None]:
        """The API model id and its catalog row: the given model (a catalog id or an API id),
        else the first planning row of this provider in the catalog, else ``default_model``."""
        rows = [m for m in models if m.provider == self.name and m.does(Task.PLAN)]
        if self.model:
            row = next((m for m in rows if self.model in (m.id, m.api_model)), None)
            return (row.endpoint(Task.PLAN) if row else self.model), row
        if rows:
            return rows[0].endpoint(Task.PLAN), rows[0]
        return self.default_model, None

    # ----- the Planner protocol ----------------------------------------------------------

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        """Shots from the model, validated (repaired up to ``attempts`` answers) and timed."""
        prompt = build_prompt(project, models, self.resolve(models)[1])

        def shots(content: str) -> list[Shot]:
            try:
                return fit_to_target(parse_shots(content, project), prompt.target, models)
            except PlanError as unfit:  # too few shots for the target: ask for more
                raise BadAnswer([str(unfit)]) from None

        return self.ask(prompt, shot_list_schema(project), shots, models, what="shot list")

    def ask(
        self,
        prompt: PlanPrompt,
        schema: dict[str, Any],
        parse: Callable[[str], _T],
        models: Sequence[ModelProfile] = (),
        *,
        what: str = "answer",
    ) -> _T:
        """One structured-output conversation: the answer as ``parse`` reads it, asking for
        repairs (up to ``attempts`` answers) while ``parse`` raises ``BadAnswer``."""
        model, _row = self.resolve(models)
        key = self._key()
        if self.key_env is not None and key is None:
            raise AuthError(
                f"{self.name} planner: no API key; set {self.key_env} (environment or .env) "
                "or choose another planner, e.g. --planner rules",
                provider=self.name,
                model=model,
            )
        client = JsonClient(
            provider=self.name,
            base_url=self.base_url,
            headers=lambda: self.auth_headers(self._key()),
            key=key,
            key_env=self.key_env,
            verdict=self.classify_error,
            retries=self.retries,
            sleep=self._sleep,
            timeout=self._timeout,
            transport=self._transport,
        )
        request = self.opening(model, prompt, schema)
        problems: list[str] = []
        for _ in range(self.attempts):
            answer = self.read(client.post(self.path(model), request, model=model))
            try:
                return parse(answer.content)
            except BadAnswer as bad:
                problems = bad.problems
                if answer.truncated:
                    problems = [
                        f"the answer was cut off at the token limit ({answer.stop}); "
                        f"write a shorter {what}",
                        *problems,
                    ]
                request = self.repair(request, answer, repair_message(problems))
        listed = "\n".join(f"  - {p}" for p in problems)
        raise PlanError(
            f"{self.name} planner ({model}) gave no valid {what} in {self.attempts} "
            f"answers; the last one had these problems:\n{listed}\n"
            "  fix: try again, choose a stronger model (--planner name:model), "
            "or use --planner rules"
        )
