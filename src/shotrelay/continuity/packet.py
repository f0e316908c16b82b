"""The context packet: everything a model call needs to keep a shot consistent with the rest."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CharacterContext", "ContextPacket"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CharacterContext(_Frozen):
    """A character as a shot sees it: look, wardrobe, voice and reference images."""

    name: str
    description: str = ""
    wardrobe: str = ""
    voice: str = ""
    references: list[Path] = Field(default_factory=list)


class ContextPacket(_Frozen):
    """The continuity context of one shot, whichever model it goes to.

    ``lighting`` is the shot's own lighting when it has one, else the style bible's.
    ``continuity`` holds the shot's own notes first, then notes carried from earlier shots
    that share a character or the setting. ``handoff`` means the shot continues the
    previous one: the engine adds the previous shot's last frame as input ``first_frame``.
    """

    project: str
    shot_id: str
    look: str = ""
    mood: str = ""
    palette: list[str] = Field(default_factory=list, description="Colours as #rrggbb.")
    lighting: str = ""
    film_stock: str = ""
    avoid: list[str] = Field(default_factory=list)
    characters: list[CharacterContext] = Field(default_factory=list)
    setting: str = ""
    continuity: list[str] = Field(default_factory=list)
    reference_images: list[Path] = Field(default_factory=list)
    previous_shot_id: str | None = None
    handoff: bool = False

    def character(self, name: str) -> CharacterContext | None:
        """The character of this name in the shot, if any."""
        return next((c for c in self.characters if c.name == name), None)
