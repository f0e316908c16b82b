"""Planners turn a project's brief into shots; `plan_project` keeps a user's shot list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from shotrelay.catalog.profile import ModelProfile
from shotrelay.plan.brief import Beat, BriefWords, grammar, read_brief
from shotrelay.plan.durations import fit_durations
from shotrelay.spec.models import DialogueLine, Project, Shot
from shotrelay.spec.vocabulary import Role

__all__ = ["DEFAULT_LENGTH", "Planner", "RulePlanner", "plan_project"]

#: Target length in seconds when the project sets none.
DEFAULT_LENGTH = 20.0


@runtime_checkable
class Planner(Protocol):
    """Something that writes a shot list for a project."""

    name: str

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        """Shots for the project, in cut order, durations summing to its target length."""
        ...


class RulePlanner:
    """Film grammar without a model: establish, develop, detail, hero, product, close."""

    name = "rules"

    def plan(self, project: Project, models: Sequence[ModelProfile]) -> list[Shot]:
        """Shots from the brief's words, timed to the target and the catalog's clip lengths."""
        g = grammar()
        words = read_brief(project.brief or project.name)
        beats = [b for b in g.beats if b.when == "always" or words.product is not None]
        target = project.target_length or DEFAULT_LENGTH
        durations = fit_durations(target, len(beats), models, pace=g.pace)
        chosen = _choose(beats, len(durations), g.priority)
        # Longest durations go to the most important beats.
        ranked = sorted(chosen, key=lambda b: g.priority.index(b.name))
        length = {id(b): d for b, d in zip(ranked, durations, strict=True)}
        person = project.characters[0].name if project.characters else words.person
        shots: list[Shot] = []
        for i, beat in enumerate(chosen, start=1):
            spoken = any(s.role is Role.DIALOGUE for s in shots)
            shots.append(_shot(i, beat, length[id(beat)], words, person, project, spoken))
        return shots


def _choose(beats: list[Beat], n: int, priority: list[str]) -> list[Beat]:
    """``n`` beats in cut order: the most important ones, repeating middle beats if needed."""
    if n <= len(beats):
        keep = set(sorted((b.name for b in beats), key=priority.index)[:n])
        return [b for b in beats if b.name in keep]
    middle = [b for b in beats if b.name in ("develop", "detail")] or beats
    extra = [middle[i % len(middle)] for i in range(n - len(beats))]
    hero = next((i for i, b in enumerate(beats) if b.name == "hero"), len(beats) - 1)
    # Copies: a beat object used twice would share its duration slot.
    return [*beats[:hero], *(b.model_copy() for b in extra), *beats[hero:]]


def _fill(template: str, words: BriefWords, person: str) -> str:
    return template.format(
        setting=words.setting,
        topic=words.topic,
        person=person,
        product=words.product or words.topic,
        core=words.core,
    )


def _shot(
    order: int,
    beat: Beat,
    duration: float,
    words: BriefWords,
    person: str,
    project: Project,
    spoken: bool,
) -> Shot:
    cast = [project.characters[0].name] if beat.cast and project.characters else []
    role = beat.role
    dialogue: list[DialogueLine] = []
    # The first develop beat carries the speech the brief names, once.
    if beat.name == "develop" and not spoken and words.speech and (cast or words.quote):
        role = Role.DIALOGUE
        if words.quote:
            dialogue = [DialogueLine(speaker=cast[0] if cast else "narrator", line=words.quote)]
    return Shot(
        id=f"s{order}",
        order=order,
        duration=duration,
        role=role,
        framing=beat.framing,
        lens=beat.lens,
        camera=beat.camera,
        subject=_fill(beat.subject, words, person),
        action=_fill(beat.action, words, person),
        setting=words.setting,
        characters=cast,
        dialogue=dialogue,
        transition=beat.transition if order > 1 else beat.transition.CUT,
    )


def plan_project(
    project: Project, models: Sequence[ModelProfile], planner: Planner | None = None
) -> Project:
    """The project with a shot list: a project that has shots is returned as it is."""
    if project.shots:
        return project
    shots = (planner or RulePlanner()).plan(project, models)
    data = project.model_dump()
    data["shots"] = [s.model_dump() for s in shots]
    return Project.model_validate(data)
