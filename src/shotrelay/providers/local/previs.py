"""Previs keyframes: the blocking of a shot drawn from its spec with Pillow.

Draws the set and horizon (by framing and lens), subject proxies sized by shot size (tiny in
an extreme wide, filling the frame in an extreme close-up), one distinct proxy per character,
the style bible's palette, a light ramp from the shot's lighting words, title- and action-safe
guides and a caption strip. The layout is stored in the PNG so the camera animator can move
subjects and background as separate layers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo
from pydantic import BaseModel, ConfigDict

from shotrelay.providers.local.overlay import caption_lines, draw_overlay
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Framing, Lens, Role

__all__ = [
    "DEFAULT_PALETTE",
    "LAYOUT_KEY",
    "Layout",
    "SubjectBox",
    "layout_for",
    "read_layout",
    "render_previs",
    "save_previs",
]

#: PNG text key holding the layout as JSON.
LAYOUT_KEY = "shotrelay.layout"
DEFAULT_PALETTE = ["#27384a", "#5b6b5a", "#e3b23c", "#c8553d", "#7fb7be", "#f2e8cf"]

# Figure height as a fraction of frame height, and where its feet (wide) or head top (close)
# sit: shot size is how much of a person the frame holds.
_FIGURE = {
    Framing.EXTREME_WIDE: (0.09, "feet", 0.64),
    Framing.WIDE: (0.34, "feet", 0.80),
    Framing.FULL: (0.80, "feet", 0.90),
    Framing.MEDIUM: (1.75, "top", 0.10),
    Framing.MEDIUM_CLOSE: (2.6, "top", 0.09),
    Framing.CLOSE_UP: (4.4, "top", 0.06),
    Framing.EXTREME_CLOSE_UP: (9.0, "top", -0.30),
}
# Product proxies: object height as a fraction of frame height.
_OBJECT = {
    Framing.EXTREME_WIDE: 0.05,
    Framing.WIDE: 0.12,
    Framing.FULL: 0.25,
    Framing.MEDIUM: 0.38,
    Framing.MEDIUM_CLOSE: 0.5,
    Framing.CLOSE_UP: 0.66,
    Framing.EXTREME_CLOSE_UP: 1.05,
}
# Lens: number of floor lines and how far they fan out; set-piece scale (telephoto magnifies).
_LENS = {
    Lens.ULTRA_WIDE: (14, 3.0, 0.6),
    Lens.WIDE: (11, 2.2, 0.8),
    Lens.NORMAL: (9, 1.5, 1.0),
    Lens.PORTRAIT: (7, 1.1, 1.3),
    Lens.TELEPHOTO: (5, 0.6, 1.8),
    Lens.MACRO: (4, 0.4, 2.2),
}
_LOW_KEY = ("low-key", "low key", "night", "dark", "moody", "noir", "silhouette")
_HIGH_KEY = ("high-key", "high key", "bright", "daylight", "sunny")


class SubjectBox(BaseModel):
    """One subject proxy, in fractions of the frame (may extend past 0..1)."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str  # "person" or "object"
    x0: float
    y0: float
    x1: float
    y1: float
    color: str


class Layout(BaseModel):
    """Where the previs put things: horizon line and subjects (fractions of the frame)."""

    model_config = ConfigDict(frozen=True)

    horizon: float
    subjects: list[SubjectBox]
    caption: list[str] = []


def layout_for(shot: Shot, palette: Sequence[str] = ()) -> Layout:
    """Horizon and subject boxes for a shot, from framing, role and characters."""
    colors = _palette(palette)
    people = list(shot.characters)
    is_object = not people and shot.role in (Role.PRODUCT, Role.INSERT)
    if not people and not is_object:
        people = [shot.subject.split(",")[0][:24] or "subject"]
    subject_colors = colors[2:] or colors
    xs = _positions(len(people) if not is_object else 1, shot.role)
    boxes: list[SubjectBox] = []
    if is_object:
        size = _OBJECT[shot.framing]
        cy = 0.55 if size < 0.9 else 0.5
        boxes.append(
            SubjectBox(
                name=shot.subject[:24] or "product",
                kind="object",
                x0=0.5 - size * 0.45,
                y0=cy - size / 2,
                x1=0.5 + size * 0.45,
                y1=cy + size / 2,
                color=subject_colors[0],
            )
        )
        horizon = 0.5 if size < 0.6 else 0.62
        return Layout(horizon=horizon, subjects=boxes, caption=caption_lines(shot))
    height, anchor, at = _FIGURE[shot.framing]
    top = at - height if anchor == "feet" else at
    for i, (name, cx) in enumerate(zip(people, xs, strict=True)):
        half_w = height * 0.16
        boxes.append(
            SubjectBox(
                name=name,
                kind="person",
                x0=cx - half_w,
                y0=top,
                x1=cx + half_w,
                y1=top + height,
                color=subject_colors[i % len(subject_colors)],
            )
        )
    # The camera stands at shoulder height, so the horizon crosses the figures there.
    horizon = min(0.75, max(0.12, top + 0.2 * height))
    return Layout(horizon=horizon, subjects=boxes, caption=caption_lines(shot))


