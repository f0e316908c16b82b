"""Screen-space overlays of a previs frame (safe-area guides, caption strip) and hole filling.

The overlay is drawn from data (frame size and caption lines), so the camera animator can
remove it from a keyframe, move the scene, and lay it back fixed on every frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from shotrelay.spec.models import Shot

__all__ = ["caption_lines", "draw_overlay", "fill_holes", "lift_overlay"]

_GUIDE = (235, 235, 235, 255)
_STRIP = (12, 12, 12, 255)
_TEXT = (240, 240, 240, 255)


def caption_lines(shot: Shot) -> list[str]:
    """The caption strip's two lines: id, role, framing, camera, lens; subject and action."""
    head = f"{shot.id or 'shot'} | {shot.role.value} | {shot.framing.value} | "
    head += f"{shot.camera.value} | {shot.lens.value} lens"
    body = " - ".join(t for t in (shot.subject, shot.action) if t) or shot.setting
    return [head, body]


def draw_overlay(width: int, height: int, lines: Sequence[str]) -> Image.Image:
    """An RGBA layer: action-safe (93 %) and title-safe (90 %) guides and the caption strip."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for margin in (0.035, 0.05):  # SMPTE ST 2046-1 safe areas
        _dashed_rect(
            draw, (width * margin, height * margin, width * (1 - margin), height * (1 - margin))
        )
    if lines:
        strip = max(14, round(height * 0.11))
        draw.rectangle([0, height - strip, width, height], fill=_STRIP)
        size = max(6, round(strip * 0.36))
        font = ImageFont.load_default(size=size)
        pad = max(2, width // 100)
        for i, text in enumerate(lines[:2]):
            xy = (pad, height - strip + pad // 2 + i * size)
            draw.text(xy, _fit(text, font, width - 2 * pad), font=font, fill=_TEXT)
    return layer


def lift_overlay(rgb: NDArray[np.uint8]) -> NDArray[np.uint8] | None:
    """A previs-made frame without its guides and caption strip (wherever the caption's
    text fell in it), or None when the frame shows no caption strip (not a previs frame)."""
    h, w = rgb.shape[:2]
    strip = max(14, round(h * 0.11))
    bottom = rgb[h - 1].astype(np.int16)
    if np.abs(bottom - np.array(_STRIP[:3], np.int16)).mean() > 8:
        return None
    mask = np.asarray(draw_overlay(w, h, []))[..., 3] > 0
    mask[h - strip :] = True
    return fill_holes(rgb, mask)


def fill_holes(rgb: NDArray[np.uint8], mask: NDArray[np.bool_]) -> NDArray[np.uint8]:
    """Fill masked pixels from their row: blend of the nearest clear pixels left and right.

    Rows masked end to end take the nearest clear row above (or below).
    """
    h, w = mask.shape
    out = rgb.astype(np.float32)
    idx = np.broadcast_to(np.arange(w), (h, w))
    left = np.maximum.accumulate(np.where(mask, -1, idx), axis=1)
    right = np.minimum.accumulate(np.where(mask, w, idx)[:, ::-1], axis=1)[:, ::-1]
    rows = np.broadcast_to(np.arange(h)[:, None], (h, w))
    has_l, has_r = left >= 0, right < w
    lv = out[rows, np.clip(left, 0, w - 1)]
    rv = out[rows, np.clip(right, 0, w - 1)]
    span = np.maximum(right - left, 1).astype(np.float32)
    t = ((idx - left) / span)[..., None]
    both = lv * (1 - t) + rv * t
    fill = np.where((has_l & has_r)[..., None], both, np.where(has_l[..., None], lv, rv))
    out = np.where(mask[..., None], fill, out)
    full_rows = np.flatnonzero(mask.all(axis=1))
    clear_rows = np.flatnonzero(~mask.all(axis=1))
    if len(full_rows) and len(clear_rows):
        nearest = clear_rows[np.abs(clear_rows[None, :] - full_rows[:, None]).argmin(axis=1)]
        out[full_rows] = out[nearest]
    return np.clip(out, 0, 255).astype(np.uint8)


def _dashed_rect(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = box
    dash = max(4.0, (x1 - x0) / 60)
    for y in (y0, y1):
        for s in np.arange(x0, x1, dash * 2):
            draw.line([(s, y), (min(s + dash, x1), y)], fill=_GUIDE)
    for x in (x0, x1):
        for s in np.arange(y0, y1, dash * 2):
            draw.line([(x, s), (x, min(s + dash, y1))], fill=_GUIDE)


def _fit(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "...") > width:
        text = text[:-1]
    return text + "..."
