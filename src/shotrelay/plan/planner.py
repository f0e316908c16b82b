"""Planners turn a project's brief into shots; `plan_project` keeps a user's shot list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.brief import BriefReading, Clause, read_brief
from shotrelay.plan.durations import fit_durations
from shotrelay.plan.lexicon import Genre, grammar, lexicon
from shotrelay.prompts.english import definite, english
from shotrelay.spec.models import Character, DialogueLine, Project, Shot
from shotrelay.spec.vocabulary import CameraMove, Role, Transition

__all__ = ["DEFAULT_LENGTH", "Planner", "RulePlanner", "apply_brief", "plan_project"]

#: Target length in seconds when neither the project nor its brief sets one.
DEFAULT_LENGTH = 20.0

_STORY = ("develop", "reveal", "dialogue", "image")
_TIME = {"night": "at night", "midnight": "at midnight", "morning": "in the morning"}


@runtime_checkable
class Planner(Protocol):
    """Something that writes a shot list for a project."""

    name: str

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        """Shots for the project, in cut order, durations summing to its target length."""
        ...


@dataclass(frozen=True)
class _Beat:
    kind: str
    subject: str
    action: str
    quote: str | None = None
    cast: tuple[str, ...] = ()
    discovery: str = ""


def apply_brief(project: Project) -> Project:
    """The project with what its brief says where the file says nothing: target length,
    aspect (when no format is written), style (look, mood, lighting) and the people it names."""
    reading = read_brief(project.brief or project.name)
    genre = lexicon().genres[reading.genre]
    data = project.model_dump()
    if project.target_length is None and reading.length:
        data["target_length"] = reading.length
    if reading.aspect and "format" not in project.model_fields_set:
        data["format"] = {**data["format"], "aspect": reading.aspect}
    style = data["style"]
    for key in ("look", "mood", "lighting"):
        style[key] = style[key] or getattr(genre, key)
    known = {c.name for c in project.characters}
    data["characters"] += [Character(name=n).model_dump() for n in reading.names if n not in known]
    return Project.model_validate(data)


class RulePlanner:
    """Film grammar without a model: the brief's beats in order, opened, detailed and closed
    by its genre's rules (lexicon.yaml, grammar.yaml)."""

    name = "rules"

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        """Shots from the brief's words, timed to the target and the catalog's clip lengths."""
        project = apply_brief(project)
        reading = read_brief(project.brief or project.name)
        genre = lexicon().genres[reading.genre]
        target = project.target_length or reading.length or DEFAULT_LENGTH
        cast = [c.name for c in project.characters]
        beats = _beats(reading, genre, cast)
        story = sum(b.kind in _STORY for b in beats)
        pace = max(genre.pace * 0.8, target / len(beats))
        pace = min(pace, target / max(story, 1), genre.pace * 1.6)
        wanted = max(len(beats), round(target / pace))
        durations = fit_durations(target, wanted, models, pace=pace)
        beats = _fit_count(beats, len(durations), reading)
        ranked = sorted(range(len(beats)), key=lambda i: _rank(beats[i]))
        length = dict(zip(ranked, durations, strict=True))
        setting = _setting(reading)
        framed = _story_framing(beats)
        shots: list[Shot] = []
        for i, beat in enumerate(beats):
            previous = shots[-1].camera if shots else None
            shot = _shot(i + 1, beat, length[i], genre, setting, previous, len(beats))
            shots.append(shot.model_copy(update=framed.get(i, {})))
        return shots


def _story_framing(beats: list[_Beat]) -> dict[int, dict[str, object]]:
    """Framing and lens of develop and image beats, varied in turn; the last is the closest."""
    g = grammar()
    story = [i for i, b in enumerate(beats) if b.kind in ("develop", "image")]
    out: dict[int, dict[str, object]] = {}
    for n, i in enumerate(story):
        pick = g.climax if n == len(story) - 1 and n > 0 else g.story[n % len(g.story)]
        out[i] = {"framing": pick.framing, "lens": pick.lens}
    return out