def render_previs(
    shot: Shot,
    *,
    width: int,
    height: int,
    palette: Sequence[str] = (),
    seed: int | None = None,
    references: Sequence[Path] = (),
) -> tuple[Image.Image, Layout]:
    """Draw the shot's blocking at width x height; returns the image and its layout."""
    colors = _palette(palette)
    layout = layout_for(shot, colors)
    img = Image.new("RGB", (width, height), colors[0])
    draw = ImageDraw.Draw(img)
    horizon_px = round(layout.horizon * height)
    ground = colors[1] if len(colors) > 1 else _mix(colors[0], "#000000", 0.4)
    draw.rectangle([0, horizon_px, width, height], fill=ground)
    _draw_set(draw, shot, width, height, horizon_px, colors, seed)
    backlit = _backlit(shot.lighting)
    for box in reversed(layout.subjects):  # the first character stands in front
        fill = _mix(box.color, "#000000", 0.55) if backlit else box.color
        _draw_subject(draw, box, width, height, fill=fill)
    img = _light(img, shot.lighting)
    draw = ImageDraw.Draw(img)
    if backlit:  # a bright rim traces each silhouette against the light
        for box in reversed(layout.subjects):
            _draw_subject(draw, box, width, height, fill=None, outline="#fff1c9")
    _label(draw, layout, width, height)
    _draw_references(img, references)
    overlay = draw_overlay(width, height, layout.caption)
    img = Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")
    return img, layout


def save_previs(img: Image.Image, layout: Layout, out: Path) -> Path:
    """Save as PNG with the layout embedded as text."""
    info = PngInfo()
    info.add_text(LAYOUT_KEY, layout.model_dump_json())
    img.save(out, format="PNG", pnginfo=info)
    return Path(out)


def read_layout(png: Path) -> Layout | None:
    """The layout stored in a previs PNG, or None for any other image."""
    with Image.open(png) as img:
        text = getattr(img, "text", {}).get(LAYOUT_KEY)
    return Layout.model_validate(json.loads(text)) if text else None


def _palette(palette: Sequence[str]) -> list[str]:
    colors = list(palette) or DEFAULT_PALETTE
    return colors if len(colors) >= 3 else [*colors, *DEFAULT_PALETTE[len(colors) : 3]]


