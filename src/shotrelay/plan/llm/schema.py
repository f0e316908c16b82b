"""The JSON Schema a planning model must answer with, derived from ``Shot``'s own schema.

The model writes only the creative fields of a shot (no ids, weights, pins or references);
every object is closed (``additionalProperties: false``) and every property required, which
is what strict structured output (OpenAI) asks for and what the other APIs accept.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from shotrelay.spec.models import Project, Shot

__all__ = ["NARRATOR", "PLAN_FIELDS", "closed_schema", "gemini_schema", "shot_list_schema"]

#: The fields of ``Shot`` a planning model writes, in the order it should write them.
PLAN_FIELDS = (
    "duration",
    "role",
    "framing",
    "lens",
    "camera",
    "subject",
    "action",
    "setting",
    "lighting",
    "characters",
    "dialogue",
    "transition",
    "continues_previous",
    "continuity",
)

#: The speaker name for off-screen voice-over.
NARRATOR = "narrator"

_DROP = {"title", "default", "minLength"}  # minLength: not in strict mode; pydantic checks it


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``$ref`` replaced by its definition and titles/defaults dropped."""
    if isinstance(node, list):
        return [_inline(x, defs) for x in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key == "exclusiveMinimum":
            # Not every API takes exclusive bounds; pydantic still enforces ``gt``.
            out["minimum"] = value
            continue
        out[key] = value if key == "properties" and not value else _inline(value, defs)
    if out.get("type") == "object":
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


def closed_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A pydantic model's JSON Schema, inlined and closed (every property required, no
    others), as strict structured output asks; nullable fields stay nullable."""
    full = model.model_json_schema()
    inlined: dict[str, Any] = _inline(
        {k: v for k, v in full.items() if k != "$defs"}, full.get("$defs", {})
    )
    return inlined


def shot_list_schema(project: Project) -> dict[str, Any]:
    """``{"shots": [shot, ...]}`` as a closed JSON Schema, naming the project's cast."""
    full = Shot.model_json_schema()
    defs = full.get("$defs", {})
    props = {name: _inline(full["properties"][name], defs) for name in PLAN_FIELDS}
    names = [c.name for c in project.characters]
    if names:
        props["characters"]["items"]["enum"] = names
    else:
        del props["characters"]
    speaker = props["dialogue"]["items"]["properties"]["speaker"]
    speaker["enum"] = [*names, NARRATOR]
    shot = {
        "type": "object",
        "description": full.get("description", ""),
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"shots": {"type": "array", "items": shot}},
        "required": ["shots"],
        "additionalProperties": False,
    }


def gemini_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The same schema in the Gemini API's OpenAPI subset (``responseSchema``).

    Types are upper-case, objects with several properties list them in ``propertyOrdering``
    (as the google-genai SDK adds) and lose ``additionalProperties`` (the subset has none; our
    validation still rejects unknown fields), and an optional value is ``nullable``.
    """
    node = copy.deepcopy(schema)
    return _to_openapi(node)


def _to_openapi(node: dict[str, Any]) -> dict[str, Any]:
    variants = node.get("anyOf")
    if isinstance(variants, list) and len(variants) == 2 and {"type": "null"} in variants:
        # An optional value (``X | None``): the subset spells it as X with ``nullable``.
        (kept,) = [v for v in variants if v != {"type": "null"}]
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return _to_openapi({**kept, **rest, "nullable": True})
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "additionalProperties":
            continue
        if key == "type":
            out[key] = str(value).upper()
        elif key == "properties":
            out[key] = {k: _to_openapi(v) for k, v in value.items()}
            if len(value) > 1:
                out["propertyOrdering"] = list(value)
        elif key == "items":
            out[key] = _to_openapi(value)
        else:
            out[key] = value
    return out
