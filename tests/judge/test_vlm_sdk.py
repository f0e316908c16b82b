"""The VLM judge's image parts against the official SDKs: OpenAI's and Anthropic's message
types (validated, nothing unknown), and the bytes google-genai and the ollama client put on
the wire for the same frames and text."""

from __future__ import annotations

import base64
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter
from tests.judge.test_vlm import BRIEF, FRAMES, rubric
from tests.plan.llm.helpers import APIS, SECRET, Api, FakeServer, Reply

from shotrelay.plan.llm.judge import VLMJudge


@pytest.fixture
def server() -> Iterator[Any]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _ours(server: Any, name: str) -> tuple[Api, dict[str, Any]]:
    api = next(a for a in APIS if a.name == name)
    server.on("POST", api.path, Reply(json=api.answer(rubric())))
    VLMJudge(api.make(server))(FRAMES, BRIEF)
    body = server.received("POST", api.path)[-1].json()
    server.requests.clear()
    return api, body


def _valid(kinds: dict[str, Any], parts: list[dict[str, Any]]) -> None:
    """Each part validates as the SDK's type for its ``type``, and keeps every key."""
    for part in parts:
        assert TypeAdapter(kinds[part["type"]]).validate_python(part) == part


def test_openai_parts_are_the_sdk_content_part_types(server: Any) -> None:
    pytest.importorskip("openai")
    from openai.types.chat import (
        ChatCompletionContentPartImageParam,
        ChatCompletionContentPartTextParam,
    )

    _, body = _ours(server, "openai")
    kinds = {
        "text": ChatCompletionContentPartTextParam,
        "image_url": ChatCompletionContentPartImageParam,
    }
    _valid(kinds, body["messages"][1]["content"])
    assert body["response_format"]["json_schema"]["name"] == "take_rubric"


def test_anthropic_blocks_are_the_sdk_block_types(server: Any) -> None:
    pytest.importorskip("anthropic")
    from anthropic.types import ImageBlockParam, TextBlockParam

    _, body = _ours(server, "anthropic")
    _valid({"text": TextBlockParam, "image": ImageBlockParam}, body["messages"][0]["content"])


def _wire(node: Any) -> Any:
    """Proto JSON as the API reads it: either key spelling, either base64 alphabet."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            key = "".join(w if i == 0 else w.title() for i, w in enumerate(k.split("_")))
            out[key] = (
                base64.urlsafe_b64decode(v.replace("+", "-").replace("/", "_"))
                if key == "data"
                else _wire(v)
            )
        return out
    if isinstance(node, list):
        return [_wire(v) for v in node]
    return node


def test_gemini_parts_match_the_google_genai_sdk(server: Any) -> None:
    pytest.importorskip("google.genai")
    from google import genai
    from google.genai import types

    api, body = _ours(server, "gemini")
    text = body["contents"][0]["parts"][0]["text"]
    client = genai.Client(api_key=SECRET, http_options=types.HttpOptions(base_url=server.url))
    parts = [types.Part(text=text)]
    parts += [types.Part.from_bytes(data=f, mime_type="image/jpeg") for f in FRAMES]
    client.models.generate_content(
        model="gemini-2.5-flash", contents=[types.Content(role="user", parts=parts)]
    )
    theirs = server.received("POST", api.path)[-1].json()
    # The SDK sends inlineData.mime_type and URL-safe base64; the API takes either form.
    assert _wire(theirs["contents"]) == _wire(body["contents"])
    assert _wire(body["contents"])[0]["parts"][1]["inlineData"]["data"] == FRAMES[0]


def test_ollama_images_match_the_ollama_client(server: Any) -> None:
    ollama = pytest.importorskip("ollama")
    api, body = _ours(server, "ollama")
    user = body["messages"][1]
    ollama.Client(host=server.url).chat(
        model=body["model"],
        messages=[body["messages"][0], {**user, "images": FRAMES}],
        format=body["format"],
        stream=False,
    )
    theirs = server.received("POST", api.path)[-1].json()
    assert theirs["messages"] == body["messages"]
