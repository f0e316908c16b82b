"""Captions follow the dialogue as the cut places it: lines in order over the shot's speech in
proportion to their length, or at the times the project gives, and the cues match where the
speech actually sounds in the cut."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from shotrelay.edit import CutItem, assemble_cut
from shotrelay.edit.captions import (
    SpokenShot,
    ass_text,
    lay_out,
    spoken_shots,
    srt_text,
    vtt_text,
    write_captions,
)
from shotrelay.media import write_video
from shotrelay.media.encode import write_wav
from shotrelay.spec.models import Captions, DialogueLine, Format, Project
from shotrelay.spec.vocabulary import Transition

FMT = Format(aspect="16:9", resolution="360p", fps=12)


def _line(text: str, at: float | None = None, who: str = "Ana") -> DialogueLine:
    return DialogueLine(speaker=who, line=text, at=at)


def test_untimed_lines_share_the_speech_in_proportion_to_their_length() -> None:
    shot = SpokenShot(
        shot_id="s2",
        start=3.0,
        seconds=4.0,
        speech=3.0,
        lines=[_line("Hi."), _line("How are you today?")],  # 3 and 18 characters
    )
    first, second = lay_out([shot])
    assert (first.start, first.end) == (3.0, pytest.approx(3 + 3 * 3 / 21, abs=1e-3))
    assert (second.start, second.end) == (first.end, 6.0)
    assert second.text == "How are you today?" and second.shot_id == "s2"


def test_timed_lines_start_where_the_project_says_and_never_pass_the_shot() -> None:
    shot = SpokenShot(
        shot_id="s1",
        start=0.0,
        seconds=5.0,
        speech=9.0,  # longer than the shot: the captions stop with the shot
        lines=[_line("One.", at=0.5), _line("Two.", at=2.0), _line("Three, four.")],
    )
    cues = lay_out([shot])
    assert [(c.start, c.end) for c in cues] == [
        (0.5, 2.0),
        (2.0, 2.75),
        (2.75, 5.0),
    ]  # 4 : 12 characters


def test_a_clip_that_speaks_for_itself_spans_its_whole_shot() -> None:
    shot = SpokenShot(shot_id="s1", start=1.0, seconds=2.0, speech=None, lines=[_line("Go.")])
    assert [(c.start, c.end) for c in lay_out([shot])] == [(1.0, 3.0)]


def test_srt_and_vtt_carry_the_cues(tmp_path: Path) -> None:
    shot = SpokenShot(
        shot_id="s1",
        start=61.5,
        seconds=2.0,
        speech=2.0,
        lines=[_line("A <b> & c", who="Bo")],
    )
    cues = lay_out([shot])
    assert srt_text(cues) == "1\n00:01:01,500 --> 00:01:03,500\nA <b> & c\n"
    assert vtt_text(cues) == (
        "WEBVTT\n\n00:01:01.500 --> 00:01:03.500\n<v Bo>A &lt;b&gt; &amp; c\n"
    )
    srt, vtt = write_captions(cues, tmp_path / "out" / "final")
    assert (srt.name, vtt.name) == ("final.srt", "final.vtt")
    assert srt.read_text() == srt_text(cues)


def test_the_ass_script_places_text_inside_the_safe_area() -> None:
    cues = lay_out([SpokenShot(shot_id="s", start=0, seconds=1, lines=[_line("{x}\\y")])])
    style = Captions(size=0.05, safe_area=0.1, position="top", font="DejaVu Sans")
    text = ass_text(cues, width=1080, height=1920, style=style)
    assert "PlayResX: 1080\nPlayResY: 1920" in text
    # 5% of 1920 high, top centre (8), margins 10% of each side.
    assert "Style: Caption,DejaVu Sans,96," in text and ",8,108,108,192,1" in text
    assert text.rstrip().endswith(",(x)\u29f5y")  # no override block, no tag


def _clip(path: Path, seconds: float) -> Path:
    frames = [np.full((90, 160, 3), 80, np.uint8)] * round(seconds * 12)
    return write_video(path, frames, fps=12)


def _sounding(path: Path) -> tuple[float, float]:
    """First and last moment (s) the cut's audio is above -40 dBFS, in 10 ms windows."""
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].rate
        data = np.concatenate(
            [f.to_ndarray().reshape(-1, f.samples)[0] for f in container.decode(audio=0)]
        )
    win = rate // 100
    rms = [float(np.sqrt(np.mean(data[i : i + win] ** 2))) for i in range(0, len(data), win)]
    loud = [i for i, v in enumerate(rms) if v > 0.01]
    return loud[0] / 100, (loud[-1] + 1) / 100


def test_cues_match_the_speech_in_the_cut_within_100_ms(tmp_path: Path) -> None:
    project = Project.model_validate(
        {
            "name": "p",
            "characters": [{"name": "Ana"}],
            "shots": [
                {"id": "a", "duration": 2},
                {
                    "id": "b",
                    "duration": 2.5,
                    "transition": "crossfade",
                    "transition_seconds": 0.5,
                    "dialogue": [
                        {"speaker": "Ana", "line": "Morning."},
                        {"speaker": "Ana", "line": "Coffee?"},
                    ],
                },
            ],
        }
    )
    # A TTS track as voices make it: a little silence before the words, more after.
    rate = 48000
    words = 0.3 * np.sin(2 * np.pi * 500 * np.arange(round(1.1 * rate)) / rate)
    padded = np.concatenate([np.zeros(round(0.25 * rate)), words, np.zeros(round(0.4 * rate))])
    speech = write_wav(tmp_path / "b.wav", padded, sample_rate=rate)
    items = [
        CutItem(shot_id="a", path=_clip(tmp_path / "a.mp4", 2), duration=2),
        CutItem(
            shot_id="b",
            path=_clip(tmp_path / "b.mp4", 2.5),
            duration=2.5,
            transition=Transition.CROSSFADE,
            transition_seconds=0.5,
            audio=speech,
        ),
    ]
    cut = assemble_cut(items, tmp_path / "cut.mp4", fmt=FMT, cache=tmp_path / "pieces")
    cues = lay_out(spoken_shots(items, project, FMT.fps))
    heard_from, heard_to = _sounding(cut)
    assert [c.text for c in cues] == ["Morning.", "Coffee?"]
    assert heard_from == pytest.approx(2 + 0.25, abs=0.02)  # b starts at 2 s, a runs on under it
    assert cues[0].start == pytest.approx(heard_from, abs=0.1)
    assert cues[-1].end == pytest.approx(heard_to, abs=0.1)
    assert cues[0].end == cues[1].start
