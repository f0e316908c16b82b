"""JSON Schemas from an official SDK's request types (Stainless ``TypedDict`` params, generated
from the provider's OpenAPI spec): wire names from ``PropertyInfo(alias=...)``, ``Required``
keys, ``Literal`` enums, unions and nested objects; unknown keys refused."""

from __future__ import annotations

import collections.abc
import types
import typing
from typing import Any, NotRequired, Required, get_args, get_origin

from typing_extensions import (
    get_type_hints,
    is_typeddict,
)

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    object: {},
}


def _alias(meta: tuple[Any, ...]) -> str | None:
    return next((m.alias for m in meta if getattr(m, "alias", None)), None)


def type_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of one annotation."""
    origin = get_origin(tp)
    if origin in (Required, NotRequired, typing.Annotated):
        return type_schema(get_args(tp)[0])
    if tp in _SCALARS:
        return _SCALARS[tp]
    if origin is typing.Literal:
        return {"enum": list(get_args(tp))}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [type_schema(a) for a in get_args(tp)]}
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence, typing.List):  # noqa: UP006
        return {"type": "array", "items": type_schema(get_args(tp)[0])}
    if origin in (dict, collections.abc.Mapping) or tp is dict:
        return {"type": "object"}
    if is_typeddict(tp):
        return typed_dict_schema(tp)
    return {}


def typed_dict_schema(td: Any) -> dict[str, Any]:
    """The JSON Schema of a ``TypedDict`` as it goes on the wire."""
    hints = get_type_hints(td, include_extras=True)
    props: dict[str, Any] = {}
    required: list[str] = []
    for name, hint in hints.items():
        inner, meta, needed = hint, (), name in td.__required_keys__
        while get_origin(inner) in (Required, NotRequired, typing.Annotated):
            needed = needed or get_origin(inner) is Required
            if get_origin(inner) is typing.Annotated:
                meta = (*meta, *inner.__metadata__)
            inner = get_args(inner)[0]
        wire = _alias(meta) or name
        props[wire] = type_schema(inner)
        if needed:
            required.append(wire)
    return {"type": "object", "properties": props, "required": required,
            "additionalProperties": False}  # fmt: skip


def variant_for(union: Any, model: str) -> dict[str, Any]:
    """The schema of the union member whose ``model`` literal is ``model``."""
    for member in get_args(union) or (union,):
        hints = get_type_hints(member, include_extras=True)
        literal = type_schema(hints["model"]).get("enum", [])
        if model in literal:
            return typed_dict_schema(member)
    raise LookupError(f"the SDK has no request type for model {model!r}")
