"""Each planner's first request matches what the provider's official SDK sends for it.

The SDK and the planner hit the same loopback server; method, path, the auth and version
headers (key masked) and the JSON body must agree. SDKs come from the ``sdk-tests`` extra; a
missing one skips its test.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.llm.prompt import build_prompt
from shotrelay.plan.llm.schema import shot_list_schema

from .helpers import APIS, SECRET, Api, Reply, good_plan, project

ESSENTIAL = ("authorization", "x-api-key", "anthropic-version", "x-goog-api-key", "content-type")


def _api(name: str) -> Api:
    return next(a for a in APIS if a.name == name)


def _essential(server: Any) -> dict[str, Any]:
    sent = server.requests[-1]
    server.requests.clear()
    headers = {k: v.replace(SECRET, "<KEY>") for k, v in sent.headers.items() if k in ESSENTIAL}
    headers["content-type"] = headers.get("content-type", "").split(";")[0]
    # Empty optional fields an SDK always sends (the ollama client's "tools": []) mean nothing.
    body = {k: v for k, v in sent.json().items() if v not in ([], None)}
    return {"method": sent.method, "path": sent.path, "headers": headers, "body": body}


def _ours(api: Api, server: Any, models: list[ModelProfile]) -> tuple[dict[str, Any], Any]:
    """The planner's first request, and the opening it was built from."""
    server.on("POST", api.path, Reply(json=api.answer(good_plan())))
    api.make(server).plan(project(), models)
    ours = _essential(server)
    return ours, ours["body"]


def _drop(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return {k: _drop(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list):
        return [_drop(v, key) for v in node]
    return node


def _camel(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            ("propertyOrdering" if k == "property_ordering" else k): _camel(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_camel(v) for v in node]
    return node


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def test_openai_matches_the_openai_sdk(server: Any, models: list[ModelProfile]) -> None:
    openai = pytest.importorskip("openai")
    api = _api("openai")
    ours, body = _ours(api, server, models)
    client = openai.OpenAI(api_key=SECRET, base_url=f"{server.url}/v1", max_retries=0)
    client.chat.completions.create(
        model=body["model"], messages=body["messages"], response_format=body["response_format"]
    )
    assert _essential(server) == ours


def test_anthropic_matches_the_anthropic_sdk(server: Any, models: list[ModelProfile]) -> None:
    anthropic = pytest.importorskip("anthropic")
    api = _api("anthropic")
    ours, body = _ours(api, server, models)
    client = anthropic.Anthropic(api_key=SECRET, base_url=server.url, max_retries=0)
    client.messages.create(
        model=body["model"],
        max_tokens=body["max_tokens"],
        system=body["system"],
        messages=body["messages"],
        output_config=body["output_config"],
    )
    assert _essential(server) == ours


def test_ollama_matches_the_ollama_client(server: Any, models: list[ModelProfile]) -> None:
    ollama = pytest.importorskip("ollama")
    api = _api("ollama")
    ours, body = _ours(api, server, models)
    ollama.Client(host=server.url).chat(
        model=body["model"],
        messages=body["messages"],
        format=body["format"],
        stream=False,
        options=body["options"],
    )
    assert _essential(server) == ours


def test_gemini_matches_the_google_genai_sdk(server: Any, models: list[ModelProfile]) -> None:
    pytest.importorskip("google.genai")
    from google import genai
    from google.genai import types

    api = _api("gemini")
    ours, _ = _ours(api, server, models)
    prompt = build_prompt(project(), models)
    client = genai.Client(api_key=SECRET, http_options=types.HttpOptions(base_url=server.url))
    client.models.generate_content(
        model="gemini-2.5-flash",
        contents=[types.Content(role="user", parts=[types.Part(text=prompt.user)])],
        config=types.GenerateContentConfig(
            system_instruction=prompt.system,
            response_mime_type="application/json",
            # The JSON schema minus additionalProperties (the SDK refuses it for the Gemini
            # API): the SDK's own conversion must give the schema we send.
            response_schema=_drop(shot_list_schema(project()), "additionalProperties"),
        ),
    )
    theirs = _essential(server)
    # The SDK spells the field in proto style; proto JSON parsing takes either spelling.
    assert _camel(theirs) == ours
