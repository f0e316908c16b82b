"""Reading a brief: length, format, genre, setting, people, product and the beats in order."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.plan.lexicon import lexicon
from shotrelay.prompts.english import english, is_verb, split_subject

__all__ = ["BriefReading", "Clause", "read_brief"]


class Clause(BaseModel):
    """One beat the brief writes: who does what, in the brief's words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str
    action: str
    quote: str | None = None
    speech: bool = False
    discovery: str = Field("", description="What the subject finds or sees, shown in detail.")


class BriefReading(BaseModel):
    """Everything the rule planner takes from a brief (deterministic)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    length: float | None
    aspect: str | None
    genre: str
    ad: bool
    titled: bool
    topic: str
    topic_named: bool
    product: str | None
    setting: str
    time: str
    names: list[str]
    clauses: list[Clause]
    end_card: bool


_NUMBER_LENGTH = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*-?\s*(seconds?|secs?|s|minutes?|mins?|min|m)\b(?:\s*-?\s*long)?", re.I
)
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
_TOPIC = re.compile(r"\b(?:for|about|introducing|featuring)\s+([^,.;:!?]+)", re.I)
_TIME = re.compile(r"\b(night|midnight|dawn|dusk|sunset|sunrise|golden hour|twilight|morning)\b")
_SPLIT = re.compile(r"[;,.]|\s+(?:and then|then|before|until|but)\s+", re.I)
_LEAD = re.compile(r"^(?:and|then|but|as|while|so|finally|until)\s+", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def _length(text: str) -> tuple[float | None, str]:
    lowered = text.lower()
    for phrase in sorted(lexicon().length_words, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            cut = re.sub(rf"(?:,\s*)?\b{re.escape(phrase)}\b(?:\s+long)?", "", text, flags=re.I)
            return lexicon().length_words[phrase], cut
    match = _NUMBER_LENGTH.search(text)
    if not match:
        return None, text
    value = float(match.group(1))
    if match.group(2).lower().startswith("m"):
        value *= 60
    return value, text[: match.start()] + text[match.end() :]


def _aspect(lowered: str) -> str | None:
    for aspect, words in lexicon().formats.items():
        if any(re.search(rf"(?<![\w:]){re.escape(w)}(?![\w:])", lowered) for w in words):
            return aspect
    return None


def _has_word(lowered: str, words: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)


def _genre(lowered: str) -> str:
    for name, genre in lexicon().genres.items():
        if _has_word(lowered, genre.words):
            return name
    return "general"


def _head_and_story(text: str) -> tuple[str, str]:
    if ":" in text:
        head, story = text.split(":", 1)
        return head, story
    where = re.search(r"\s+(?:where|in which)\s+", text, re.I)
    if where:
        return text[: where.start()], text[where.end() :]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    if len(sentences) > 1:
        return sentences[0], " ".join(sentences[1:])
    return text, ""


def _clauses(story: str, quotes: list[str]) -> list[Clause]:
    out: list[Clause] = []
    for raw in _SPLIT.split(story):
        text = _LEAD.sub("", " ".join(raw.split())).strip(" -")
        if not text:
            continue
        # "... and smiles": a second verb after "and" is its own beat.
        parts = re.split(r"\s+and\s+(?=\w+)", text)
        merged: list[str] = [parts[0]]
        for part in parts[1:]:
            first = part.split()[0]
            if is_verb(first):
                merged.append(part)
            else:
                merged[-1] += " and " + part
        for piece in merged:
            out.append(_clause(piece, quotes))
    return out


def _clause(text: str, quotes: list[str]) -> Clause:
    quote = None
    marker = re.search(r"«(\d+)»", text)
    if marker:
        quote = quotes[int(marker.group(1))]
        text = (text[: marker.start()] + text[marker.end() :]).strip(" :")
    subject, action = split_subject(text)
    verb = action.split()[0].lower() if action else ""
    table = english()
    speech = any(verb.startswith(v) for v in table.speech) if verb else False
    discovery = ""
    if verb and any(verb.startswith(v) for v in table.discovery):
        discovery = " ".join(action.split()[1:])
    return Clause(subject=subject, action=action, quote=quote, speech=speech, discovery=discovery)


def _setting(text: str, genre: str) -> str:
    """The place: the brief's own phrase for it ("a fishing harbour"), a keyword's phrase
    ("lighthouse keeper" -> an isolated lighthouse), a hint, or the genre's default."""
    lex = lexicon()
    lowered = text.lower()
    keys = "|".join(re.escape(k) for k in sorted(lex.settings, key=len, reverse=True))
    for match in re.finditer(rf"\b({keys})\b", lowered):
        after = lowered[match.end() :].split()
        following = re.sub(r"[^\w-]", "", after[0]) if after else ""
        if following in lex.settings:
            continue  # "a mountain spring": the later keyword is the head
        if following in lex.people:
            return lex.settings[match.group(1)]
        before = lowered[: match.start()].split()[-5:]
        for back in range(len(before) - 1, -1, -1):
            if before[back] in ("a", "an", "the"):
                start = match.start() - len(" ".join(before[back:])) - 1
                return text[start : match.end()]
            if re.search(r"[^\w-]", before[back]):
                break
        return lex.settings[match.group(1)]
    for key, phrase in lex.setting_hints.items():
        if re.search(rf"\b{re.escape(key)}\b", lowered):
            return phrase
    return lex.default_setting.get(genre, lex.default_setting["general"])


