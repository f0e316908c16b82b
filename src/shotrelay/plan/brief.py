"""Reading a brief: topic, setting, person, product and speech, from its own words."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from shotrelay.spec.vocabulary import CameraMove, Framing, Lens, Role, Transition

__all__ = ["Beat", "BriefWords", "Grammar", "grammar", "read_brief"]


class Beat(BaseModel):
    """One beat of film grammar: what kind of shot comes here, and how it is shot."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role
    framing: Framing
    lens: Lens
    camera: CameraMove
    transition: Transition
    subject: str
    action: str
    cast: bool = False
    when: str = "always"


class Grammar(BaseModel):
    """The contents of grammar.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pace: float
    beats: list[Beat]
    priority: list[str]
    product_words: list[str]
    speech_words: list[str]
    settings: dict[str, str]
    default_setting: str
    people: dict[str, str]
    default_person: str
    products: dict[str, str]
    default_product: str


@cache
def grammar() -> Grammar:
    """The planner's film grammar and word tables."""
    text = resources.files("shotrelay.plan").joinpath("grammar.yaml").read_text("utf-8")
    data: Any = YAML(typ="safe").load(text)
    return Grammar.model_validate(data)


class BriefWords(BaseModel):
    """What the rule planner takes from a brief."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str
    core: str
    setting: str
    person: str
    product: str | None
    speech: bool
    quote: str | None


_LENGTH = re.compile(r"\b\d+(?:\.\d+)?\s*-?\s*(?:seconds?|secs?|s|minutes?|min)\b", re.I)
_TOPIC = re.compile(r"\b(?:for|about|showing|introducing|featuring|of)\s+([^,.;:!?\"]+)", re.I)
_PLACE = re.compile(r"\b(?:in|at|inside|on)\s+((?:a|an|the)\s+[^,.;:!?\"]+)", re.I)
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
_CLAUSE = re.compile(r"\s+(?:where|that|which|who|while|when|and|with|as)\s+.*$", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_FORMAT = {"ad", "advert", "spot", "video", "film", "commercial", "teaser", "trailer", "promo"}
_GENERIC = {"a", "an", "the", "new", "startup", "company", "brand", "product", "app", *_FORMAT}


def _first_keyword(text: str, table: dict[str, str]) -> str | None:
    words = re.findall(r"[a-z][a-z-]*", text.lower())
    return next((table[w] for w in words if w in table), None)


def _cut_place(topic: str) -> str:
    topic = _CLAUSE.sub("", topic)
    return re.split(r"\s+(?:in|at|inside|with|on)\s+", topic, maxsplit=1)[0].strip()


def read_brief(brief: str) -> BriefWords:
    """Topic, setting, person, product and speech named by a brief (deterministic)."""
    g = grammar()
    text = _LENGTH.sub("", brief).strip()
    quote_match = _QUOTE.search(text)
    quote = quote_match.group(1).strip() if quote_match else None
    plain = _QUOTE.sub("", text)
    topic_match = _TOPIC.search(plain)
    if topic_match:
        topic = _cut_place(topic_match.group(1))
    else:
        # No "for ..." phrase: the brief's head, without the format words ("a coffee spot").
        head = _cut_place(_ARTICLE.sub("", " ".join(plain.split())))
        topic = " ".join(w for w in head.split() if w.lower() not in _FORMAT)
    topic = topic or "the story"
    core = " ".join(w for w in topic.split() if w.lower() not in _GENERIC) or topic
    place = _PLACE.search(plain)
    setting = _CLAUSE.sub("", place.group(1)).strip() if place else None
    lowered = set(re.findall(r"[a-z][a-z-]*", plain.lower()))
    names_product = bool(lowered & set(g.product_words))
    product_template = _first_keyword(plain, g.products) or g.default_product
    return BriefWords(
        topic=topic,
        core=core,
        setting=setting or _first_keyword(plain, g.settings) or g.default_setting,
        person=_first_keyword(plain, g.people) or g.default_person,
        product=product_template.format(core=core) if names_product else None,
        speech=bool(quote) or bool(lowered & set(g.speech_words)),
        quote=quote,
    )
