"""The cut as cached pieces: each shot conformed once, each transition rendered over its own
span only, the pieces joined by stream copy, the sound mixed apart.

Shot i is conformed (fps, size, exact frames, last frame held) into up to three video-only
pieces: its head (the frames a transition from shot i-1 overlaps), its body, and its tail (the
frames a transition into shot i+1 overlaps). A transition is rendered from the tail before it
and the head after it; cuts need nothing. The video is then body, transition, body, ... joined
without re-encoding, and the audio (each shot's own sound or dialogue at its place, music
under) is mixed on its own, measured for loudness, and laid on in the same pass that joins the
video. Every piece is cached in a folder by the hash of what shapes it, so changing one shot or
one transition re-renders only what depends on it. Pieces that do not depend on each other
render side by side (one ffmpeg per piece, as many at once as there are cores).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import av

from shotrelay.media.audio import duck_filter, music_bed_filter, normalize_wav
from shotrelay.media.backend import get_backend
from shotrelay.media.concat import Placement, Segment, timeline
from shotrelay.media.conform import (
    AAC_ARGS,
    AUDIO_RATE,
    Fit,
    audio_chain,
    video_chain,
    video_codec_args,
)
from shotrelay.media.info import file_sha256, probe
from shotrelay.spec.vocabulary import Transition

__all__ = ["CutProgress", "concat_cached"]

#: Told (steps done, steps in all, what was just done) after every step of a cut.
CutProgress = Callable[[int, int, str], None]

#: Bump when the pieces' encoding changes, so old cache entries are never reused.
VERSION = 1
_XFADE = {Transition.CROSSFADE: "fade", Transition.DIP_TO_BLACK: "fadeblack"}


def concat_cached(
    segments: Sequence[Segment],
    out: Path,
    *,
    width: int,
    height: int,
    fps: int,
    cache: Path,
    fit: Fit = "letterbox",
    music: Path | None = None,
    music_db: float = -18.0,
    music_fade: float = 1.0,
    loudness_lufs: float | None = None,
    true_peak: float = -1.5,
    progress: CutProgress | None = None,
) -> Path:
    """Write the segments as one H.264/AAC MP4 (the same timeline as ``concat``), reusing
    every piece ``cache`` already holds; ``music`` is ducked under the shots' sound and faded
    over ``music_fade`` seconds at head and tail; with ``loudness_lufs`` the sound is
    normalised to it (EBU R128, two passes on the mixed sound, ``true_peak`` at most).
    ``progress`` is told after each shot, transition, the sound and the final join."""
    if not segments:
        raise ValueError("concat_cached needs at least one segment")
    cache.mkdir(parents=True, exist_ok=True)
    places = timeline(segments, fps)
    shape = _Shape(width=width, height=height, fps=fps, fit=fit)
    overlaps = [i for i in range(1, len(places)) if places[i].overlap]
    steps = len(segments) + len(overlaps) + 2
    done = 0

    def tick(what: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, what)

    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        tails = [places[i + 1].overlap if i + 1 < len(places) else 0 for i in range(len(places))]
        same: dict[tuple[str, int, int, int], Future[_Pieces]] = {}  # a clip used twice
        shots = []
        for seg, place, tail in zip(segments, places, tails, strict=True):
            at = (str(seg.path), place.frames, place.overlap, tail)
            if at not in same:
                same[at] = pool.submit(_conform, seg, place, tail, shape, cache)
            shots.append(same[at])
        pieces = []
        for i, future in enumerate(shots):
            pieces.append(future.result())
            tick(f"shot {i + 1} of {len(segments)}")
        cuts = {
            i: pool.submit(_transition, pieces[i - 1][2], pieces[i][0], segments[i], shape, cache)
            for i in overlaps
        }
        order: list[Path] = []
        for i, (_head, body, _tail) in enumerate(pieces):
            if i in cuts:
                order.append(cuts[i].result())
                tick(f"transition into shot {i + 1}")
            if body is not None:
                order.append(body)
    wav = out.with_name(f".{out.stem}.wav")
    audio = _mix_audio(segments, places, fps, music, music_db, wav, music_fade)
    if loudness_lufs is not None:
        mixed, audio = audio, wav.with_name(f".{out.stem}.norm.wav")
        normalize_wav(mixed, audio, lufs=loudness_lufs, true_peak=true_peak)
        mixed.unlink(missing_ok=True)
    tick("sound")
    _join(order, audio, None, out)
    tick("join")
    audio.unlink(missing_ok=True)
    return out


#: Pieces rendered at once: one ffmpeg each, as many as there are cores (x264 threads too,
#: but one process alone leaves cores idle on short clips and in its single-threaded filters).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class _Shape:
    """What shapes every piece besides its source: the frame size, the rate and the fit."""

    width: int
    height: int
    fps: int
    fit: Fit


def _key(*parts: object) -> str:
    plain = [asdict(p) if isinstance(p, _Shape) else p for p in parts]
    text = json.dumps([VERSION, *plain], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


#: A shot's (head, body, tail) pieces, each None when it has no frames.
_Pieces = tuple[Path | None, Path | None, Path | None]


def _conform(seg: Segment, place: Placement, tail: int, shape: _Shape, cache: Path) -> _Pieces:
    """(head, body, tail) pieces of one shot, each None when it has no frames."""
    head, frames = place.overlap, place.frames
    key = _key("conform", file_sha256(seg.path), frames, head, tail, shape)
    spans = {"head": (0, head), "body": (head, frames - tail), "tail": (frames - tail, frames)}
    paths = {name: cache / f"{key[:32]}-{name}.mp4" for name, (a, b) in spans.items() if b > a}
    missing = not all(p.is_file() for p in paths.values())
    if missing and set(paths) == {"body"} and _copyable(seg.path, frames, shape, cache):
        # The clip is already what the cut would encode: its stream joins as it is.
        part = _part(paths["body"])
        get_backend().run(
            ["-i", str(seg.path), "-map", "0:v:0", "-c:v", "copy", "-an", str(part)],
            what=f"copy {seg.path.name}",
        )
        part.replace(paths["body"])
    if not all(p.is_file() for p in paths.values()):
        fps = shape.fps
        chain = video_chain(
            width=shape.width, height=shape.height, fps=fps, frames=frames, fit=shape.fit
        )
        labels = "".join(f"[s{n}]" for n in range(len(paths)))
        graph = [f"[0:v]{chain},split={len(paths)}{labels}"]
        args = ["-i", str(seg.path)]
        outputs: list[str] = []
        parts: dict[Path, Path] = {}
        for n, (name, path) in enumerate(paths.items()):
            a, b = spans[name]
            graph.append(f"[s{n}]trim=start_frame={a}:end_frame={b},setpts=PTS-STARTPTS[o{n}]")
            parts[path] = part = _part(path)
            outputs += ["-map", f"[o{n}]", "-an", *video_codec_args(fps), str(part)]
        get_backend().run(
            [*args, "-filter_complex", ";".join(graph), *outputs], what=f"conform {seg.path.name}"
        )
        for path in paths.values():
            parts[path].replace(path)
    return paths.get("head"), paths.get("body"), paths.get("tail")


def _copyable(path: Path, frames: int, shape: _Shape, cache: Path) -> bool:
    """Whether a clip's video can join the cut as it is: H.264 yuv420p at the cut's size and
    rate, exactly the frames the shot takes, and stream headers byte-identical to those of the
    cut's own pieces (the same encoder and settings, e.g. the local renderers' clips)."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            ctx = stream.codec_context
            found = (
                ctx.name == "h264"
                and str(ctx.pix_fmt) == "yuv420p"
                and (ctx.width, ctx.height) == (shape.width, shape.height)
                and stream.average_rate == shape.fps
                and int(stream.frames or 0) == frames
            )
            headers = bytes(ctx.extradata or b"")
    except (av.FFmpegError, OSError, IndexError):
        return False
    return found and headers == _headers(shape, cache)


