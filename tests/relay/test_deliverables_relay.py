"""A run delivers beside final.mp4 its captions (SRT, WebVTT), each aspect the project lists,
and a manifest section measured on those files; the animatic gets none of it, a re-run
renders nothing again, and a delivery that cannot be made is journalled, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from shotrelay.catalog.profile import ModelProfile
from shotrelay.edit import CutItem
from shotrelay.engine.journal import Journal
from shotrelay.media import mux_audio, tone, write_video
from shotrelay.media.info import probe
from shotrelay.providers.base import JobRequest, ProviderResult
from shotrelay.relay.run import run
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Stage
from shotrelay.testing import LOCAL_MODELS, FakeProvider, hooks

PROJECT = """name: ad
format: {aspect: "16:9", resolution: 360p, fps: 12}
characters: [{name: Ana}]
deliverables: [{aspect: "9:16"}, {aspect: "1:1", fit: letterbox}]
shots:
  - {id: a, duration: 1, subject: a cat}
  - id: b
    duration: 2
    subject: Ana
    dialogue: [{speaker: Ana, line: "Hello there.", at: 0}, {speaker: Ana, line: "Bye."}]
"""


def _dubber(m: ModelProfile) -> ModelProfile:
    if m.id != "local-dub":
        return m
    return m.model_copy(
        update={"inputs": m.inputs.model_copy(update={"audio": True, "video": True})}
    )


class Catalog:
    def __init__(self) -> None:
        self.models = [_dubber(m) for m in LOCAL_MODELS]


class Speaking(FakeProvider):
    """The fake provider, but its speech is a real 1.2 s tone (the captions measure it)."""

    async def fetch(self, handle: object, request: JobRequest, dest: Path) -> ProviderResult:
        result = await super().fetch(handle, request, dest)  # type: ignore[arg-type]
        if request.stage != Stage.TTS:
            return result
        wav = tone(dest / "line.wav", 1.2, amplitude=0.2)
        return ProviderResult(path=wav, media_type="audio/wav", cost_usd=result.cost_usd)


class RealCutter:
    """Writes a real cut of the format (grey frames, a tone) whatever the clips hold."""

    def __init__(self) -> None:
        self.kinds: list[int] = []

    def __call__(self, clips: list[CutItem], out: Path, fmt: Format, music: Path | None) -> Path:
        self.kinds.append(fmt.height)
        seconds = sum(c.duration for c in clips)
        frames = [np.full((fmt.height, fmt.width, 3), 100, np.uint8)] * round(seconds * fmt.fps)
        video = write_video(out.with_suffix(".v.mp4"), frames, fps=fmt.fps)
        sound = tone(out.with_suffix(".wav"), seconds, amplitude=0.2)
        return mux_audio(video, sound, out)


def _run(file: Path, cutter: object, provider: FakeProvider):  # type: ignore[no-untyped-def]
    return run(
        file,
        providers={"local": provider},
        catalog=Catalog(),
        hooks=hooks(cutter),  # type: ignore[arg-type]
        auto_approve=True,
    )


def test_a_run_delivers_captions_versions_and_measured_loudness(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT)
    result = _run(file, RealCutter(), Speaking("local"))
    assert result.status == "done", result.failures
    out = Path(str(result.final)).parent
    assert sorted(p.name for p in out.glob("final*")) == [
        "final-1x1.mp4",
        "final-9x16.mp4",
        "final.mp4",
        "final.srt",
        "final.vtt",
    ]
    assert not list(out.glob("animatic-*"))  # the animatic is a review, not a deliverable
    srt = (out / "final.srt").read_text()
    # Shot b starts at 1 s; its 1.2 s of speech (lip-synced into the clip) shared 12 : 4.
    assert "00:00:01,000 --> 00:00:01,900\nHello there." in srt
    assert "00:00:01,900 --> 00:00:02,200\nBye." in srt
    assert (probe(out / "final-9x16.mp4").width, probe(out / "final-9x16.mp4").height) == (
        360,
        640,
    )
    manifest = json.loads(Path(str(result.manifest)).read_text())
    section = manifest["deliverables"]
    assert section["loudness"]["measured_with"] == "ffmpeg ebur128"
    assert section["loudness"]["integrated_lufs"] < -5  # a reading, not the target copied
    assert [(v["width"], v["height"]) for v in section["versions"]] == [
        (640, 360),
        (360, 640),
        (360, 360),
    ]
    assert all(v["seconds"] == 3.0 for v in section["versions"])


def test_a_delivery_that_cannot_be_made_is_journalled_and_the_cut_stands(
    tmp_path: Path,
) -> None:
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT)
    result = _run(file, RealCutter(), FakeProvider("local"))  # its speech is not audio
    assert result.status == "done", result.failures
    assert Path(str(result.final)).is_file()
    journal = Journal(Path(str(result.workspace)) / "journal.sqlite")
    failed = [e.message for e in journal.events() if e.kind == "deliver_failed"]
    assert failed and "final.mp4" in failed[0]


def test_the_relay_cutter_mixes_at_the_project_loudness(tmp_path: Path) -> None:
    from shotrelay.media.audio import read_loudness
    from shotrelay.relay.output import default_cutter
    from shotrelay.spec.models import Sound

    fmt = Format(aspect="16:9", resolution="360p", fps=12)
    clip = write_video(tmp_path / "c.mp4", [np.full((90, 160, 3), 60, np.uint8)] * 24, fps=12)
    line = tone(tmp_path / "line.wav", 1.5, freq=700, amplitude=0.05)
    bed = tone(tmp_path / "bed.wav", 1.0, freq=200, amplitude=0.3)
    items = [CutItem(shot_id="a", path=clip, duration=2, audio=line)]
    for target in (-23.0, -14.0):
        out = default_cutter(
            items,
            tmp_path / f"cut{target}.mp4",
            fmt,
            bed,
            cache=tmp_path / "pieces",
            sound=Sound(loudness_lufs=target),
        )
        reading = read_loudness(out)
        assert reading.integrated == pytest.approx(target, abs=1.0)
        assert reading.true_peak <= -1.0
