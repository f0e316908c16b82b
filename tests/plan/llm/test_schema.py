"""The answer schema: derived from Shot, closed, all-required, naming the project's cast."""

from __future__ import annotations

from typing import Any

from shotrelay.plan.llm.schema import PLAN_FIELDS, shot_list_schema
from shotrelay.spec.models import Project, Shot

from .helpers import project


def _objects(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


def test_every_object_is_closed_and_fully_required() -> None:
    schema = shot_list_schema(project())
    objects = _objects(schema)
    assert len(objects) == 3  # root, shot, dialogue line
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    assert "$ref" not in str(schema) and "$defs" not in str(schema)


def test_shot_fields_come_from_the_shot_model() -> None:
    item = shot_list_schema(project())["properties"]["shots"]["items"]
    assert list(item["properties"]) == list(PLAN_FIELDS)
    assert set(PLAN_FIELDS) <= set(Shot.model_fields)
    full = Shot.model_json_schema()
    assert item["properties"]["framing"]["enum"] == full["$defs"]["Framing"]["enum"]


def test_cast_names_are_the_only_choices() -> None:
    item = shot_list_schema(project())["properties"]["shots"]["items"]
    assert item["properties"]["characters"]["items"]["enum"] == ["Maya"]
    speaker = item["properties"]["dialogue"]["items"]["properties"]["speaker"]
    assert speaker["enum"] == ["Maya", "narrator"]


def test_without_a_cast_shots_have_no_characters_field() -> None:
    item = shot_list_schema(Project(name="x"))["properties"]["shots"]["items"]
    assert "characters" not in item["properties"]
    assert item["properties"]["dialogue"]["items"]["properties"]["speaker"]["enum"] == ["narrator"]
