"""The contact sheet: one PNG with a frame of every shot, labelled with its id and duration."""

from __future__ import annotations

import math
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from shotrelay.errors import ShotrelayError
from shotrelay.report.data import ReportData, gather
from shotrelay.report.images import thumbnail
from shotrelay.report.sections import cut_clips

__all__ = ["contact_sheet", "write_contact_sheet"]

_LABEL = 22
_PAD = 8
_BACKGROUND = (24, 27, 34)
_EMPTY = (70, 74, 82)


def contact_sheet(data: ReportData, *, columns: int = 4, width: int = 320) -> Image.Image:
    """A grid of the shots in order: the take in the cut, else the keyframe, else a blank."""
    shots = data.project.shots
    fmt = data.project.format
    height = max(1, round(width * fmt.height / fmt.width))
    cols = max(1, min(columns, len(shots)))
    rows = max(1, math.ceil(len(shots) / cols))
    sheet = Image.new(
        "RGB",
        (cols * (width + _PAD) + _PAD, rows * (height + _LABEL + _PAD) + _PAD),
        _BACKGROUND,
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=14)
    clips = cut_clips(data)
    for i, shot in enumerate(shots):
        x = _PAD + (i % cols) * (width + _PAD)
        y = _PAD + (i // cols) * (height + _LABEL + _PAD)
        keyframe = next(
            (
                j.artifact
                for j in reversed(data.jobs)
                if j.shot_id == shot.id and j.stage == "keyframe" and j.artifact
            ),
            None,
        )
        source = data.store_path(clips.get(shot.id)) or data.store_path(keyframe)
        tile: Image.Image | None = None
        if source is not None:
            try:
                tile = thumbnail(source, width).resize((width, height))
            except (ShotrelayError, OSError):
                tile = None
        if tile is None:
            draw.rectangle((x, y, x + width - 1, y + height - 1), fill=_EMPTY)
            draw.text((x + 8, y + 8), "not made yet", fill=(200, 200, 200), font=font)
        else:
            sheet.paste(tile, (x, y))
        label = f"{i + 1}. {shot.id}  {shot.duration:g} s  {shot.role.value}"
        draw.text((x, y + height + 3), label, fill=(235, 235, 235), font=font)
    return sheet


def write_contact_sheet(
    project_path: Path | str,
    *,
    out: Path | None = None,
    columns: int = 4,
    workdir: Path | str | None = None,
) -> Path:
    """Write the contact sheet PNG (default: the workspace's out/contact-sheet.png)."""
    data = gather(project_path, workdir=workdir, route=False)
    path = out or data.workspace.out / "contact-sheet.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    contact_sheet(data, columns=columns).save(tmp, format="PNG")
    os.replace(tmp, path)
    return path
