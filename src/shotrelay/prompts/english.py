"""Small grammar helpers: verbs, determiners, joining a subject to its action, sentences."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

__all__ = [
    "English",
    "definite",
    "english",
    "is_verb",
    "join_subject_action",
    "sentence",
    "split_subject",
    "third_person",
]


class English(BaseModel):
    """The contents of english.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verbs: list[str]
    irregular: dict[str, str]
    speech: list[str]
    discovery: list[str]
    determiners: list[str]
    pronouns: dict[str, str]


@cache
def english() -> English:
    """The package's English tables."""
    text = resources.files("shotrelay.prompts").joinpath("english.yaml").read_text("utf-8")
    data: Any = YAML(typ="safe").load(text)
    return English.model_validate(data)


def third_person(verb: str) -> str:
    """'walk' -> 'walks', 'reach' -> 'reaches', 'carry' -> 'carries'."""
    table = english().irregular
    if verb in table:
        return table[verb]
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


@cache
def _forms() -> dict[str, str]:
    """Every known verb form -> 'base', 'third' or 'ing'."""
    out: dict[str, str] = {}
    for base in [*english().verbs, *english().irregular]:
        out.setdefault(_ing(base), "ing")
        out.setdefault(third_person(base), "third")
        out.setdefault(base, "base")
    return out


def is_verb(word: str, *, plural_subject: bool = False) -> bool:
    """Whether ``word`` reads as the finite verb of a clause (third person, or base after a
    plural subject)."""
    form = _forms().get(word.lower())
    return form == "third" or (plural_subject and form == "base")


def base_of(word: str) -> str | None:
    """The base form of a known verb form, if any ('finds' -> 'find')."""
    w = word.lower()
    for base in [*english().verbs, *english().irregular]:
        if w in (base, third_person(base), _ing(base)):
            return base
    return None


def _plural(words: list[str]) -> bool:
    if not words:
        return False
    head = words[-1].lower()
    first = words[0].lower()
    if first in ("they", "we", "you", "i"):
        return True
    if first in ("two", "three", "four", "several", "many", "some", "these", "those"):
        return True
    if head.endswith("men") or head in ("people", "children", "crowd", "police"):
        return head != "crowd"
    return head.endswith("s") and not head.endswith("ss") and len(words) > 1


def split_subject(clause: str) -> tuple[str, str]:
    """(subject, action) of a clause: 'the founder smiles' -> ('the founder', 'smiles').

    A clause that starts with its verb has no subject (''); one without a verb is all subject.
    """
    words = clause.split()
    for i, word in enumerate(words):
        token = re.sub(r"[^\w'-]", "", word)
        if i >= 6:
            break
        ing = i > 0 and _forms().get(token.lower()) == "ing"
        if ing or (
            is_verb(token, plural_subject=_plural(words[:i])) and (i > 0 or _starts_action(token))
        ):
            return " ".join(words[:i]), " ".join(words[i:])
        following = re.sub(r"[^\w'-]", "", words[1]) if len(words) > 1 else ""
        bare = _forms().get(token.lower()) == "base" and not _starts_action(following)
        if i == 0 and bare:
            # "find the keys": an instruction's bare verb, no subject.
            return "", clause
    return clause, ""


def _starts_action(token: str) -> bool:
    return _forms().get(token.lower()) in ("third", "ing")


_ARTICLE = re.compile(r"^(a|an)\s+", re.I)


def definite(noun_phrase: str) -> str:
    """'a lighthouse keeper' -> 'the lighthouse keeper' (second mention); others unchanged."""
    return _ARTICLE.sub("the ", noun_phrase, count=1)


def join_subject_action(subject: str, action: str) -> str:
    """Subject and action as one phrase: a verb runs on ('the keeper hears'), anything else
    follows a comma ('the harbour, in the first light')."""
    subject, action = subject.strip(), action.strip()
    if not subject or not action:
        return subject or action
    first = re.sub(r"[^\w'-]", "", action.split()[0])
    running = is_verb(first, plural_subject=True) or _forms().get(first.lower()) == "ing"
    if running or first.lower() in ("as", "while", "and"):
        return f"{subject} {action}"
    return f"{subject}, {action}"


_ENDINGS = (".", "!", "?", '."', '!"', '?"', ".)", "!)", "?)", ".”", "!”", "?”")


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a closing full stop."""
    text = text.strip()
    if not text:
        return text
    if text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith(_ENDINGS) else text + "."
