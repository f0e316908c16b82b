"""Small copies of the example ad for the studio's tests."""

from __future__ import annotations

from pathlib import Path

import yaml

EXAMPLE = Path(__file__).parents[2] / "examples" / "startup-ad.yaml"


def write_project(folder: Path, name: str, shots: int = 2) -> Path:
    """A copy of the example ad named ``name`` with its first ``shots`` shots, at 360p."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["name"] = name
    data["shots"] = data["shots"][:shots]
    data["target_length"] = sum(s["duration"] for s in data["shots"])
    # The same shots and routing at a small size: the pages, not the renders, are under test.
    data["format"] = {**(data.get("format") or {}), "resolution": "360p", "fps": 12}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
