"""Local files a project names: every reference must be an image and music must be audio.

Checked by content (Pillow for images, a container signature plus PyAV for audio), never by
extension alone, because these files may be uploaded to a paid provider. Symlinks are
followed and their target is checked like any file.
"""

from __future__ import annotations

import codecs
import stat
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["IMAGE_FORMATS", "FileProblem", "audio_problem", "file_problems", "image_problem"]

#: Image formats providers take, by Pillow format name, with the file suffixes that name them
#: (the engine sends a reference's media type by its suffix).
IMAGE_FORMATS: dict[str, tuple[str, ...]] = {
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg"),
    "WEBP": (".webp",),
}
_IMAGES = "PNG, JPEG or WebP"
_AUDIO = "WAV, MP3, AAC/M4A, FLAC, Ogg, AIFF or WebM/Matroska"
_HEAD = 512


@dataclass(frozen=True)
class FileProblem:
    """A file the project names that cannot be used: where it is named, what is wrong, the fix."""

    loc: tuple[int | str, ...]
    path: Path
    message: str
    fix: str


def file_problems(data: Mapping[str, Any], base: Path) -> list[FileProblem]:
    """Every reference and music file named in a (validated) project mapping, checked.

    ``data`` is the mapping as read from YAML (so locations match the file); relative paths
    resolve against ``base``. Each file is checked once, each place naming it is reported.
    """
    seen: dict[tuple[Path, str], tuple[str, str] | None] = {}
    problems: list[FileProblem] = []
    for loc, raw, kind in _named_files(data):
        path = Path(raw)
        full = path if path.is_absolute() else base / path
        if (full, kind) not in seen:
            check = image_problem if kind == "image" else audio_problem
            seen[full, kind] = check(full)
        found = seen[full, kind]
        if found is None:
            continue
        message, fix = found
        if raw.startswith("~") and not full.exists():
            fix = "`~` is not expanded in project files; write the full path"
        problems.append(FileProblem(loc=loc, path=full, message=message, fix=fix))
    return problems


def image_problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is not a usable reference image (message, fix), or None when it is."""
    target, problem = _regular_file(path, "an image file (" + _IMAGES + ")")
    if problem is not None:
        return problem
    from PIL import Image, UnidentifiedImageError

    fix = f"use a {_IMAGES} image, or remove this entry"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(target) as img:
                kind = img.format or "unknown"
                img.verify()
    except UnidentifiedImageError:
        return f"{_shown(path, target)} is not an image ({_what(target)})", fix
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return f"{_shown(path, target)} is too large an image", "scale it down (under 8K)"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"{_shown(path, target)} is a damaged image: {exc}", "export the image again"
    suffixes = IMAGE_FORMATS.get(kind)
    if suffixes is None:
        return (
            f"{_shown(path, target)} is a {kind} image; providers take {_IMAGES}",
            "convert it to PNG or JPEG",
        )
    if target.suffix.lower() not in suffixes:
        ends = f"ends in {target.suffix!r}" if target.suffix else "has no suffix"
        return (
            f"{_shown(path, target)} holds a {kind} image but its name {ends}; "
            "the media type sent to providers follows the name",
            f"rename it to {target.with_suffix(suffixes[0]).name}",
        )
    return None


def audio_problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is not usable as music (message, fix), or None when it is."""
    target, problem = _regular_file(path, "an audio file (" + _AUDIO + ")")
    if problem is not None:
        return problem
    fix = f"use a {_AUDIO} file, or remove music:"
    head = _head(target)
    if head is None:
        return f"{_shown(path, target)} cannot be read", "check the file's permissions"
    if not _audio_signature(head):
        return f"{_shown(path, target)} is not audio ({_what(target)})", fix
    import av

    try:
        with av.open(str(target)) as container:
            streams = len(container.streams.audio)
    except (av.FFmpegError, OSError) as exc:
        return f"{_shown(path, target)} is a damaged audio file: {exc}", "export the audio again"
    if streams == 0:
        return f"{_shown(path, target)} has no audio stream", fix
    return None


def _named_files(data: Mapping[str, Any]) -> Iterator[tuple[tuple[int | str, ...], str, str]]:
    """(location, path as written, "image" or "audio") of every file the project names."""
    style = data.get("style")
    if isinstance(style, Mapping):
        yield from _refs(("style",), style)
    for group in ("characters", "shots"):
        items = data.get(group)
        if isinstance(items, Sequence) and not isinstance(items, str):
            for i, item in enumerate(items):
                if isinstance(item, Mapping):
                    yield from _refs((group, i), item)
    music = data.get("music")
    if music is not None and str(music):
        yield ("music",), str(music), "audio"


def _refs(
    loc: tuple[int | str, ...], entry: Mapping[str, Any]
) -> Iterator[tuple[tuple[int | str, ...], str, str]]:
    refs = entry.get("references")
    if isinstance(refs, Sequence) and not isinstance(refs, str):
        for j, ref in enumerate(refs):
            yield (*loc, "references", j), str(ref), "image"


def _regular_file(path: Path, want: str) -> tuple[Path, tuple[str, str] | None]:
    """The symlink-resolved target, and a problem unless it is an existing regular file."""
    target = path.resolve()
    fix = f"name {want}, or remove this entry"
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return target, (f"{path} resolves to {target}, which does not exist", fix)
        where = "check the path (a relative path starts at the project file's folder)"
        return target, (f"file not found: {path}", f"{where}, or remove this entry")
    except OSError as exc:
        return target, (f"cannot read {path}: {exc.strerror}", "check the path and permissions")
    if stat.S_ISDIR(mode):
        return target, (f"{_shown(path, target)} is a folder, not a file", fix)
    if not stat.S_ISREG(mode):
        return target, (f"{_shown(path, target)} is not a regular file (a device or pipe)", fix)
    return target, None


def _head(path: Path) -> bytes | None:
    try:
        with path.open("rb") as f:
            return f.read(_HEAD)
    except OSError:
        return None


def _audio_signature(head: bytes) -> bool:
    """Whether the first bytes are those of an audio container we accept."""
    return (
        (head[:4] == b"RIFF" and head[8:12] == b"WAVE")
        or head[:3] == b"ID3"
        or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)  # MPEG / ADTS frame
        or head[:4] in (b"fLaC", b"OggS", b"\x1a\x45\xdf\xa3")
        or head[4:8] == b"ftyp"
        or (head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"))
    )


def _what(path: Path) -> str:
    """A short guess at what a file holds, for the message."""
    head = _head(path)
    if not head:
        return "the file is empty" if head == b"" else "it cannot be read"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "its content is not a format we recognise"
    return "it looks like a text file" if b"\0" not in head else "unrecognised content"


def _shown(path: Path, target: Path) -> str:
    return str(path) if path.absolute() == target else f"{path} (resolves to {target})"