def _setting(reading: BriefReading) -> str:
    time = _TIME.get(reading.time, f"at {reading.time}" if reading.time else "")
    if time and reading.time not in reading.setting:
        return f"{reading.setting} {time}"
    return reading.setting


def _rank(beat: _Beat) -> int:
    order = grammar().priority
    if beat.kind in _STORY:
        return -1
    return order.index(beat.kind) if beat.kind in order else len(order)


def _is_person(subject: str, cast: list[str]) -> bool:
    words = subject.lower().split()
    return bool(words) and (words[-1] in lexicon().people or any(n.lower() in words for n in cast))


def _resolve(clause: Clause, last: str, person: str, product: str | None) -> str:
    subject = clause.subject
    pronoun = subject.lower()
    if pronoun in english().pronouns:
        return (product or last) if pronoun == "it" else person or last
    return subject or definite(last)


_PLACE_WORDS = re.compile(r"^(?:in|at|inside|on|by|near|outside)\s+", re.I)


def _action(clause: Clause, product: str | None) -> str:
    action = clause.action
    speech = grammar().speech_actions
    if action.lower() in speech:
        return speech[action.lower()]
    if product:
        action = re.sub(r"\bit\b", product, action)
    return action


def _beats(reading: BriefReading, genre: Genre, cast: list[str]) -> list[_Beat]:
    beats: list[_Beat] = []
    seen: set[str] = set()
    last = person = ""
    for clause in reading.clauses:
        if not clause.action and _PLACE_WORDS.match(clause.subject):
            continue  # "in a cramped kitchen at night": the setting, which establish shows
        subject = _resolve(clause, last, person, reading.product)
        key = subject.lower().removeprefix("the ").removeprefix("a ").removeprefix("an ")
        if key in seen:
            subject = definite(subject)
        seen.add(key)
        named = tuple(n for n in cast if n in f"{subject} {clause.action}".split())
        kind = "develop"
        if clause.speech and named:
            kind = "dialogue"
        elif clause.discovery:
            kind = "reveal"
        elif not clause.action:
            kind = "image"
        beats.append(
            _Beat(
                kind,
                subject,
                _action(clause, reading.product) or genre.image,
                clause.quote,
                named,
                clause.discovery,
            )
        )
        last = subject
        person = subject if _is_person(subject, cast) else person
    if not beats or beats[0].kind != "image":
        beats.insert(0, _Beat("establish", reading.setting, genre.establish))
    else:
        beats[0] = replace(beats[0], kind="establish")
    templates = grammar().templates
    product = reading.product or reading.topic
    if reading.ad:
        beats.append(_Beat("hero", product, templates["hero_action"]))
    ending = "end-card" if reading.end_card else "title" if reading.titled else genre.ending
    fill = {"brand": definite(reading.topic), "topic": reading.topic}
    if ending == "end-card":
        subject = templates["end_card_subject"].format(**fill)
        beats.append(_Beat("end-card", subject, templates["end_card_action"]))
    elif ending == "title":
        key = "title_subject" if reading.topic_named else "title_plain"
        subject = templates[key].format(**fill)
        beats.append(_Beat("title", subject, templates["title_action"]))
    else:
        beats.append(_Beat("close", definite(reading.setting), genre.close))
    return beats


def _fit_count(beats: list[_Beat], n: int, reading: BriefReading) -> list[_Beat]:
    """``n`` beats: drop the least important extras, or add detail and wide inserts."""
    order = grammar().priority
    while len(beats) > n:
        extras = [b for b in beats if b.kind not in _STORY]
        if not extras:
            return beats[:n]
        drop = max(extras, key=lambda b: order.index(b.kind) if b.kind in order else 99)
        beats = [b for b in beats if b is not drop]
    for anchor, extra in _inserts(beats, reading, n - len(beats)):
        at = next(i for i, b in enumerate(beats) if b is anchor) + 1
        beats = [*beats[:at], extra, *beats[at:]]
    return beats


