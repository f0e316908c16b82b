"""The cut: shotrelay's assemble_cut against one hand-written ffmpeg command for the same cut.

Run: .venv/bin/python bench/cut.py [runs]
Six 1080p24 clips with sound (20 s, the example ad's shot lengths), joined by cuts, a
crossfade and a dip to black, at the project's format. Prints, per run: the hand-written
single ffmpeg command (the same scaling, transitions and encoder settings, no loudness pass);
our cut as the relay makes it (cached pieces: each shot conformed, each transition rendered,
joined by stream copy, sound mixed apart and loudness-normalised) from an empty cache, and
its ratio to the hand command; the one-pass cut (no cache); and a re-cut after changing one
transition. Targets (issue 15): at most 1.2x the hand command; a re-cut after one transition
change under 5 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from shotrelay.edit import CutItem, assemble_cut
from shotrelay.media.backend import get_backend
from shotrelay.media.conform import AAC_ARGS, frame_count, video_codec_args
from shotrelay.spec.models import Format
from shotrelay.spec.vocabulary import Transition

SHOTS = [
    (3.0, Transition.CUT, 0.0),
    (3.0, Transition.CROSSFADE, 0.5),
    (4.0, Transition.CUT, 0.0),
    (3.0, Transition.DIP_TO_BLACK, 0.5),
    (4.0, Transition.CUT, 0.0),
    (3.0, Transition.CROSSFADE, 0.5),
]
FMT = Format(aspect="16:9", resolution="1080p", fps=24)
_XFADE = {Transition.CROSSFADE: "fade", Transition.DIP_TO_BLACK: "fadeblack"}


def make_clips(folder: Path) -> list[CutItem]:
    """Test-pattern clips with a tone, each a little longer than its shot (as models give)."""
    items = []
    for i, (seconds, transition, overlap) in enumerate(SHOTS):
        path = folder / f"clip{i}.mp4"
        get_backend().run(
            [
                *("-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=24:duration={seconds + 1}"),
                *("-f", "lavfi", "-i", f"sine=frequency={300 + 80 * i}:duration={seconds + 1}"),
                *video_codec_args(24),
                *AAC_ARGS,
                "-shortest",
                str(path),
            ],
            what=f"make clip {i}",
        )
        items.append(
            CutItem(
                shot_id=f"s{i}",
                path=path,
                duration=seconds,
                transition=transition,
                transition_seconds=overlap,
            )
        )
    return items


def hand_command(items: list[CutItem], out: Path) -> None:
    """The same cut as one ffmpeg command, as a person would write it."""
    fps, w, h = FMT.fps, FMT.width, FMT.height
    args: list[str] = []
    graph: list[str] = []
    overlaps = [round(it.transition_seconds * fps) for it in items]
    for i, it in enumerate(items):
        args += ["-i", str(it.path)]
        extra = overlaps[i + 1] if i + 1 < len(items) else 0
        frames = frame_count(it.duration, fps) + extra
        graph.append(
            f"[{i}:v]fps={fps},scale={w}:{h}:force_original_aspect_ratio=decrease,"
            f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,"
            f"trim=end_frame={frames},setpts=PTS-STARTPTS,settb=1/{fps}[v{i}]"
        )
        graph.append(f"[{i}:a]atrim=end={frames / fps:.6f},asetpts=PTS-STARTPTS[a{i}]")
    video, audio, length = "[v0]", "[a0]", frame_count(items[0].duration, fps)
    length += overlaps[1] if len(items) > 1 else 0
    for i in range(1, len(items)):
        k = overlaps[i]
        if k:
            graph.append(
                f"{video}[v{i}]xfade=transition={_XFADE[items[i].transition]}:"
                f"duration={k / fps:.6f}:offset={(length - k) / fps:.6f}[x{i}]"
            )
            graph.append(f"{audio}[a{i}]acrossfade=d={k / fps:.6f}[y{i}]")
        else:
            graph.append(f"{video}[v{i}]concat=n=2:v=1:a=0,settb=1/{fps}[x{i}]")
            graph.append(f"{audio}[a{i}]concat=n=2:v=0:a=1[y{i}]")
        video, audio = f"[x{i}]", f"[y{i}]"
        extra = overlaps[i + 1] if i + 1 < len(items) else 0
        length += frame_count(items[i].duration, fps) + extra - k
    args += ["-filter_complex", ";".join(graph), "-map", video, "-map", audio]
    args += [*video_codec_args(fps), *AAC_ARGS, str(out)]
    get_backend().run(args, what="hand-written cut")


def timed(fn: object, *args: object, **kw: object) -> float:
    start = time.perf_counter()
    fn(*args, **kw)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = make_clips(folder)
        print(f"{len(items)} clips, {sum(s for s, _, _ in SHOTS):.0f} s at {FMT.resolution}")
        for run in range(1, runs + 1):
            cache = folder / f"pieces-{run}"
            hand = timed(hand_command, items, folder / "hand.mp4")
            ours = timed(assemble_cut, items, folder / "ours.mp4", fmt=FMT, cache=cache)
            one_pass = timed(assemble_cut, items, folder / "one-pass.mp4", fmt=FMT)
            changed = [*items[:3], items[3].model_copy(update={"transition_seconds": 1.0})]
            changed += items[4:]
            recut = timed(assemble_cut, changed, folder / "recut.mp4", fmt=FMT, cache=cache)
            print(
                f"run {run}: hand-written ffmpeg {hand:.2f} s; ours {ours:.2f} s, ratio "
                f"{ours / hand:.2f} (target <= 1.2); one pass {one_pass:.2f} s; re-cut after "
                f"one transition change {recut:.2f} s (target < 5 s)"
            )


if __name__ == "__main__":
    main()
