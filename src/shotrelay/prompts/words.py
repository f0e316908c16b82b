"""Word tables for prompts: colour names and the phrase synonyms `rephrase` reads."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict
from ruamel.yaml import YAML

from shotrelay.spec.vocabulary import CameraMove, Framing, Lens

__all__ = ["Words", "colour_name", "palette_words", "words"]


class Words(BaseModel):
    """The contents of words.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    colours: dict[str, str]
    framing: dict[Framing, list[str]]
    lens: dict[Lens, list[str]]
    camera: dict[CameraMove, list[str]]
    lighting: list[str]
    filler: list[str]
    mood: list[str]
    keep: list[str]
    fix: list[str]
    fix_kept: list[str]
    places: list[str]


@cache
def words() -> Words:
    """The package's word tables."""
    text = resources.files("shotrelay.prompts").joinpath("words.yaml").read_text("utf-8")
    data: Any = YAML(typ="safe").load(text)
    return Words.model_validate(data)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def colour_name(hex_colour: str) -> str:
    """The nearest named colour to ``#rrggbb`` (weighted RGB distance)."""
    r, g, b = _rgb(hex_colour)

    def distance(item: tuple[str, str]) -> float:
        r2, g2, b2 = _rgb(item[1])
        mean = (r + r2) / 2
        # A cheap perceptual weighting ("redmean"); good enough to name a colour.
        return (
            (2 + mean / 256) * (r - r2) ** 2
            + 4 * (g - g2) ** 2
            + (2 + (255 - mean) / 256) * (b - b2) ** 2
        )

    return min(words().colours.items(), key=distance)[0]


def palette_words(palette: list[str]) -> str:
    """A palette as words: 'deep navy, amber and off-white' (repeated names once)."""
    names = list(dict.fromkeys(colour_name(c) for c in palette))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
