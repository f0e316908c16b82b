"""Image-to-video by camera move: a still animated by affine warps, encoded with ffmpeg.

The still is padded on every side with a blurred, darkened reflection of itself, so a move
may look past the keyframe's edge without showing black. Every move starts on the keyframe's
exact framing except pull-out (which ends on it) and handheld (3 % inside it, room to sway).
Orbit and tracking move the subject and the background as two layers at different rates
(parallax); the subject layer comes from the previs layout stored in the PNG, or a soft
central ellipse for any other image. Handheld shake is seeded. A previs keyframe's guides and
caption are lifted off before the move and laid back fixed on every frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from shotrelay.media.conform import frame_count
from shotrelay.media.encode import VideoWriter
from shotrelay.providers.local.overlay import draw_overlay, fill_holes
from shotrelay.providers.local.previs import Layout
from shotrelay.spec.vocabulary import CameraMove

__all__ = ["PAD", "View", "animate", "views"]

#: Padding around the still, as a fraction of its size on each side.
PAD = 0.15
_ZOOM = 1.22  # push-in / pull-out magnification
_PAN = 0.12  # pan/tilt travel, fraction of the frame
_TRACK = 0.12  # background travel for tracking and orbit

_Array = NDArray[np.float64]


@dataclass(frozen=True)
class View:
    """A camera window: centre offset (fractions of the frame) and magnification."""

    dx: float = 0.0
    dy: float = 0.0
    zoom: float = 1.0


@dataclass(frozen=True)
class _Frame:
    background: View
    subject: View | None = None  # None: one layer


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def _shake(n: int, seed: int | None) -> tuple[_Array, _Array, _Array]:
    """Smooth seeded wobble: a few sines of random frequency and phase per axis."""
    rng = np.random.default_rng(seed if seed is not None else 0)
    t = np.arange(n, dtype=np.float64)
    out = []
    for amp in (0.012, 0.009, 0.008):
        freqs = rng.uniform(0.02, 0.12, 3)
        phases = rng.uniform(0, 2 * math.pi, 3)
        wave = sum(np.sin(2 * math.pi * f * t + p) for f, p in zip(freqs, phases, strict=True))
        wave = wave - wave[0]  # start on the keyframe
        out.append(amp * wave / 3)
    return out[0], out[1], out[2]


def views(move: CameraMove, n: int, *, seed: int | None = None, direction: int = 1) -> list[_Frame]:
    """The camera window for each of ``n`` frames of a move.

    ``direction`` (+1/-1) is the subject's travel for tracking (+1: to the right).
    """
    frames: list[_Frame] = []
    shake = _shake(n, seed) if move == CameraMove.HANDHELD else None
    for i in range(n):
        t = _ease(i / (n - 1)) if n > 1 else 0.0
        match move:
            case CameraMove.PUSH_IN:
                frames.append(_Frame(View(zoom=1 + (_ZOOM - 1) * t)))
            case CameraMove.PULL_OUT:
                frames.append(_Frame(View(zoom=_ZOOM - (_ZOOM - 1) * t)))
            case CameraMove.PAN_LEFT:
                frames.append(_Frame(View(dx=-_PAN * t)))
            case CameraMove.PAN_RIGHT:
                frames.append(_Frame(View(dx=_PAN * t)))
            case CameraMove.TILT_UP:
                frames.append(_Frame(View(dy=-_PAN * t)))
            case CameraMove.TILT_DOWN:
                frames.append(_Frame(View(dy=_PAN * t)))
            case CameraMove.ORBIT_LEFT | CameraMove.ORBIT_RIGHT:
                # Orbiting left, the far background sweeps left past a held subject, which
                # drifts a little the other way and grows as the camera swings round it.
                s = 1 if move == CameraMove.ORBIT_LEFT else -1
                frames.append(
                    _Frame(
                        View(dx=s * _TRACK * t, zoom=1 + 0.04 * t),
                        View(dx=-s * 0.03 * t, zoom=1 + 0.06 * t),
                    )
                )
            case CameraMove.TRACKING:
                frames.append(_Frame(View(dx=direction * _TRACK * t), View()))
            case CameraMove.HANDHELD:
                assert shake is not None
                # Sway and breathing of the frame; no roll (rotation would cost a full warp).
                sx, sy, breath = shake
                frames.append(
                    _Frame(View(dx=float(sx[i]), dy=float(sy[i]), zoom=1.03 + float(breath[i])))
                )
            case _:
                frames.append(_Frame(View()))
    return frames


class _Stage:
    """The padded canvas (and for two-layer moves, the subject layer) of one still."""

    def __init__(self, still: Image.Image, width: int, height: int, layout: Layout | None):
        self.w, self.h = width, height
        base = ImageOps.fit(still.convert("RGB"), (width, height), Image.Resampling.LANCZOS)
        self.px, self.py = round(width * PAD), round(height * PAD)
        arr = np.asarray(base)
        self.overlay: tuple[NDArray[np.bool_], NDArray[np.uint8]] | None = None
        if layout is not None:  # a previs frame: lift the guides and caption off the scene
            layer = np.asarray(draw_overlay(width, height, layout.caption))
            mask = layer[..., 3] > 0
            self.overlay = (mask, layer[..., :3])
            arr = fill_holes(arr, mask)
            base = Image.fromarray(arr)
        padded = np.pad(arr, ((self.py, self.py), (self.px, self.px), (0, 0)), mode="reflect")
        soft = Image.fromarray(padded).filter(ImageFilter.GaussianBlur(max(2, width // 80)))
        soft = Image.fromarray((np.asarray(soft) * 0.8).astype(np.uint8))
        soft.paste(base, (self.px, self.py))
        self.canvas = soft
        self.layout = layout
        self._mask: Image.Image | None = None
        self._background: Image.Image | None = None
        self._arrays: dict[int, tuple[Image.Image, NDArray[np.uint8]]] = {}

    def subject_layers(self) -> tuple[Image.Image, Image.Image]:
        """(background with the subject smeared out, subject mask) on the padded canvas."""
        if self._mask is None or self._background is None:
            mask = Image.new("L", self.canvas.size, 0)
            draw = ImageDraw.Draw(mask)
            for x0, y0, x1, y1 in self._subject_boxes():
                draw.ellipse([x0, y0, x1, y1], fill=255)
            self._mask = mask.filter(ImageFilter.GaussianBlur(max(1, self.w // 150)))
            hole = np.asarray(mask.filter(ImageFilter.MaxFilter(9))) > 0
            # The background layer must not carry the subject: fill its place from the sides.
            self._background = Image.fromarray(fill_holes(np.asarray(self.canvas), hole))
        return self._background, self._mask

    def _subject_boxes(self) -> list[tuple[float, float, float, float]]:
        w, h, px, py = self.w, self.h, self.px, self.py
        if self.layout is None or not self.layout.subjects:
            return [(px + 0.25 * w, py + 0.1 * h, px + 0.75 * w, py + 1.1 * h)]
        boxes = []
        for b in self.layout.subjects:  # a margin so the feathered edge clears the silhouette
            mx, my = (b.x1 - b.x0) * 0.08, (b.y1 - b.y0) * 0.05
            x0, y0 = px + (b.x0 - mx) * w, py + (b.y0 - my) * h
            boxes.append((x0, y0, px + (b.x1 + mx) * w, py + min(b.y1 + my, 1.2) * h))
        return boxes

    def look(self, image: Image.Image, view: View) -> NDArray[np.uint8]:
        """What the camera sees of ``image`` (a canvas-sized layer) through ``view``.

        One affine warp with bilinear sampling (OpenCV; a full-HD frame in a few ms, against
        tens of ms for a Pillow crop-resize), output pixel centres mapped onto the window.
        """
        px = self._pixels(image)
        vw, vh = self.w / view.zoom, self.h / view.zoom
        # Keep the window on the canvas (the padding is finite).
        cx = min(max(self.px + self.w / 2 + view.dx * self.w, vw / 2), px.shape[1] - vw / 2)
        cy = min(max(self.py + self.h / 2 + view.dy * self.h, vh / 2), px.shape[0] - vh / 2)
        step = vw / self.w
        x0, y0 = cx - vw / 2 + 0.5 * step - 0.5, cy - vh / 2 + 0.5 * step - 0.5
        warp = np.array([[step, 0.0, x0], [0.0, step, y0]], dtype=np.float64)
        out = cv2.warpAffine(
            px,
            warp,
            (self.w, self.h),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REFLECT,
        )
        return np.asarray(out, dtype=np.uint8)

    def _pixels(self, image: Image.Image) -> NDArray[np.uint8]:
        """The layer's pixels, converted once per layer."""
        found = self._arrays.get(id(image))
        if found is None or found[0] is not image:
            found = (image, np.ascontiguousarray(np.asarray(image)))
            self._arrays[id(image)] = found
        return found[1]

    def render(self, frame: _Frame) -> NDArray[np.uint8]:
        """One output frame, with any previs overlay laid back in screen space."""
        return self.dress(self.scene(frame))

    def scene(self, frame: _Frame) -> NDArray[np.uint8]:
        """What the camera sees through ``frame``, without the overlay."""
        if frame.subject is None:
            return self.look(self.canvas, frame.background)
        background, mask = self.subject_layers()
        back = self.look(background, frame.background)
        front = self.look(self.canvas, frame.subject)
        alpha = self.look(mask, frame.subject).astype(np.float32) / 255.0
        mixed = cv2.blendLinear(front, back, alpha, 1.0 - alpha)
        return np.asarray(mixed, dtype=np.uint8)

    def dress(self, rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
        """``rgb`` with the previs guides and caption laid on (when the still had them)."""
        if self.overlay is not None:
            rgb = rgb.copy()
            where, pixels = self.overlay
            rgb[where] = pixels[where]
        return rgb


@dataclass(frozen=True)
class _Blend:
    """The lead-in of a continued shot: the previous shot's last frame dissolving into this
    shot's own framing over the first ``frames`` frames, this shot's overlay on top."""

    stage: _Stage
    lead: _Stage
    frames: int

    def render(self, i: int, frame: _Frame) -> NDArray[np.uint8]:
        if i >= self.frames:
            return self.stage.render(frame)
        a = _ease(i / self.frames)
        own = self.stage.scene(frame).astype(np.float32)
        was = self.lead.scene(_Frame(View())).astype(np.float32)
        return self.stage.dress((was * (1 - a) + own * a).round().astype(np.uint8))


def _frames(stage: _Stage, plan: list[_Frame]) -> Iterator[NDArray[np.uint8]]:
    """Frames in order; the next one renders on a worker thread while this one encodes."""
    cache: dict[_Frame, Future[NDArray[np.uint8]]] = {}
    with ThreadPoolExecutor(max_workers=1) as pool:

        def start(frame: _Frame) -> Future[NDArray[np.uint8]]:
            if frame not in cache:  # a held view (static) renders once
                cache.clear()
                cache[frame] = pool.submit(stage.render, frame)
            return cache[frame]

        pending = start(plan[0]) if plan else None
        for i in range(len(plan)):
            assert pending is not None
            rgb = pending.result()
            if i + 1 < len(plan):
                pending = start(plan[i + 1])
            yield rgb


def animate(
    still: Image.Image,
    out: Path,
    *,
    move: CameraMove,
    width: int,
    height: int,
    fps: int,
    seconds: float,
    seed: int | None = None,
    layout: Layout | None = None,
    direction: int = 1,
    lead_in: Image.Image | None = None,
    lead_seconds: float = 0.5,
) -> Path:
    """Write ``round(seconds * fps)`` frames of ``move`` over ``still`` as H.264 MP4.

    With ``lead_in`` (a continued shot: the previous shot's last frame, its overlay lifted
    off), the clip starts on that frame and dissolves into ``still``'s framing over
    ``lead_seconds`` (at most a third of the shot), ``still``'s caption on every frame.
    """
    n = frame_count(seconds, fps)
    stage = _Stage(still, width, height, layout)
    plan = views(move, n, seed=seed, direction=direction)
    with VideoWriter(out, width=width, height=height, fps=fps) as writer:
        if lead_in is None:
            for rgb in _frames(stage, plan):
                writer.write(rgb)
        else:
            lead = max(1, min(round(lead_seconds * fps), n // 3))
            blend = _Blend(stage, _Stage(lead_in, width, height, None), lead)
            for i, frame in enumerate(plan):
                writer.write(blend.render(i, frame))
    return Path(out)
