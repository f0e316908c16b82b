"""Dialects: how each model family wants a prompt written, loaded from dialects.yaml."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML

from shotrelay.errors import CatalogError
from shotrelay.plugins import DIALECTS, load_group
from shotrelay.spec.vocabulary import CameraMove, Framing, Lens

__all__ = ["PARTS", "Dialect", "Guide", "NegativeMode", "dialect", "dialects"]

#: Names of the parts a shot prompt is made of.
PARTS: tuple[str, ...] = (
    "still",
    "shot",
    "subject",
    "action",
    "camera",
    "setting",
    "lighting",
    "palette",
    "style",
    "cast",
    "continuity",
    "dialogue",
    "avoid",
)

# Keys whose mapping a dialect merges into the defaults (others replace them whole).
_MERGED = ("templates", "framing", "lens", "camera")


class NegativeMode(StrEnum):
    """Where a dialect puts the things a shot must not show."""

    FIELD = "field"
    INLINE = "inline"
    DROP = "drop"


class Guide(BaseModel):
    """A published prompting guide a dialect follows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    url: str = Field(pattern=r"^https://")
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    dated: str = Field("published", pattern="^(published|checked)$")
    follows: str


class Dialect(BaseModel):
    """One model family's prompt language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    limit: int = Field(ge=1)
    sentences: bool
    order: list[str]
    still_order: list[str]
    drop_order: list[str]
    joiners: dict[str, str]
    negative: NegativeMode
    avoid_item: str
    dialogue: str = Field(pattern="^(quoted|none)$")
    dialogue_line: str
    dialogue_suffix: str
    reference_tag: str
    style_tags: list[str]
    templates: dict[str, str]
    framing: dict[Framing, str]
    lens: dict[Lens, str]
    camera: dict[CameraMove, str]
    still: str
    guides: list[Guide] = Field(default_factory=list)

    def wrap(self, part: str, text: str) -> str:
        """The part's text inside the dialect's template for it."""
        return self.templates.get(part, "{}").replace("{}", text)

    def joiner(self, first: str, second: str, following: str | None = None) -> str | None:
        """Text that fuses ``second`` onto ``first`` when they are adjacent, if any.

        A key "a>b+c" applies only when part c follows b ("camera>subject+action": the
        camera sentence runs on into the subject only when the subject does something).
        """
        if following is not None and f"{first}>{second}+{following}" in self.joiners:
            return self.joiners[f"{first}>{second}+{following}"]
        return self.joiners.get(f"{first}>{second}")


def _merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for key, value in own.items():
        if key in _MERGED and isinstance(value, dict):
            out[key] = {**defaults.get(key, {}), **value}
        else:
            out[key] = value
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def builtin_dialects() -> str:
    """The built-in dialects' YAML text (registered in the ``shotrelay.dialects`` group)."""
    return resources.files("shotrelay.prompts").joinpath("dialects.yaml").read_text("utf-8")


@cache
def dialects() -> dict[str, Dialect]:
    """Every dialect, by name: the built-in ones, then each ``shotrelay.dialects`` plug-in's
    (a plug-in's dialect of an existing name replaces it), all on the built-in defaults."""
    data = _plain(YAML(typ="safe").load(builtin_dialects()))
    defaults: dict[str, Any] = data["defaults"]
    sources = [("dialects.yaml", data["dialects"])]
    loaded = load_group(DIALECTS)
    for plugin, source in loaded.objects.items():
        if plugin in loaded.builtin:
            continue
        if not callable(source):
            raise CatalogError(f"dialect plug-in {plugin}: the entry point is not a function")
        extra = _plain(YAML(typ="safe").load(source())) or {}
        sources.append((f"dialect plug-in {plugin}", extra.get("dialects") or {}))
    out: dict[str, Dialect] = {}
    for where, rows in sources:
        for name, own in rows.items():
            out[name] = _validated(where, name, {**_merge(defaults, own or {}), "name": name})
    return out


def _validated(where: str, name: str, row: dict[str, Any]) -> Dialect:
    try:
        found = Dialect.model_validate(row)
    except ValidationError as exc:
        raise CatalogError(f"{where}: dialect {name!r} is invalid: {exc}") from None
    unknown = set(found.order + found.still_order + found.drop_order) - set(PARTS)
    if unknown:
        raise CatalogError(f"{where}: dialect {name!r} names unknown parts {unknown}")
    return found


def dialect(name: str) -> Dialect:
    """The dialect of this name; the plain dialect for an unknown name."""
    table = dialects()
    return table.get(name, table["plain"])
