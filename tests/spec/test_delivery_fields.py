"""The delivery fields of a project file (sound, captions, deliverables, a line's ``at``): the
example in docs/deliverables.md loads as written, defaults hold, bad values name the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shotrelay.errors import SpecError
from shotrelay.media import tone
from shotrelay.spec import load_project
from shotrelay.spec.models import Project

DOC = Path(__file__).parents[2] / "docs" / "deliverables.md"


def _doc_yaml() -> str:
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert match, "docs/deliverables.md has no yaml example"
    return match.group(1)


def test_the_documented_fields_load_as_written(tmp_path: Path) -> None:
    tone(tmp_path / "bed.wav", 1.0)
    file = tmp_path / "p.yaml"
    file.write_text("name: p\ncharacters: [{name: Ana}]\n" + _doc_yaml())
    project = load_project(file)
    assert project.sound.loudness_lufs == -14 and project.sound.fade_seconds == 1.0
    assert [(d.aspect, d.fit, d.tag) for d in project.deliverables] == [
        ("9:16", "crop", "9x16"),
        ("1:1", "letterbox", "1x1"),
        ("4:5", "subject", "4x5"),
    ]
    assert [line.at for line in project.shot("s2").dialogue] == [None, 2.5]
    assert project.captions.position == "bottom" and not project.captions.burn


def test_defaults_are_web_loudness_and_no_versions() -> None:
    project = Project(name="p")
    assert (project.sound.loudness_lufs, project.sound.true_peak) == (-14.0, -1.0)
    assert project.deliverables == [] and not project.captions.burn


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('deliverables: [{aspect: "9x16"}]', "deliverables"),
        ("sound: {loudness_lufs: 3}", "loudness_lufs"),
        ("captions: {position: middle}", "position"),
        ("deliverables: [{aspect: '1:1', fit: stretch}]", "fit"),
    ],
)
def test_a_bad_delivery_field_is_named(tmp_path: Path, extra: str, field: str) -> None:
    file = tmp_path / "p.yaml"
    file.write_text(f"name: p\n{extra}\n")
    with pytest.raises(SpecError) as err:
        load_project(file)
    assert "p.yaml" in str(err.value) and field in str(err.value)
