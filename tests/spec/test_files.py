"""Local files a project names are checked by content when it loads: references are images,
music is audio; every bad file is reported with file, line, field and fix."""

from __future__ import annotations

import wave
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from shotrelay.api import init_project
from shotrelay.errors import SpecError
from shotrelay.spec import load_project

PASSWD = Path("/etc/passwd")
needs_passwd = pytest.mark.skipif(not PASSWD.is_file(), reason="no /etc/passwd here")

#: A project as an author writes it, with the files left for each test to fill in.
PROJECT = """\
name: files
style:
  look: warm
  references: [{style}]
characters:
  - name: Mara
    wardrobe: orange windbreaker
    references: [{mara}]
music: {music}
shots:
  - id: hero
    duration: 2
    characters: [Mara]
    references: [{shot}]
"""


def png(path: Path, colour: str = "red") -> Path:
    Image.new("RGB", (8, 8), colour).save(path, format="PNG")
    return path


def jpeg(path: Path) -> Path:
    Image.new("RGB", (8, 8), "blue").save(path, format="JPEG")
    return path


def wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    return path


def mp3(path: Path) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mp3", rate=22050)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 22050), dtype=np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 22050
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


def project(tmp_path: Path, **files: str) -> Path:
    """The project file with good files for every slot except those given."""
    good = {
        "style": png(tmp_path / "look.png", "green").name,
        "mara": png(tmp_path / "mara.png").name,
        "music": wav(tmp_path / "bed.wav").name,
        "shot": jpeg(tmp_path / "set.jpg").name,
    }
    path = tmp_path / "project.yaml"
    path.write_text(PROJECT.format(**{**good, **files}))
    return path


