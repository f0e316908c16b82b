"""Stage templates: the named parts of a shot's prompt for each stage, before assembly."""

from __future__ import annotations

import re
from collections.abc import Sequence

from shotrelay.catalog.profile import ModelProfile
from shotrelay.continuity import ContextPacket
from shotrelay.prompts.dialect import Dialect
from shotrelay.prompts.words import palette_words
from shotrelay.spec.models import Project, Shot
from shotrelay.spec.vocabulary import Stage

__all__ = [
    "FINISH_ORDER",
    "apply_tags",
    "finishing_parts",
    "prompt_notes",
    "reference_tags",
    "tts_parts",
    "visual_parts",
]

#: Part order of edit and finishing prompts; ``match`` is dropped first when too long.
FINISH_ORDER: tuple[str, ...] = ("preserve", "correct", "match")


def _and(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _subject(shot: Shot, packet: ContextPacket) -> str:
    return shot.subject or _and([c.name for c in packet.characters]) or "the scene"


def _cast(packet: ContextPacket) -> str:
    people: list[str] = []
    for c in packet.characters:
        if c.description or c.wardrobe:
            text = c.name + (f" ({c.description})" if c.description else "")
            people.append(text + (f" wears {c.wardrobe}" if c.wardrobe else ""))
    return "; ".join(people)


def _style(packet: ContextPacket, dialect: Dialect) -> str:
    mood = f"{packet.mood} mood" if packet.mood else ""
    return ", ".join(x for x in [packet.look, mood, packet.film_stock, *dialect.style_tags] if x)


def _dialogue(shot: Shot, dialect: Dialect, model: ModelProfile) -> str:
    if not shot.has_dialogue:
        return ""
    if dialect.dialogue == "quoted" and model.inputs.native_audio:
        lines = " ".join(
            dialect.dialogue_line.format(speaker=d.speaker, line=d.line) for d in shot.dialogue
        )
        return lines + dialect.dialogue_suffix
    speakers = _and(list(dict.fromkeys(d.speaker for d in shot.dialogue)))
    return dialect.wrap("speaking", speakers)


_CARRIED_LOOK = re.compile(r"^.+: same (wardrobe|look) as |^same set( and lighting)? as ")
_FROM = re.compile(r" \(from [\w-]+\)$")


def prompt_notes(notes: list[str]) -> list[str]:
    """Continuity notes as a model should read them: no shot ids, no restated look or set.

    Wardrobe and set carried from earlier shots are already in the cast and setting parts.
    """
    kept = [_FROM.sub("", n) for n in notes if not _CARRIED_LOOK.match(n)]
    return list(dict.fromkeys(kept))


def visual_parts(
    stage: Stage, shot: Shot, model: ModelProfile, packet: ContextPacket, dialect: Dialect
) -> dict[str, str]:
    """Parts of a keyframe (still) or generate (motion) prompt, unwrapped, by name."""
    still = stage is Stage.KEYFRAME
    shot_words = [dialect.framing[shot.framing], dialect.lens[shot.lens]]
    continuity = prompt_notes(packet.continuity)
    if packet.handoff and not still:
        continuity.insert(0, "continues seamlessly from the previous shot's last frame")
    setting = packet.setting
    told = f"{shot.subject} {'' if still else shot.action}".lower()
    if setting and setting.lower().removeprefix("the ").removeprefix("a ") in told:
        setting = ""  # the subject or action already says where ("a sunlit loft office")
    parts = {
        "still": dialect.still if still else "",
        "shot": ", ".join(w for w in shot_words if w),
        "subject": _subject(shot, packet),
        "action": "" if still else shot.action,
        "camera": "" if still else dialect.camera[shot.camera],
        "setting": setting,
        "lighting": packet.lighting,
        "palette": palette_words(packet.palette),
        "style": _style(packet, dialect),
        "cast": _cast(packet),
        "continuity": "; ".join(continuity),
        "dialogue": "" if still else _dialogue(shot, dialect, model),
    }
    return parts


def reference_tags(
    packet: ContextPacket, dialect: Dialect, model: ModelProfile
) -> dict[str, tuple[str, str]]:
    """Character name -> (tag as written in the prompt, reference image) for tagging dialects."""
    if not dialect.reference_tag or model.inputs.reference_images == 0:
        return {}
    tags: dict[str, tuple[str, str]] = {}
    for c in packet.characters:
        if not c.references or len(tags) >= model.inputs.reference_images:
            continue
        slug = re.sub(r"[^a-z0-9]", "", c.name.lower()) or "ref"
        slug = (slug if slug[0].isalpha() else "c" + slug).ljust(3, "x")[:16]
        tags[c.name] = (dialect.reference_tag.replace("{}", slug), str(c.references[0]))
    return tags


def apply_tags(text: str, tags: dict[str, tuple[str, str]]) -> str:
    """``text`` with each tagged character's name replaced by its tag."""
    for name, (tag, _) in tags.items():
        text = re.sub(rf"\b{re.escape(name)}\b", tag, text)
    return text


def _targets(packet: ContextPacket) -> str:
    targets: list[str] = []
    if packet.palette:
        targets.append("palette " + palette_words(packet.palette))
    if packet.lighting:
        targets.append("lighting " + packet.lighting)
    wardrobe = [f"{c.name} in {c.wardrobe}" for c in packet.characters if c.wardrobe]
    targets.extend(wardrobe)
    if any(c.references for c in packet.characters):
        named = [c.name for c in packet.characters if c.references]
        targets.append("the reference images of " + _and(named))
    targets.extend(prompt_notes(packet.continuity))
    return "; ".join(targets)


def finishing_parts(
    stage: Stage,
    shot: Shot,
    project: Project,
    packet: ContextPacket,
    keep: Sequence[str] = (),
    fix: Sequence[str] = (),
) -> dict[str, str]:
    """Preserve / correct / match parts of an edit or finishing (lipsync, upscale, ...) prompt.

    ``keep`` and ``fix`` (a person's "keep X, fix Y") come first in preserve and replace the
    stage's default correction.
    """
    who = _and([c.name for c in packet.characters])
    identity = f"the identity and look of {who}" if who else f"the look of {_subject(shot, packet)}"
    preserve = [*keep, identity, "framing", "composition", "timing"]
    match stage:
        case Stage.EDIT:
            preserve += ["camera move"]
            correct = shot.edit or "only visible artefacts (warping, flicker, smeared detail)"
        case Stage.LIPSYNC:
            preserve += ["head pose", "expression", "everything outside the mouth"]
            lines = " ".join(f'{d.speaker}: "{d.line}"' for d in shot.dialogue)
            correct = "mouth shapes to the line" + (f" {lines}" if lines else "")
        case Stage.UPSCALE:
            preserve += ["motion", "colour", "grain"]
            size = f"{project.format.width}x{project.format.height}"
            correct = f"fine detail and sharpness at {size}, without inventing new texture"
        case Stage.INTERPOLATE:
            preserve += ["colour", "duration"]
            correct = (
                f"motion smoothness at {project.format.fps} fps, "
                "without warping or ghosting on fast movement"
            )
        case _:
            raise ValueError(f"{stage} is not an edit or finishing stage")
    if fix:
        correct = "; ".join(fix)
    return {"preserve": _and(preserve), "correct": correct, "match": _targets(packet)}


def tts_parts(shot: Shot, project: Project) -> dict[str, str]:
    """The spoken text of a shot and, in ``voice`` / ``voice:<name>``, the speakers' voices."""
    text = " ".join(d.line for d in shot.dialogue)
    parts = {"text": text}
    speakers = list(dict.fromkeys(d.speaker for d in shot.dialogue))
    for name in speakers:
        character = project.character(name)
        parts[f"voice:{name}"] = character.voice if character else ""
    if speakers:
        parts["speaker"] = speakers[0]
        parts["voice"] = parts[f"voice:{speakers[0]}"]
    return parts
