"""Editor hand-off: the OTIO timeline round-trips and matches the cut; FCP XML and EDL parse."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from shotrelay.edit.export import export_cut
from shotrelay.errors import EngineError
from shotrelay.relay import EngineHooks, run

FPS = 24
SHOTS = {"open": 1.0, "pitch": 1.5, "app": 1.0}
PROJECT = """name: handoff
format: {aspect: "16:9", resolution: 360p, fps: 24}
characters:
  - {name: Maya, description: a founder}
shots:
  - {id: open, duration: 1, role: establishing, subject: a loft}
  - {id: pitch, duration: 1.5, role: dialogue, subject: Maya, characters: [Maya],
     dialogue: [{speaker: Maya, line: "Hi."}], transition: crossfade, transition_seconds: 0.25}
  - {id: app, duration: 1, role: product, subject: a laptop}
"""


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("handoff") / "handoff.yaml"
    path.write_text(PROJECT, encoding="utf-8")
    result = run(path, auto_approve=True, hooks=EngineHooks(sleep=_no_wait))
    assert result.status == "done", result.failures
    return path


@pytest.fixture(scope="module")
def written(project: Path) -> dict[str, Path]:
    return {str(k): v for k, v in export_cut(project).items()}


def video_clips(timeline: Any) -> list[Any]:
    return list(timeline.video_tracks()[0].find_clips())


def test_otio_round_trips_with_the_cut_order_and_durations(written: dict[str, Path]) -> None:
    timeline = otio.adapters.read_from_file(str(written["otio"]))
    clips = video_clips(timeline)
    assert [c.name for c in clips] == list(SHOTS)
    for clip in clips:
        seconds = clip.source_range.duration.to_seconds()
        assert abs(seconds - SHOTS[clip.name]) <= 1 / FPS
    total = timeline.video_tracks()[0].duration().to_seconds()
    assert abs(total - sum(SHOTS.values())) <= 1 / FPS


def test_clips_reference_the_chosen_artifacts_with_shot_metadata(
    written: dict[str, Path],
) -> None:
    timeline = otio.adapters.read_from_file(str(written["otio"]))
    for clip in video_clips(timeline):
        ref = clip.media_reference
        assert ref.target_url.startswith("file:///")
        assert Path(ref.target_url.removeprefix("file://")).is_file()
        meta = clip.metadata["shotrelay"]
        assert meta["shot_id"] == clip.name
        assert meta["artifact"] in ref.target_url.replace("/", "")
        assert meta["model"] == "local-camera" and meta["prompt"] and meta["seed"] is not None
        assert meta["role"] in {"establishing", "dialogue", "product"}
        assert "actual_usd" in meta


def test_crossfade_becomes_a_dissolve_after_the_cut_point(written: dict[str, Path]) -> None:
    track = otio.adapters.read_from_file(str(written["otio"])).video_tracks()[0]
    kinds = [type(item).__name__ for item in track]
    assert kinds == ["Clip", "Transition", "Clip", "Clip"]
    dissolve = track[1]
    assert dissolve.transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert dissolve.in_offset.to_frames() == 0
    assert dissolve.out_offset.to_frames() == round(0.25 * FPS)


def test_dialogue_sits_on_an_audio_track_at_its_shot(written: dict[str, Path]) -> None:
    timeline = otio.adapters.read_from_file(str(written["otio"]))
    (audio,) = timeline.audio_tracks()
    (line,) = list(audio.find_clips())
    assert line.name == "pitch dialogue"
    start = audio.range_of_child(line).start_time.to_seconds()
    assert abs(start - SHOTS["open"]) <= 1 / FPS
    assert Path(line.media_reference.target_url.removeprefix("file://")).suffix == ".wav"


@pytest.mark.parametrize("fmt", ["fcpxml", "edl"])
def test_fcp_xml_and_edl_parse_back_through_otio(written: dict[str, Path], fmt: str) -> None:
    timeline = otio.adapters.read_from_file(str(written[fmt]))
    clips = video_clips(timeline)
    assert [c.name for c in clips] == list(SHOTS)
    for clip in clips:
        assert abs(clip.source_range.duration.to_seconds() - SHOTS[clip.name]) <= 1 / FPS


def test_export_before_any_run_says_to_run_first(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text(PROJECT, encoding="utf-8")
    with pytest.raises(EngineError, match="shotrelay run"):
        export_cut(path)


def test_fps_without_timecode_is_refused_for_edl_with_a_fix(project: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text(project.read_text().replace("fps: 24", "fps: 12"), encoding="utf-8")
    with pytest.raises(EngineError, match=r"fps 12.*--format otio"):
        export_cut(odd, ["edl"], workdir=project.parent / ".shotrelay" / "handoff")


def test_a_cut_older_than_a_shot_rename_says_to_run_again(project: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(project.read_text().replace("id: app", "id: laptop"), encoding="utf-8")
    with pytest.raises(EngineError, match=r"'app'.*predates.*shotrelay run"):
        export_cut(renamed, ["otio"], workdir=project.parent / ".shotrelay" / "handoff")


def test_the_cli_reports_a_stale_cut_without_a_traceback(project: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shotrelay.cli import app

    shutil.copytree(project.parent / ".shotrelay", tmp_path / ".shotrelay", symlinks=True)
    moved = tmp_path / project.name
    moved.write_text(project.read_text().replace("id: open", "id: opening"), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(moved), "--format", "otio"])
    assert result.exit_code == 2
    assert "predates" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_export_without_opentimelineio_says_how_to_install(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # None in sys.modules makes `import opentimelineio` raise ImportError
    monkeypatch.setitem(sys.modules, "opentimelineio", None)
    with pytest.raises(EngineError, match=r"pip install 'shotrelay\[edit\]'"):
        export_cut(project, ["otio"], out_dir=tmp_path)
