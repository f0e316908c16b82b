"""The VLM judge: frames + intent + neighbours to each API as its images, a JSON rubric back
(validated, repaired), and the rubric as ``vlm_<axis>`` checks; against a loopback server."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.judge.clips import clean
from tests.plan.llm.helpers import APIS, Api, FakeServer, Reply

from shotrelay.judge import Asked, judge_clip
from shotrelay.plan.llm.judge import AXES, TakeBrief, VLMJudge, parse_rubric
from shotrelay.plan.llm.validate import BadAnswer

JPEG = b"\xff\xd8\xff\xe0fake-jpeg-1"
FRAMES = [JPEG, b"\xff\xd8\xff\xe0fake-jpeg-2"]
BRIEF = TakeBrief(
    intent="close-up of Maya smiling at her laptop",
    before="wide shot of a sunlit studio",
    after="insert of the notes app",
    frames="start, end",
)


def rubric(**scores: float) -> dict[str, Any]:
    """A rubric answer: every axis 0.8 unless given."""
    return {a: {"score": scores.get(a, 0.8), "reason": f"{a} looks right"} for a in AXES}


@pytest.fixture
def server() -> Iterator[Any]:
    srv = FakeServer().start()
    yield srv
    srv.stop()


def _opening(api: str, body: dict[str, Any]) -> Any:
    """The conversation's first user turn (after OpenAI's and Ollama's system message)."""
    if api == "gemini":
        return body["contents"][0]
    return body["messages"][0 if api == "anthropic" else 1]


def _images(api: str, body: dict[str, Any]) -> list[bytes]:
    """The images the opening carries, decoded, checked to be in the API's own shape."""
    turn = _opening(api, body)
    if api == "openai":
        parts = turn["content"]
        urls = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
        assert all(u.startswith("data:image/jpeg;base64,") for u in urls)
        return [base64.b64decode(u.split(",", 1)[1]) for u in urls]
    if api == "anthropic":
        parts = turn["content"]
        srcs = [p["source"] for p in parts if p["type"] == "image"]
        assert all(s["type"] == "base64" and s["media_type"] == "image/jpeg" for s in srcs)
        return [base64.b64decode(s["data"]) for s in srcs]
    if api == "gemini":
        parts = turn["parts"]
        blobs = [p["inlineData"] for p in parts if "inlineData" in p]
        assert all(b["mimeType"] == "image/jpeg" for b in blobs)
        return [base64.b64decode(b["data"]) for b in blobs]
    return [base64.b64decode(i) for i in turn["images"]]


def _text(api: str, body: dict[str, Any]) -> str:
    turn = _opening(api, body)
    if api == "gemini":
        return str(turn["parts"][0]["text"])
    content = turn["content"]
    return content if isinstance(content, str) else str(content[0]["text"])


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.name)
def test_each_api_gets_the_frames_intent_and_neighbours(server: Any, api: Api) -> None:
    server.on("POST", api.path, Reply(json=api.answer(rubric(intent=0.3))))
    result = VLMJudge(api.make(server))(FRAMES, BRIEF)
    assert result.axes["intent"].score == 0.3
    assert result.axes["motion"].reason == "motion looks right"
    assert result.model.startswith(f"{api.name}:")
    (sent,) = server.received("POST", api.path)
    body = sent.json()
    assert _images(api.name, body) == FRAMES
    text = _text(api.name, body)
    assert BRIEF.intent in text and BRIEF.before in text and BRIEF.after in text
    assert "2 frame(s)" in text


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.name)
def test_an_invalid_rubric_is_sent_back_for_repair(server: Any, api: Api) -> None:
    bad = rubric()
    bad["intent"] = {"score": 1.5, "reason": "great"}
    del bad["motion"]
    server.on("POST", api.path, Reply(json=api.answer(bad)), Reply(json=api.answer(rubric())))
    result = VLMJudge(api.make(server))(FRAMES, BRIEF)
    assert result.axes["intent"].score == 0.8
    _first, second = server.received("POST", api.path)
    repair = api.last_user(second.json())
    assert "intent.score: 1.5" in repair and "motion: missing" in repair
    assert _images(api.name, second.json()) == FRAMES  # the frames stay in the conversation


def test_parse_rubric_names_every_problem() -> None:
    with pytest.raises(BadAnswer) as bad:
        parse_rubric('{"intent": {"score": "high", "reason": ""}, "mood": 1}')
    text = str(bad.value)
    assert "intent.score" in text and "continuity: missing" in text and "mood" in text
    with pytest.raises(BadAnswer, match="not JSON"):
        parse_rubric("Sure! Here is")
    assert parse_rubric(rubric()).axes.keys() == AXES.keys()


def test_a_planner_that_cannot_see_is_refused() -> None:
    class Blind:
        name = "rules"

    with pytest.raises(ValueError, match="cannot send images"):
        VLMJudge(Blind())  # type: ignore[arg-type]


def test_the_rubric_becomes_soft_checks_of_the_take(
    write: Callable[..., Path], asked: Asked
) -> None:
    seen: list[int] = []

    def vlm(frames: list[NDArray[np.uint8]]) -> Mapping[str, tuple[float, str]]:
        seen.append(len(frames))
        assert all(f.ndim == 3 and f.shape[2] == 3 for f in frames)
        return {"intent": (0.9, "Maya smiles"), "aesthetics": (0.2, "her hand has six fingers")}

    judged = judge_clip(write("clean", clean()), asked, vlm=vlm)
    assert seen == [3]
    intent, looks = judged.check("vlm_intent"), judged.check("vlm_aesthetics")
    assert intent is not None and intent.passed and intent.reason == "VLM: Maya smiles"
    assert looks is not None and not looks.passed and not looks.hard
    assert not judged.defective
    plain = judge_clip(write("clean", clean()), asked)
    assert judged.score < plain.score
