"""The cut as cached pieces gives the one-pass cut's frames and sound, and a re-cut after one
change renders only what depends on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import FPS, ramp_frames
from shotrelay.media import concat, tone, write_video
from shotrelay.media.concat import Segment
from shotrelay.media.frames import iter_frames
from shotrelay.media.info import probe
from shotrelay.media.pieces import concat_cached
from shotrelay.spec.vocabulary import Transition

SIZE = {"width": 160, "height": 90, "fps": FPS}


@pytest.fixture
def segments(tmp_path: Path) -> list[Segment]:
    """Three clips joined by a crossfade and a dip to black; the second has a line."""
    clips = [write_video(tmp_path / f"c{i}.mp4", ramp_frames(24), fps=FPS) for i in range(3)]
    line = tone(tmp_path / "line.wav", 0.5, amplitude=0.2)
    return [
        Segment(path=clips[0], seconds=2.5),
        Segment(
            path=clips[1], seconds=2, transition=Transition.CROSSFADE, transition_seconds=0.5,
            audio=line,
        ),
        Segment(path=clips[2], seconds=2, transition=Transition.DIP_TO_BLACK, transition_seconds=1),
    ]  # fmt: skip


def _count_commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each ffmpeg the pieces run was for, in order (the commands still run)."""
    import shotrelay.media.pieces as pieces

    ran: list[str] = []
    real = pieces.get_backend()

    class Counting:
        def run(self, args: list[str], *, what: str) -> str:
            ran.append(what)
            return real.run(args, what=what)

    monkeypatch.setattr(pieces, "get_backend", lambda: Counting())
    return ran


def test_the_pieces_make_the_one_pass_cut(tmp_path: Path, segments: list[Segment]) -> None:
    whole = concat(segments, tmp_path / "whole.mp4", **SIZE)
    pieces = concat_cached(segments, tmp_path / "pieces.mp4", cache=tmp_path / "cache", **SIZE)
    a, b = probe(whole), probe(pieces)
    assert a.frames == b.frames == 60  # 30 + 24 + 24 frames, less the 6 and 12 overlapped
    assert b.has_audio and b.audio_duration == pytest.approx(a.audio_duration, abs=0.03)
    diffs = [
        float(np.abs(x.astype(int) - y.astype(int)).mean())
        for x, y in zip(iter_frames(whole), iter_frames(pieces), strict=True)
    ]
    assert max(diffs) < 3.0  # the same pictures, up to encoding noise


def test_a_recut_renders_only_what_the_change_touches(
    tmp_path: Path, segments: list[Segment], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    concat_cached(segments, tmp_path / "first.mp4", cache=cache, **SIZE)
    ran = _count_commands(monkeypatch)
    concat_cached(segments, tmp_path / "same.mp4", cache=cache, **SIZE)
    assert not any(w.startswith(("conform", "render")) for w in ran)  # nothing re-rendered
    ran.clear()
    longer = segments[2].model_copy(update={"transition_seconds": 0.5})
    concat_cached([*segments[:2], longer], tmp_path / "recut.mp4", cache=cache, **SIZE)
    conformed = [w for w in ran if w.startswith("conform")]
    assert len(conformed) == 2 and "c0.mp4" not in " ".join(conformed)  # shots 2 and 3 only
    assert ran.count("render a transition") == 1
    assert probe(tmp_path / "recut.mp4").frames == 66  # the dip now overlaps 6 frames


def _packets(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]


def test_a_clip_already_in_the_cut_format_joins_by_stream_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local render at the cut's size, rate and length is not encoded a second time."""
    ready = write_video(tmp_path / "ready.mp4", ramp_frames(FPS, 160, 90), fps=FPS)
    other = write_video(tmp_path / "other.mp4", ramp_frames(FPS, 320, 180), fps=FPS)  # larger
    ran = _count_commands(monkeypatch)
    cache = tmp_path / "cache"
    segs = [Segment(path=ready, seconds=1), Segment(path=other, seconds=1)]
    out = concat_cached(segs, tmp_path / "cut.mp4", cache=cache, **SIZE)
    assert "copy ready.mp4" in ran and "conform ready.mp4" not in ran
    assert "conform other.mp4" in ran
    body = next(cache.glob("*-body.mp4"), None)
    copied = [p for p in cache.glob("*-body.mp4") if _packets(p) == _packets(ready)]
    assert body is not None and len(copied) == 1  # the very same coded pictures
    info = probe(out)
    assert info.frames == 2 * FPS and (info.width, info.height) == (160, 90)
    first = next(iter_frames(out))
    assert float(np.abs(first.astype(int) - next(iter_frames(ready)).astype(int)).mean()) < 1.0


def test_a_clip_of_another_length_is_conformed_not_copied(tmp_path: Path) -> None:
    ready = write_video(tmp_path / "ready.mp4", ramp_frames(FPS, 160, 90), fps=FPS)
    cache = tmp_path / "cache"
    out = concat_cached(
        [Segment(path=ready, seconds=1.5)], tmp_path / "cut.mp4", cache=cache, **SIZE
    )
    assert probe(out).frames == round(1.5 * FPS)  # the last frame held, so encoded
    assert all(_packets(p) != _packets(ready) for p in cache.glob("*-body.mp4"))


def test_a_clip_used_twice_is_rendered_once_and_the_cut_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shots conform side by side: the same clip twice must not race for one piece file."""
    clip = write_video(tmp_path / "same.mp4", ramp_frames(24), fps=FPS)
    ran = _count_commands(monkeypatch)
    segs = [Segment(path=clip, seconds=1.5) for _ in range(3)]
    out = concat_cached(segs, tmp_path / "cut.mp4", cache=tmp_path / "cache", **SIZE)
    assert ran.count("conform same.mp4") == 1
    assert probe(out).frames == 3 * round(1.5 * FPS)
    assert not list((tmp_path / "cache").glob("*.part.mp4"))