def _headers(shape: _Shape, cache: Path) -> bytes:
    """The H.264 stream headers (avcC) the cut's encoder writes at this shape (cached)."""
    path = cache / f"{_key('headers', shape)[:32]}-headers.bin"
    with _HEADERS_LOCK:  # the shots are conformed side by side
        if not path.is_file():
            _write_headers(path, shape)
        return path.read_bytes()


_HEADERS_LOCK = threading.Lock()


def _write_headers(path: Path, shape: _Shape) -> None:
    probe_clip = path.with_suffix(f".{os.getpid()}.mp4")
    fps = shape.fps
    get_backend().run(
        [
            *("-f", "lavfi", "-i", f"color=c=black:s={shape.width}x{shape.height}:r={fps}:d=0.25"),
            "-vf",
            video_chain(width=shape.width, height=shape.height, fps=fps, frames=2, fit=shape.fit),
            *video_codec_args(fps),
            str(probe_clip),
        ],
        what="read the cut encoder's stream headers",
    )
    with av.open(str(probe_clip)) as container:
        headers = bytes(container.streams.video[0].codec_context.extradata or b"")
    probe_clip.unlink(missing_ok=True)
    part = path.with_suffix(f".{os.getpid()}.part")
    part.write_bytes(headers)
    part.replace(path)