def _positions(n: int, role: Role) -> list[float]:
    if n == 1:
        return [1 / 3 if role == Role.DIALOGUE else 0.5]
    if n == 2:
        return [1 / 3, 2 / 3]
    return [float(x) for x in np.linspace(0.2, 0.8, n)]


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _mix(a: str, b: str, t: float) -> str:
    ca, cb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def _draw_set(
    draw: ImageDraw.ImageDraw,
    shot: Shot,
    w: int,
    h: int,
    horizon: int,
    colors: Sequence[str],
    seed: int | None,
) -> None:
    lines, fan, scale = _LENS[shot.lens]
    line_color = _mix(colors[1] if len(colors) > 1 else colors[0], "#000000", 0.25)
    vx = w / 2
    for i in range(lines):  # floor lines converging on the vanishing point
        t = (i + 0.5) / lines - 0.5
        draw.line([(vx, horizon), (vx + t * w * fan, h)], fill=line_color, width=max(1, w // 400))
    digest = hashlib.sha256(f"{shot.setting}|{shot.id}|{seed}".encode()).digest()
    piece = _mix(colors[0], colors[1] if len(colors) > 1 else "#000000", 0.5)
    edge = _mix(piece, "#000000", 0.3)
    x = -w * 0.05
    for k in range(8):  # set pieces standing on the horizon, sized by lens
        bw = w * (0.08 + digest[k] / 255 * 0.14) * scale
        bh = h * (0.08 + digest[k + 8] / 255 * 0.25) * scale
        draw.rectangle([x, horizon - bh, x + bw, horizon], fill=piece, outline=edge)
        x += bw + w * (0.02 + digest[k + 16] / 255 * 0.1)
        if x > w:
            break
    draw.line([(0, horizon), (w, horizon)], fill=edge, width=max(1, h // 200))


def _backlit(lighting: str) -> bool:
    words = lighting.lower()
    return any(k in words for k in ("back", "rim", "silhouette"))


def _draw_subject(
    draw: ImageDraw.ImageDraw,
    box: SubjectBox,
    w: int,
    h: int,
    *,
    fill: str | None,
    outline: str | None = None,
) -> None:
    x0, y0, x1, y1 = box.x0 * w, box.y0 * h, box.x1 * w, box.y1 * h
    line = outline or _mix(box.color, "#000000", 0.45)
    width = max(1, w // 240) if outline else 1
    if box.kind == "object":
        draw.rounded_rectangle(
            [x0, y0, x1, y1], radius=(x1 - x0) * 0.12, fill=fill, outline=line, width=width
        )
        return
    fig_h, cx = y1 - y0, (x0 + x1) / 2
    r = fig_h * 0.065
    shoulder = fig_h * 0.13
    leg = fig_h * 0.05
    draw.ellipse([cx - r, y0, cx + r, y0 + 2 * r], fill=fill, outline=line, width=width)
    if fill is not None:
        draw.rectangle([cx - r * 0.4, y0 + 1.8 * r, cx + r * 0.4, y0 + 2.5 * r], fill=fill)
    draw.rounded_rectangle(
        [cx - shoulder, y0 + 2.3 * r, cx + shoulder, y0 + fig_h * 0.55],
        radius=shoulder * 0.4,
        fill=fill,
        outline=line,
        width=width,
    )
    for side in (-1, 1):
        lx = cx + side * shoulder * 0.45
        draw.rectangle(
            [lx - leg, y0 + fig_h * 0.53, lx + leg, y1],
            fill=fill,
            outline=line if fill is None else None,
            width=width,
        )


def _light(img: Image.Image, lighting: str) -> Image.Image:
    words = lighting.lower()
    if not words.strip():
        return img
    h, w = img.height, img.width
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = np.ones((h, w), np.float32)
    if "left" in words:
        ramp = 1.15 - 0.5 * xs / max(w - 1, 1)
    elif "right" in words:
        ramp = 0.65 + 0.5 * xs / max(w - 1, 1)
    elif "top" in words or "overhead" in words:
        ramp = 1.15 - 0.5 * ys / max(h - 1, 1)
    if any(k in words for k in _LOW_KEY):
        ramp = ramp * 0.55
    elif any(k in words for k in _HIGH_KEY):
        ramp = ramp * 1.15
    arr = np.asarray(img, np.float32) * ramp[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _label(draw: ImageDraw.ImageDraw, layout: Layout, w: int, h: int) -> None:
    """Name each person proxy on its chest, when it is big enough to read."""
    font = ImageFont.load_default(size=max(8, h // 28))
    for box in layout.subjects:
        fig_h = (box.y1 - box.y0) * h
        chest = box.y0 * h + fig_h * 0.3
        if box.kind != "person" or fig_h < h * 0.3 or not 0 < chest < h * 0.85:
            continue
        draw.text(
            ((box.x0 + box.x1) / 2 * w, chest),
            box.name[:16],
            font=font,
            fill=_mix(box.color, "#ffffff", 0.7),
            anchor="mm",
        )


def _draw_references(img: Image.Image, references: Sequence[Path]) -> None:
    size = max(8, img.height // 5)
    for i, ref in enumerate(references[:3]):
        with Image.open(ref) as src:
            thumb = src.convert("RGB")
            thumb.thumbnail((size, size))
        x = img.width - round(img.width * 0.05) - (i + 1) * (size + 4)
        img.paste(thumb, (x, round(img.height * 0.05)))
