"""The rule planner's data: lexicon.yaml (what a brief says) and grammar.yaml (how to shoot it)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from shotrelay.spec.vocabulary import CameraMove, Framing, Lens, Role, Transition

__all__ = ["Genre", "Grammar", "Kind", "Lexicon", "grammar", "lexicon"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Genre(_Frozen):
    """A kind of film and what it asks of the shots."""

    words: list[str]
    pace: float
    look: str
    mood: str
    lighting: str
    camera: dict[str, CameraMove]
    establish: str
    image: str
    detail: str
    close: str
    ending: str
    transition: Transition


class Lexicon(_Frozen):
    """The contents of lexicon.yaml."""

    length_words: dict[str, float]
    formats: dict[str, list[str]]
    genres: dict[str, Genre]
    title_words: list[str]
    settings: dict[str, str]
    setting_hints: dict[str, str]
    product_hints: dict[str, str]
    default_setting: dict[str, str]
    people: list[str]
    not_names: list[str]


class Kind(_Frozen):
    """How one kind of beat is shot."""

    role: Role
    framing: Framing
    lens: Lens


class Framed(_Frozen):
    """A framing and lens pair."""

    framing: Framing
    lens: Lens


class Grammar(_Frozen):
    """The contents of grammar.yaml."""

    kinds: dict[str, Kind]
    story: list[Framed]
    climax: Framed
    speech_actions: dict[str, str]
    priority: list[str]
    templates: dict[str, str]


def _load(name: str) -> Any:
    text = resources.files("shotrelay.plan").joinpath(name).read_text("utf-8")
    return YAML(typ="safe").load(text)


@cache
def lexicon() -> Lexicon:
    """What the rule planner reads in a brief."""
    return Lexicon.model_validate(_load("lexicon.yaml"))


@cache
def grammar() -> Grammar:
    """How the rule planner shoots each kind of beat."""
    return Grammar.model_validate(_load("grammar.yaml"))