def _inserts(beats: list[_Beat], reading: BriefReading, count: int) -> list[tuple[_Beat, _Beat]]:
    """``count`` extra beats, each after the beat it belongs to: details of what the story
    finds or does, the product up close, then wide views of the setting."""
    if count <= 0:
        return []
    genre = lexicon().genres[reading.genre]
    templates = grammar().templates
    story = [b for b in beats if b.kind in _STORY] or [beats[0]]
    out: list[tuple[_Beat, _Beat]] = []
    for beat in story:
        if beat.discovery:
            thing = re.sub(r"^(?:a|an|some)\s+", "", beat.discovery)
            thing = (
                thing if thing.startswith(("the ", "his ", "her ", "their ")) else "the " + thing
            )
            out.append((beat, _Beat("detail", thing, genre.detail)))
        elif _is_person(beat.subject, list(beat.cast)):
            owner = definite(beat.subject)
            owner = owner if owner[0].isupper() or owner.startswith("the ") else "the " + owner
            hands = templates["detail_fallback"].format(possessive=owner + "'s")
            out.append((beat, _Beat("detail", hands, genre.detail, cast=beat.cast)))
    if reading.product:
        out.append((story[-1], _Beat("detail", reading.product, genre.detail)))
    views = templates["broll_actions"].split("|")
    anchors = [beats[0], *story]
    place = definite(reading.setting)
    for i in range(max(0, count - len(out))):
        action = views[i % len(views)].strip()
        out.append((anchors[i % len(anchors)], _Beat("broll", place, action)))
    return out[:count]


_ALTERNATES = (CameraMove.STATIC, CameraMove.PUSH_IN, CameraMove.PAN_LEFT, CameraMove.TRACKING)


def _shot(
    order: int,
    beat: _Beat,
    duration: float,
    genre: Genre,
    setting: str,
    previous: CameraMove | None,
    count: int,
) -> Shot:
    kinds = grammar().kinds
    kind = kinds["develop" if beat.kind == "image" else beat.kind]
    camera_key = {
        "dialogue": "develop",
        "image": "develop",
        "end-card": "detail",
        "title": "detail",
    }
    camera = genre.camera.get(camera_key.get(beat.kind, beat.kind), CameraMove.STATIC)
    if camera == previous:
        camera = next(m for m in _ALTERNATES if m != previous)
    dialogue: list[DialogueLine] = []
    role = kind.role
    if beat.quote:
        speaker = beat.cast[0] if beat.cast else "narrator"
        dialogue = [DialogueLine(speaker=speaker, line=beat.quote)]
        role = Role.DIALOGUE if beat.cast else role
    # The genre's transition leads into the last shot (horror dips to black); the rest cut.
    transition = genre.transition if order == count and order > 1 else Transition.CUT
    return Shot(
        id=f"s{order}",
        order=order,
        duration=duration,
        role=role,
        framing=kind.framing,
        lens=kind.lens,
        camera=camera,
        subject=beat.subject,
        action=beat.action,
        setting=setting,
        lighting=genre.lighting,
        characters=list(beat.cast),
        dialogue=dialogue,
        transition=transition,
    )


def plan_project(
    project: Project, models: Sequence[ModelProfile], planner: Planner | None = None
) -> Project:
    """The project with a shot list written by ``planner`` (the rule planner by default) and
    labelled as its work (``planned_by``); a project that has shots is returned as it is."""
    if project.shots:
        return project
    planner = planner or RulePlanner()
    briefed = apply_brief(project)
    shots = planner.plan(briefed, models)
    data = briefed.model_dump()
    data["shots"] = [s.model_dump() for s in shots]
    data["planned_by"] = planner.name
    data["target_length"] = data["target_length"] or round(sum(s.duration for s in shots), 2)
    return Project.model_validate(data)
