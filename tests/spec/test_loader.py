"""Project files load into a Project; bad files give errors naming file, line, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from shotrelay.errors import SpecError
from shotrelay.spec import Role, load_project

GOOD = """\
name: demo
format: {aspect: "9:16", resolution: 720p, fps: 30}
characters:
  - name: Ana
    wardrobe: red coat
shots:
  - duration: 3
    role: hero
    characters: [Ana]
  - id: close
    duration: 2.5
    dialogue:
      - {speaker: Ana, line: "Hello."}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "project.yaml"
    path.write_text(text)
    return path


def error_for(tmp_path: Path, text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_project(write(tmp_path, text))
    return info.value


def test_good_file_loads_with_ids_and_format(tmp_path: Path) -> None:
    project = load_project(write(tmp_path, GOOD))
    assert [s.id for s in project.shots] == ["s1", "close"]
    assert project.shots[0].role is Role.HERO
    assert (project.format.width, project.format.height) == (720, 1280)
    assert project.length == pytest.approx(5.5)
    assert project.shots[1].has_dialogue


def test_wrong_type_names_line_field_and_fix(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("duration: 3", "duration: three"))
    assert err.file and err.file.endswith("project.yaml")
    assert err.line == 7
    assert err.field == "shots[0].duration"
    assert err.fix and "number" in err.fix


def test_negative_duration_is_out_of_range(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("duration: 2.5", "duration: -1"))
    assert err.field == "shots[1].duration"
    assert "out of range" in err.message
    assert err.fix and "greater than 0" in err.fix


def test_unknown_role_lists_the_allowed_roles(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("role: hero", "role: villain"))
    assert err.field == "shots[0].role"
    assert err.line == 8
    assert err.fix and "'hero'" in err.fix and "'b-roll'" in err.fix


def test_misspelt_field_suggests_the_right_one(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("role: hero", "rol: hero"))
    assert "unknown field 'rol'" in err.message
    assert err.fix == "did you mean 'role'?"


def test_unknown_speaker_is_named(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("speaker: Ana", "speaker: Bob"))
    assert "'Bob'" in err.message and "characters" in err.message


def test_duplicate_shot_ids_are_refused(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD.replace("id: close", "id: s1"))
    assert "share the id 's1'" in err.message


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, GOOD + "  - duration: [unclosed\n")
    assert err.line is not None and "YAML syntax" in err.message


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    err = error_for_path(tmp_path / "nope.yaml")
    assert "not found" in err.message and err.fix and "init" in err.fix


def error_for_path(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_project(path)
    return info.value


def test_relative_references_resolve_against_the_file(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(tmp_path / "ana.png")
    text = GOOD.replace(
        "    wardrobe: red coat", "    wardrobe: red coat\n    references: [ana.png]"
    )
    project = load_project(write(tmp_path, text))
    assert project.characters[0].references == [tmp_path / "ana.png"]


def test_explicit_weights_override_role_defaults(tmp_path: Path) -> None:
    from shotrelay.spec import ROLE_WEIGHTS, effective_weights

    text = GOOD.replace("role: hero", "role: hero\n    weights: {cost: 0.9}")
    shot = load_project(write(tmp_path, text)).shots[0]
    weights = effective_weights(shot)
    assert weights["cost"] == 0.9
    assert weights["aesthetics"] == ROLE_WEIGHTS[Role.HERO]["aesthetics"]


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    bad_shots = "".join(f"  - {{duration: -{i}}}\n" for i in range(1, 13))
    path.write_text("name: x\nstyle: {palete: []}\nshots:\n" + bad_shots)
    with pytest.raises(SpecError) as info:
        load_project(path)
    err = info.value
    assert err.field == "style.palete" and err.line == 2
    assert len(err.also) == 9 and err.more == 3
    text = str(err)
    assert f"{path}:4: shots[0].duration" in text
    assert text.endswith("... and 3 more problem(s) of the same file")
