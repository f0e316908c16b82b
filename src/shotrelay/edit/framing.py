"""Where a narrower crop of the master should sit, shot by shot: over the most salient part of
the picture (spectral-residual saliency, Hou and Zhang 2007), held for the whole shot so the
frame never drifts inside a shot and moves only on a cut."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.media.frames import iter_frames
from shotrelay.media.info import probe

__all__ = ["crop_x_expression", "subject_lefts"]

#: Frames looked at per shot (evenly spread), and the width they are looked at.
_SAMPLES = 5
_WIDTH = 128


def subject_lefts(master: Path, spans: Sequence[tuple[float, float]], window: float) -> list[float]:
    """For each (start, end) span in seconds, the left edge of a crop ``window`` wide (a
    fraction of the frame width) that holds the most saliency, as a fraction of the width."""
    fps = probe(master).fps or 24.0
    wanted: dict[int, int] = {}
    for n, (start, end) in enumerate(spans):
        first, last = round(start * fps), max(round(start * fps), round(end * fps) - 1)
        for k in range(_SAMPLES):
            wanted[round(first + (last - first) * (k + 0.5) / _SAMPLES)] = n
    profiles: list[list[NDArray[np.float64]]] = [[] for _ in spans]
    for index, frame in enumerate(iter_frames(master)):
        if index in wanted:
            profiles[wanted[index]].append(_column_saliency(frame))
    lefts = []
    for found in profiles:
        if not found:
            lefts.append((1 - window) / 2)
            continue
        lefts.append(_best_left(np.mean(found, axis=0), window))
    return lefts


def crop_x_expression(spans: Sequence[tuple[float, float]], lefts: Sequence[float]) -> str:
    """An ffmpeg ``crop`` x expression: each span's left edge (fraction of ``iw``) from its
    start on, as nested ifs over the time ``t``."""
    expr = f"{lefts[-1]:.4f}*iw"
    for (_, end), left in zip(reversed(spans[:-1]), reversed(lefts[:-1]), strict=True):
        expr = f"if(lt(t,{end:.4f}),{left:.4f}*iw,{expr})"
    return expr


def _column_saliency(frame: NDArray[np.uint8]) -> NDArray[np.float64]:
    """Saliency of each column of a frame, summed over its rows, at ``_WIDTH`` columns."""
    h, w = frame.shape[:2]
    small = cv2.resize(frame, (_WIDTH, max(8, round(h * _WIDTH / w))), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float64)
    spectrum = np.fft.fft2(gray)
    log_amp = np.log(np.abs(spectrum) + 1e-9)
    residual = log_amp - cv2.blur(log_amp, (3, 3))
    saliency = np.abs(np.fft.ifft2(np.exp(residual + 1j * np.angle(spectrum)))) ** 2
    saliency = cv2.GaussianBlur(saliency, (9, 9), 2.5)
    total: NDArray[np.float64] = saliency.sum(axis=0)
    return total / (total.sum() or 1.0)


def _best_left(columns: NDArray[np.float64], window: float) -> float:
    """The left edge (fraction) of the ``window``-wide run of columns with the most weight."""
    width = len(columns)
    size = max(1, min(width, round(window * width)))
    sums = np.convolve(columns, np.ones(size), mode="valid")
    best = int(np.argmax(sums))
    return min(max(best / width, 0.0), 1 - window)
