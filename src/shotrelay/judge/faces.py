"""Face continuity: the face in a take against the faces in its characters' reference images.

Faces are found with OpenCV's bundled Haar cascade (no download, CPU only); each face is
cropped, resized to ``CROP`` px square, equalised and lightly blurred, and two faces are as
similar as the Pearson correlation of their inner crops (-1..1). This is a coarse likeness: it
tells another face, look or framing from the reference, not one person from a close double.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.judge.checks import Check
from shotrelay.judge.clip import ClipData

__all__ = [
    "CROP",
    "FACE_LIMIT",
    "check_faces",
    "face_similarity",
    "find_faces",
    "reference_faces",
]

#: Below this correlation the take's face does not read as the reference's.
FACE_LIMIT = 0.8
#: Face crops are compared at this size (px square).
CROP = 64
#: The smallest face looked for, as a share of the image's short side.
_MIN_FACE = 0.12

Box = tuple[int, int, int, int]


@lru_cache(maxsize=1)
def _cascade() -> cv2.CascadeClassifier:
    # opencv-python ships its cascades in cv2/data (the stubs do not declare the module)
    folder: str = cv2.data.haarcascades  # type: ignore[attr-defined]
    path = Path(folder) / "haarcascade_frontalface_default.xml"
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError(f"{path}: cannot load OpenCV's face cascade; reinstall opencv")
    return cascade


def find_faces(grey: NDArray[np.uint8]) -> list[Box]:
    """Faces in a grey image as (x, y, w, h), largest first."""
    side = max(24, int(min(grey.shape[:2]) * _MIN_FACE))
    found = _cascade().detectMultiScale(grey, scaleFactor=1.1, minNeighbors=4, minSize=(side, side))
    boxes = [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]
    return sorted(boxes, key=lambda b: -b[2] * b[3])


def _crop(grey: NDArray[np.uint8], box: Box) -> NDArray[np.float32]:
    x, y, w, h = box
    face = cv2.resize(grey[y : y + h, x : x + w], (CROP, CROP), interpolation=cv2.INTER_AREA)
    face = cv2.GaussianBlur(cv2.equalizeHist(face), (5, 5), 0)
    # The inner face (brows to chin, cheek to cheek): the outline, hair and background
    # look alike from face to face and would swamp the features.
    top, side = CROP // 8, CROP * 5 // 32
    return np.asarray(face[top : CROP - CROP // 16, side : CROP - side], dtype=np.float32)


def face_similarity(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """Pearson correlation of two face crops (-1..1; 1 = the same picture)."""
    da, db = a - a.mean(), b - b.mean()
    norm = float(np.sqrt((da * da).sum() * (db * db).sum()))
    return float((da * db).sum() / norm) if norm else 0.0


def _grey(path: Path) -> NDArray[np.uint8] | None:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    return None if image is None else np.asarray(image, dtype=np.uint8)


def reference_faces(paths: Sequence[Path]) -> list[tuple[Path, NDArray[np.float32]]]:
    """The largest face of each reference image that has one (unreadable images skipped)."""
    out = []
    for path in paths:
        grey = _grey(Path(path))
        boxes = find_faces(grey) if grey is not None else []
        if grey is not None and boxes:
            out.append((Path(path), _crop(grey, boxes[0])))
    return out


def check_faces(clip: ClipData, references: Sequence[Path]) -> Check | None:
    """The largest face of the take's middle frame against every reference face: the best
    match, held to ``FACE_LIMIT``. None when either side shows no face (nothing to compare)."""
    refs = reference_faces(references)
    if not refs:
        return None
    grey = clip.grey[len(clip.grey) // 2]
    boxes = find_faces(grey)
    if not boxes:
        return None
    face = _crop(grey, boxes[0])
    best, path = max((face_similarity(face, crop), p) for p, crop in refs)
    ok = best >= FACE_LIMIT
    return Check(
        name="face",
        value=round(best, 3),
        threshold=FACE_LIMIT,
        passed=ok,
        score=float(np.clip(best, 0.0, 1.0)),
        reason=f"face similarity {best:.2f} to {path.name}"
        + ("" if ok else f", below {FACE_LIMIT}: the face does not match the reference"),
    )
