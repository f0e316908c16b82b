"""Versions of the master: each aspect at its exact size and length with the master's sound,
centre-cropped or letterboxed, captions burned inside each frame's safe area when asked, and
nothing re-rendered when the master did not change."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shotrelay.edit.captions import Cue
from shotrelay.edit.versions import deliver, describe_deliverables
from shotrelay.media import mux_audio, tone, write_video
from shotrelay.media.audio import read_loudness
from shotrelay.media.frames import iter_frames
from shotrelay.media.info import probe
from shotrelay.spec.models import Captions, Deliverable, Format, Project

FMT = Format(aspect="16:9", resolution="360p", fps=12)  # 640 x 360
CUES = [Cue(start=0.0, end=2.0, text="Ship it today.", speaker="Ana", shot_id="s1")]


@pytest.fixture
def master(tmp_path: Path) -> Path:
    """2 s at 640x360: grey, a red band down the middle third, a 440 Hz tone."""
    frame = np.full((360, 640, 3), 90, np.uint8)
    frame[:, 213:427] = (200, 30, 30)
    video = write_video(tmp_path / "v.mp4", [frame] * 24, fps=12)
    out = tmp_path / "out"
    out.mkdir()
    return mux_audio(video, tone(tmp_path / "t.wav", 2.0, amplitude=0.2), out / "final.mp4")


def _frame(path: Path, index: int = 12) -> np.ndarray:
    return list(iter_frames(path))[index]


def test_each_aspect_is_its_exact_size_and_length_with_the_master_sound(
    master: Path, tmp_path: Path
) -> None:
    wanted = [Deliverable(aspect="9:16"), Deliverable(aspect="1:1"), Deliverable(aspect="4:5")]
    made = deliver(
        master,
        fmt=FMT,
        cues=CUES,
        captions=Captions(),
        deliverables=wanted,
        cache=tmp_path / "cache",
    )
    names = [v.path.name for v in made.versions]
    assert names == ["final-9x16.mp4", "final-1x1.mp4", "final-4x5.mp4"]
    assert [p.name for p in made.captions] == ["final.srt", "final.vtt"]
    source = probe(master)
    for version, size in zip(made.versions, [(360, 640), (360, 360), (360, 450)], strict=True):
        info = probe(version.path)
        assert (info.width, info.height) == size == (version.width, version.height)
        assert info.frames == source.frames and info.fps == source.fps
        assert info.audio_duration == pytest.approx(source.audio_duration, abs=0.03)
    # A centre crop of 16:9 to 9:16 keeps the red middle: it fills the frame.
    tall = _frame(made.versions[0].path)
    assert tall[:, :, 0].mean() > 180 and tall[:, :, 1].mean() < 60
    assert read_loudness(made.versions[0].path).integrated == pytest.approx(
        read_loudness(master).integrated, abs=0.2
    )


def test_letterbox_keeps_the_whole_master_between_black_bars(master: Path, tmp_path: Path) -> None:
    made = deliver(
        master,
        fmt=FMT,
        cues=[],
        captions=Captions(),
        deliverables=[Deliverable(aspect="1:1", fit="letterbox")],
        cache=tmp_path / "cache",
    )
    square = _frame(made.versions[0].path)
    assert square.shape[:2] == (360, 360)
    assert square[:60].max() < 20 and square[-60:].max() < 20  # bars: (360 - 202) / 2 high
    assert abs(int(square[180, 20, 0]) - 90) < 12  # the grey left edge of the master
    assert made.captions == []  # nobody speaks: no caption files


def test_burned_captions_sit_in_each_frame_safe_area(master: Path, tmp_path: Path) -> None:
    clean = _frame(master)
    style = Captions(burn=True, size=0.06, safe_area=0.1, position="bottom")
    made = deliver(
        master,
        fmt=FMT,
        cues=CUES,
        captions=style,
        deliverables=[Deliverable(aspect="9:16")],
        cache=tmp_path / "cache",
    )
    look = os.environ.get("SHOTRELAY_LOOK")  # a folder to save the frames in, to look at
    for version in [made.master, *made.versions]:
        assert version.captions_burned
        frame = _frame(version.path)
        if look:
            Image.fromarray(frame).save(Path(look) / f"{version.path.stem}.png")
        h = frame.shape[0]
        white = (frame.min(axis=2) > 235).any(axis=1)  # rows holding caption text
        rows = np.flatnonzero(white)
        assert rows.size, f"no caption in {version.path.name}"
        assert rows.min() > h / 2 and rows.max() < h * 0.9  # bottom, above the safe margin
        cols = np.flatnonzero((frame.min(axis=2) > 235).any(axis=0))
        w = frame.shape[1]
        assert cols.min() >= w * 0.1 - 1 and cols.max() <= w * 0.9 + 1
    assert np.abs(_frame(master)[:100].astype(int) - clean[:100]).mean() < 3  # above: as it was


def test_an_unchanged_master_renders_nothing_again(
    master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kwargs = {
        "fmt": FMT,
        "cues": CUES,
        "captions": Captions(),
        "deliverables": [Deliverable(aspect="1:1")],
        "cache": tmp_path / "cache",
    }
    first = deliver(master, **kwargs)  # type: ignore[arg-type]
    first.versions[0].path.unlink()
    import shotrelay.edit.versions as versions

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(versions, "get_backend", refuse)
    again = deliver(master, **kwargs)  # type: ignore[arg-type]
    assert again.versions[0].path.is_file()


def test_the_manifest_section_is_measured_on_the_files(master: Path, tmp_path: Path) -> None:
    project = Project(name="p", deliverables=[Deliverable(aspect="9:16")])
    deliver(
        master,
        fmt=FMT,
        cues=CUES,
        captions=project.captions,
        deliverables=project.deliverables,
        cache=tmp_path / "cache",
    )
    section = describe_deliverables(master, project)
    loud = section["loudness"]
    assert loud["integrated_lufs"] == pytest.approx(read_loudness(master).integrated, abs=0.01)
    assert (loud["target_lufs"], loud["max_true_peak_dbtp"]) == (-14.0, -1.0)
    sizes = [(v["width"], v["height"]) for v in section["versions"]]
    assert sizes == [(640, 360), (360, 640)]
    assert [Path(p).name for p in section["captions"]] == ["final.srt", "final.vtt"]