def refused(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_project(path)
    return info.value


def every(err: SpecError) -> list[SpecError]:
    return [err, *err.also]


def test_good_png_jpeg_and_wav_load_and_resolve_against_the_project_folder(
    tmp_path: Path,
) -> None:
    loaded = load_project(project(tmp_path))
    assert loaded.characters[0].references == [tmp_path / "mara.png"]
    assert loaded.shots[0].references == [tmp_path / "set.jpg"]
    assert loaded.style.references == [tmp_path / "look.png"]
    assert loaded.music == tmp_path / "bed.wav"


def test_mp3_music_and_jpeg_with_jpeg_suffix_load(tmp_path: Path) -> None:
    mp3(tmp_path / "bed.mp3")
    jpeg(tmp_path / "mara.jpeg")
    loaded = load_project(project(tmp_path, music="bed.mp3", mara="mara.jpeg"))
    assert loaded.music == tmp_path / "bed.mp3"


@needs_passwd
def test_etc_passwd_everywhere_is_refused_naming_every_field_and_line(tmp_path: Path) -> None:
    path = project(
        tmp_path, style="/etc/passwd", mara="/etc/passwd", music="/etc/passwd", shot="/etc/passwd"
    )
    err = refused(path)
    found = {e.field: e for e in every(err)}
    assert set(found) == {
        "style.references[0]",
        "characters[0].references[0]",
        "music",
        "shots[0].references[0]",
    }
    lines = path.read_text().splitlines()
    for field, e in found.items():
        assert e.file == str(path)
        assert e.line is not None and "/etc/passwd" in lines[e.line - 1], field
        assert "/etc/passwd" in e.message and e.fix
    assert "not an image" in found["characters[0].references[0]"].message
    assert "text file" in found["characters[0].references[0]"].message
    assert "not audio" in found["music"].message
    assert "characters[0].references[0]" in str(err)  # the rendered message lists them all


def test_a_text_file_renamed_png_is_not_an_image(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_text("root:x:0:0:root:/root:/bin/bash\n")
    err = refused(project(tmp_path, mara="notes.png"))
    assert err.field == "characters[0].references[0]" and not err.also
    assert "notes.png is not an image (it looks like a text file)" in err.message
    assert err.fix is not None and "PNG, JPEG or WebP" in err.fix


def test_a_missing_reference_is_reported_at_load_with_the_fix(tmp_path: Path) -> None:
    err = refused(project(tmp_path, shot="gone.png"))
    assert err.field == "shots[0].references[0]"
    assert err.message == f"file not found: {tmp_path / 'gone.png'}"
    assert err.fix is not None and "project file's folder" in err.fix


def test_a_tilde_path_is_explained(tmp_path: Path) -> None:
    err = refused(project(tmp_path, mara="~/refs/mara.png"))
    assert err.fix is not None and "`~` is not expanded" in err.fix


def test_a_symlink_is_checked_by_its_target(tmp_path: Path) -> None:
    (tmp_path / "good.png").symlink_to(png(tmp_path / "real.png"))
    assert load_project(project(tmp_path, mara="good.png")).characters[0].references
    if PASSWD.is_file():
        (tmp_path / "innocent.png").symlink_to(PASSWD)
        err = refused(project(tmp_path, mara="innocent.png"))
        assert "innocent.png (resolves to /etc/passwd) is not an image" in err.message
    (tmp_path / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    err = refused(project(tmp_path, mara="dangling.png"))
    assert "which does not exist" in err.message


def test_a_jpeg_named_png_must_be_renamed(tmp_path: Path) -> None:
    jpeg(tmp_path / "photo.png")
    err = refused(project(tmp_path, mara="photo.png"))
    assert "holds a JPEG image but its name ends in '.png'" in err.message
    assert err.fix == "rename it to photo.jpg"


def test_an_image_format_providers_do_not_take_is_refused(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8), "red").save(tmp_path / "mara.gif", format="GIF")
    err = refused(project(tmp_path, mara="mara.gif"))
    assert "is a GIF image" in err.message and err.fix == "convert it to PNG or JPEG"


def test_a_truncated_png_is_damaged(tmp_path: Path) -> None:
    data = png(tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    err = refused(project(tmp_path, mara="cut.png"))
    assert "damaged" in err.message or "not an image" in err.message


def test_a_folder_or_a_device_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "refs").mkdir()
    err = refused(project(tmp_path, mara="refs"))
    assert "is a folder, not a file" in err.message
    if Path("/dev/zero").exists():
        err = refused(project(tmp_path, mara="/dev/zero"))
        assert "not a regular file" in err.message


def test_music_must_be_audio_by_content(tmp_path: Path) -> None:
    png(tmp_path / "cover.wav")
    err = refused(project(tmp_path, music="cover.wav"))
    assert err.field == "music" and "is not audio" in err.message
    (tmp_path / "broken.wav").write_bytes(b"RIFF\x24\0\0\0WAVEjunkjunkjunk")
    err = refused(project(tmp_path, music="broken.wav"))
    assert err.field == "music" and "audio" in err.message


def test_one_bad_file_named_twice_is_reported_at_both_places(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_text("not an image")
    err = refused(project(tmp_path, mara="x.png", style="x.png"))
    assert {e.field for e in every(err)} == {"style.references[0]", "characters[0].references[0]"}


def test_a_project_without_files_loads_as_init_writes_it(tmp_path: Path) -> None:
    path = init_project(tmp_path / "ad", brief="a short ad", length=10, aspect="16:9")
    assert load_project(path).name == "ad"


def test_readers_of_past_runs_may_skip_the_check(tmp_path: Path) -> None:
    path = project(tmp_path, mara="gone.png")
    assert load_project(path, check_files=False).characters[0].references


@needs_passwd
def test_cli_run_refuses_a_project_sending_etc_passwd_and_writes_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shotrelay.cli import app

    folder = tmp_path / "ad"
    folder.mkdir()
    (folder / "project.yaml").write_text(
        "name: ad\n"
        "characters:\n"
        "  - name: Mara\n"
        "    references: [/etc/passwd]\n"
        "shots:\n"
        "  - {duration: 2, characters: [Mara]}\n"
    )
    result = CliRunner().invoke(app, ["run", str(folder), "--auto-approve"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr
    assert "project.yaml:4: characters[0].references[0]: /etc/passwd is not an image" in (
        result.stderr
    )
    assert sorted(p.name for p in folder.iterdir()) == ["project.yaml"]  # no .shotrelay/
