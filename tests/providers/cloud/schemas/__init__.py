"""Published input schemas of the endpoints the adapters call, one JSON file each, with source
and date (listed in docs/providers.md). Tests validate every request body against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def schema_file(provider: str, endpoint: str) -> Path:
    """Where the stored schema of ``provider``'s ``endpoint`` lives."""
    return HERE / provider / (endpoint.strip("/").replace("/", "__") + ".json")


def load_schema(provider: str, endpoint: str) -> dict[str, Any]:
    """The stored document: endpoint, source, retrieved date and the JSON schema."""
    return dict(json.loads(schema_file(provider, endpoint).read_text(encoding="utf-8")))


def strict(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with unknown top-level fields refused: fal and Replicate drop a misnamed
    field silently, so a body field the publisher does not list is an error here."""
    return {**schema, "additionalProperties": False}
