"""The continuity ledger: what must hold across shots, and the packet of every shot."""

from __future__ import annotations

from pathlib import Path

from shotrelay.continuity.packet import CharacterContext, ContextPacket
from shotrelay.spec.models import Project, Shot

__all__ = ["ContinuityLedger", "build_packet"]

_NARRATORS = {"narrator", "voiceover", "vo"}


def _key(setting: str) -> str:
    return " ".join(setting.lower().split())


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _dedupe_paths(paths: list[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))


def shot_cast(shot: Shot) -> list[str]:
    """Names of the people in a shot: listed characters, then speakers, narrators left out."""
    names = [*shot.characters, *(d.speaker for d in shot.dialogue)]
    return _dedupe([n for n in names if n.lower() not in _NARRATORS])


class ContinuityLedger:
    """Characters, wardrobe, props, sets, palette and references of a project, in shot order.

    Built once from a Project; ``packet(shot_id)`` is then a lookup.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.characters: dict[str, CharacterContext] = {
            c.name: CharacterContext(
                name=c.name,
                description=c.description,
                wardrobe=c.wardrobe,
                voice=c.voice,
                references=list(c.references),
            )
            for c in project.characters
        }
        #: Wardrobe per character name (from the cast list).
        self.wardrobe: dict[str, str] = {c.name: c.wardrobe for c in project.characters}
        #: First shot id seen on each set (setting text, normalised).
        self.sets: dict[str, str] = {}
        #: Continuity notes (props, marks, states) per shot id, in shot order.
        self.notes: dict[str, list[str]] = {}
        self.palette: list[str] = list(project.style.palette)
        self.references: list[Path] = list(project.style.references)
        self._packets: dict[str, ContextPacket] = {}
        self._build()

    def packet(self, shot_id: str) -> ContextPacket:
        """The context packet of a shot; KeyError for an unknown id."""
        return self._packets[shot_id]

    def packets(self) -> list[ContextPacket]:
        """Every shot's packet, in shot order."""
        return [self._packets[s.id] for s in self.project.shots]

    def _build(self) -> None:
        earlier: list[Shot] = []
        settings: dict[str, str] = {}  # shot id -> effective setting
        for shot in self.project.shots:
            previous = earlier[-1] if earlier else None
            handoff = shot.continues_previous and previous is not None
            setting = shot.setting
            if not setting and handoff and previous is not None:
                setting = settings[previous.id]
            settings[shot.id] = setting
            carried = self._carried(shot, setting, earlier, settings)
            self._packets[shot.id] = self._packet(shot, setting, carried, previous, handoff)
            self.notes[shot.id] = list(shot.continuity)
            if setting:
                self.sets.setdefault(_key(setting), shot.id)
            earlier.append(shot)

    def _carried(
        self, shot: Shot, setting: str, earlier: list[Shot], settings: dict[str, str]
    ) -> list[str]:
        cast = shot_cast(shot)
        notes: list[str] = []
        for name in cast:
            first = next((e for e in earlier if name in shot_cast(e)), None)
            if first is None:
                continue
            wardrobe = self.wardrobe.get(name, "")
            notes.append(
                f"{name}: same wardrobe as {first.id} ({wardrobe})"
                if wardrobe
                else f"{name}: same look as {first.id}"
            )
        set_shot = self.sets.get(_key(setting)) if setting else None
        if set_shot is not None:
            lit = self.project.shot(set_shot).lighting
            notes.append(
                f"same set and lighting as {set_shot}: {setting}; {lit}"
                if lit and not shot.lighting
                else f"same set as {set_shot}: {setting}"
            )
        for e in earlier:
            shares = bool(set(cast) & set(shot_cast(e))) or (
                bool(setting) and _key(settings[e.id]) == _key(setting)
            )
            if shares:
                notes.extend(f"{n} (from {e.id})" for n in e.continuity)
        return notes

    def _packet(
        self,
        shot: Shot,
        setting: str,
        carried: list[str],
        previous: Shot | None,
        handoff: bool,
    ) -> ContextPacket:
        style = self.project.style
        cast = [self.characters[n] for n in shot_cast(shot) if n in self.characters]
        refs = [*shot.references, *(r for c in cast for r in c.references), *style.references]
        return ContextPacket(
            project=self.project.name,
            shot_id=shot.id,
            look=style.look,
            mood=style.mood,
            palette=list(style.palette),
            lighting=shot.lighting or style.lighting,
            film_stock=style.film_stock,
            avoid=list(style.avoid),
            characters=cast,
            setting=setting,
            continuity=_dedupe([*shot.continuity, *carried]),
            reference_images=_dedupe_paths(refs),
            previous_shot_id=previous.id if previous else None,
            handoff=handoff,
        )


def build_packet(project: Project, shot: Shot) -> ContextPacket:
    """The context packet of one shot of a project (builds a ledger; reuse one for many).

    A shot that differs from the project's shot of the same id replaces it; a shot the
    project does not hold is treated as the last one.
    """
    shots = [s for s in project.shots if s.id != shot.id]
    index = next((i for i, s in enumerate(project.shots) if s.id == shot.id), len(shots))
    shots.insert(index, shot)
    ledger = ContinuityLedger(project.model_copy(update={"shots": shots}))
    return ledger.packet(shot.id)