def _product(topic: str) -> str:
    core = _ARTICLE.sub("", topic)
    for key, template in lexicon().product_hints.items():
        if re.search(rf"\b{re.escape(key)}\b", core.lower()):
            rest = re.sub(rf"\s*\b{re.escape(key)}\b", "", core, flags=re.I).strip()
            return template.format(core=rest or core)
    return "the " + core


def _names(text: str) -> list[str]:
    stop = set(lexicon().not_names)
    names: list[str] = []
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    for i, word in enumerate(words):
        if not word[0].isupper() or word in stop or not word.isalpha():
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        # The brief's first word is a name only when a verb follows it ("Ana runs ...").
        if i == 0 and not is_verb(following):
            continue
        if word.lower() in lexicon().settings or word.lower() in english().verbs:
            continue
        names.append(word)
    return list(dict.fromkeys(names))


def read_brief(brief: str) -> BriefReading:
    """What a brief says, read by the lexicon's rules (no model)."""
    quotes = [m.group(1).strip() for m in _QUOTE.finditer(brief)]
    counter = iter(range(len(quotes)))
    text = _QUOTE.sub(lambda _m: f"«{next(counter)}»", " ".join(brief.split()))
    length, text = _length(text)
    lowered = text.lower()
    genre = _genre(lowered)
    head, story = _head_and_story(text)
    clauses = _clauses(story, quotes)
    end_card = any(c.subject.lower().startswith(("end card", "an end card")) for c in clauses)
    clauses = [c for c in clauses if not c.subject.lower().startswith(("end card", "an end card"))]
    if not clauses:
        # A brief that is one image ("a quiet morning on a beach"): its verb clauses, if any.
        clauses = [c for c in _clauses(head, quotes) if c.subject and c.action]
    topic_match = _TOPIC.search(head)
    topic = topic_match.group(1).strip() if topic_match else _ARTICLE.sub("", head).strip()
    topic = re.sub(r"«\d+»", "", topic).strip(" ,") or "the film"
    ad = _has_word(lowered, lexicon().genres["ad"].words)
    time = _TIME.search(lowered)
    return BriefReading(
        length=length,
        aspect=_aspect(lowered),
        genre=genre,
        ad=ad,
        titled=_has_word(lowered, lexicon().title_words),
        topic=topic,
        topic_named=topic_match is not None,
        product=_product(topic) if ad else None,
        setting=_setting(text, genre),
        time=time.group(1) if time else "",
        names=_names(re.sub(r"«\d+»", "", text)),
        clauses=clauses,
        end_card=end_card or ad,
    )
