"""Deliverables made from the master cut: its captions as SRT and WebVTT, the captions burned
in when the project asks, and one file per extra aspect (``final-9x16.mp4`` ...), each
reframed from the master (centre crop or letterbox) with its captions laid out again for its
own frame and safe area. The sound is the master's, copied. Each rendered file is cached by
what shapes it, so a run whose master did not change re-renders nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shotrelay.edit.captions import Cue, ass_text, write_captions
from shotrelay.edit.framing import crop_x_expression, subject_lefts
from shotrelay.errors import EngineError
from shotrelay.media.audio import read_loudness
from shotrelay.media.backend import get_backend
from shotrelay.media.conform import Fit, size_filter, video_codec_args
from shotrelay.media.info import file_sha256, probe
from shotrelay.spec.models import Captions, Deliverable, Format, Project

__all__ = ["Delivered", "VersionFile", "deliver", "describe_deliverables", "reframe"]

#: Bump when a version's rendering changes, so old cache entries are never reused.
VERSION = 1


class VersionFile(BaseModel):
    """One delivered picture file: its aspect, size and path."""

    model_config = ConfigDict(frozen=True)

    aspect: str
    width: int
    height: int
    path: Path
    captions_burned: bool


class Delivered(BaseModel):
    """What ``deliver`` wrote beside the master."""

    model_config = ConfigDict(frozen=True)

    master: VersionFile
    captions: list[Path]
    versions: list[VersionFile]


def deliver(
    master: Path,
    *,
    fmt: Format,
    cues: Sequence[Cue],
    captions: Captions,
    deliverables: Sequence[Deliverable],
    cache: Path,
    shots: Sequence[tuple[float, float]] = (),
) -> Delivered:
    """Write ``master``'s captions (``final.srt``, ``final.vtt`` beside it, when anyone
    speaks), burn them into the master when ``captions.burn``, and write each deliverable as
    ``final-<W>x<H-ratio>.mp4`` beside it; ``shots`` (each shot's start and end in seconds)
    lets a ``subject`` fit follow the picture shot by shot."""
    burn = captions.burn and bool(cues)
    files = write_captions(cues, master.with_suffix("")) if cues else []
    versions = []
    for want in deliverables:
        size = fmt.model_copy(update={"aspect": want.aspect})
        out = master.with_name(f"{master.stem}-{want.tag}.mp4")
        made = reframe(
            master,
            width=size.width,
            height=size.height,
            fit=want.fit,
            cues=cues if burn else [],
            captions=captions,
            cache=cache,
            shots=shots,
        )
        _publish(made, out)
        versions.append(
            VersionFile(
                aspect=want.aspect,
                width=size.width,
                height=size.height,
                path=out,
                captions_burned=burn,
            )
        )
    if burn:  # last: every version above is reframed from the clean master
        made = reframe(
            master,
            width=fmt.width,
            height=fmt.height,
            fit="letterbox",
            cues=cues,
            captions=captions,
            cache=cache,
        )
        _publish(made, master)
    main = VersionFile(
        aspect=fmt.aspect, width=fmt.width, height=fmt.height, path=master, captions_burned=burn
    )
    return Delivered(master=main, captions=files, versions=versions)


def describe_deliverables(final: Path, project: Project) -> dict[str, Any]:
    """The delivered files beside ``final`` as measured on them: the master's loudness
    (ebur128, not the loudnorm that set it) against the target, each version's size and
    length, and the caption files."""
    try:
        reading = read_loudness(final)
    except EngineError as exc:
        return {"error": str(exc)}
    files = [final, *(final.with_name(f"{final.stem}-{d.tag}.mp4") for d in project.deliverables)]
    versions = []
    for path in files:
        if path.is_file():
            info = probe(path)
            versions.append(
                {
                    "file": str(path),
                    "width": info.width,
                    "height": info.height,
                    "seconds": round(info.duration, 3),
                }
            )
    return {
        "loudness": {
            "integrated_lufs": round(reading.integrated, 2),
            "true_peak_dbtp": round(reading.true_peak, 2),
            "target_lufs": project.sound.loudness_lufs,
            "max_true_peak_dbtp": project.sound.true_peak,
            "measured_with": "ffmpeg ebur128",
        },
        "captions": [
            str(p) for p in (final.with_suffix(".srt"), final.with_suffix(".vtt")) if p.is_file()
        ],
        "captions_burned": project.captions.burn,
        "versions": versions,
    }


def reframe(
    master: Path,
    *,
    width: int,
    height: int,
    fit: str,
    cues: Sequence[Cue],
    captions: Captions,
    cache: Path,
    shots: Sequence[tuple[float, float]] = (),
) -> Path:
    """``master`` at ``width`` x ``height`` (``crop``: cover the frame and keep its centre;
    ``subject``: cover it and keep, shot by shot, the most salient part; anything else:
    letterbox), with ``cues`` burned in for that frame; a cached file."""
    cache.mkdir(parents=True, exist_ok=True)
    info = probe(master)
    narrower = width * info.height < info.width * height
    spans = list(shots) if fit == "subject" and narrower and shots else []
    cue_data = [c.model_dump() for c in cues]
    key = _key(file_sha256(master), width, height, fit, spans, cue_data, captions.model_dump())
    path = cache / f"{key[:32]}.mp4"
    if path.is_file():
        return path
    if spans:
        window = width * info.height / (height * info.width)
        x = crop_x_expression(spans, subject_lefts(master, spans, window))
        chain = (
            f"scale={width}:{height}:force_original_aspect_ratio=increase,"
            f"crop={width}:{height}:x='{x}':y=(ih-oh)/2,setsar=1"
        )
    else:
        fill: Fit = "letterbox" if fit == "letterbox" else "fill"
        chain = size_filter(width, height, fill) + ",setsar=1"
    script = cache / f"{key[:32]}.ass"
    if cues:
        script.write_text(
            ass_text(cues, width=width, height=height, style=captions), encoding="utf-8"
        )
        chain += f",ass=filename={_filter_path(script)}"
    fps = round(info.fps or 24)
    part = path.with_suffix(".part.mp4")
    get_backend().run(
        [
            *("-i", str(master), "-map", "0:v:0", "-map", "0:a?", "-vf", chain),
            *video_codec_args(fps),
            *("-c:a", "copy", str(part)),
        ],
        what=f"render {width}x{height} of {master.name}",
    )
    part.replace(path)
    script.unlink(missing_ok=True)
    return path


def _key(*parts: object) -> str:
    text = json.dumps([VERSION, *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _filter_path(path: Path) -> str:
    """A path as a filter option value inside a filter graph: escaped once for the option
    parser (``\\ ' :``) and again for the graph parser (``\\ ' , ; [ ]``)."""
    text = path.resolve().as_posix()
    for ch in ("\\", "'", ":"):
        text = text.replace(ch, "\\" + ch)
    for ch in ("\\", "'", ",", ";", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


def _publish(src: Path, out: Path) -> None:
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(out)