def _transition(
    before: Path | None, after: Path | None, seg: Segment, shape: _Shape, cache: Path
) -> Path:
    """The overlap of two shots rendered with the incoming shot's transition."""
    if before is None or after is None:
        raise ValueError("a transition needs the tail before it and the head after it")
    frames = probe(after).frames or 1
    fps = shape.fps
    kind = _XFADE[seg.transition]
    key = _key("transition", file_sha256(before), file_sha256(after), kind, frames, shape)
    path = cache / f"{key[:32]}-transition.mp4"
    if not path.is_file():
        part = _part(path)
        get_backend().run(
            [
                *("-i", str(before), "-i", str(after)),
                "-filter_complex",
                f"[0:v]settb=1/{fps}[a];[1:v]settb=1/{fps}[b];"
                f"[a][b]xfade=transition={kind}:duration={frames / fps:.6f}:offset=0,"
                f"trim=end_frame={frames}[v]",
                *("-map", "[v]", "-an", *video_codec_args(fps), str(part)),
            ],
            what="render a transition",
        )
        part.replace(path)
    return path


def _part(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this writer: two shots from the same clip
    render the same piece side by side, and each renames its own file into place."""
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:12]}.part.mp4")


def _join(pieces: Sequence[Path], audio: Path, chain: str | None, out: Path) -> Path:
    """The pieces one after another without re-encoding, with the sound laid on (through
    ``chain``, e.g. the loudness pass, when given) in the same pass."""
    listing = out.with_name(f".{out.stem}.pieces.txt")
    listing.write_text("".join(f"file '{p.resolve().as_posix()}'\n" for p in pieces))
    get_backend().run(
        [
            *("-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(audio)),
            *("-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy"),
            *(("-af", chain) if chain else ()),
            *AAC_ARGS,
            *("-movflags", "+faststart", "-shortest", str(out)),
        ],
        what=f"join {len(pieces)} pieces and lay the sound on {out.name}",
    )
    listing.unlink(missing_ok=True)
    return out


def _mix_audio(
    segments: Sequence[Segment],
    places: Sequence[Placement],
    fps: int,
    music: Path | None,
    music_db: float,
    out: Path,
    music_fade: float = 1.0,
) -> Path:
    """The cut's sound as WAV: each shot's own track (or its dialogue) at its place over
    silence the length of the video, and the music under it, faded at head and tail and
    ducked by a sidechain compressor keyed by that sound (``media.audio.DUCK``)."""
    total = places[-1].start + places[-1].frames
    samples = round(total / fps * AUDIO_RATE)
    args: list[str] = []
    graph: list[str] = []
    labels: list[str] = []
    inputs = 0
    for i, (seg, place) in enumerate(zip(segments, places, strict=True)):
        source = seg.path if probe(seg.path).has_audio else seg.audio
        if source is None:
            continue
        args += ["-i", str(source)]
        delay = round(place.start / fps * AUDIO_RATE)
        graph.append(
            f"[{inputs}:a]{audio_chain(place.frames / fps)},adelay=delays={delay}S:all=1[a{i}]"
        )
        labels.append(f"[a{i}]")
        inputs += 1
    graph.append(
        f"anullsrc=r={AUDIO_RATE}:cl=stereo,atrim=end_sample={samples},"
        "aformat=sample_fmts=fltp:channel_layouts=stereo[base]"
    )
    sound = "[base]"
    if labels:
        graph.append(
            f"[base]{''.join(labels)}amix=inputs={len(labels) + 1}:duration=first:normalize=0,"
            f"atrim=end_sample={samples}[sound]"
        )
        sound = "[sound]"
    if music is not None:
        args += ["-stream_loop", "-1", "-i", str(music)]
        bed = music_bed_filter(total / fps, gain_db=music_db, fade=music_fade)
        graph.append(f"[{inputs}:a]{bed}[music]")
        graph += duck_filter("music", sound.strip("[]"), "d")
        graph.append(
            f"[dspeech][dmusic]amix=inputs=2:duration=first:normalize=0,"
            f"atrim=end_sample={samples}[aout]"
        )
    else:
        graph.append(f"{sound}anull[aout]")
    get_backend().run(
        [
            *args,
            "-filter_complex",
            ";".join(graph),
            "-map",
            "[aout]",
            "-c:a",
            "pcm_s16le",
            str(out),
        ],
        what="mix the sound",
    )
    return out
