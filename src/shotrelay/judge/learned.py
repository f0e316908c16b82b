"""Learned scorers (the ``judge-models`` extra): text-frame alignment with a CLIP-family
model and an aesthetic score from a head on its image embeddings, run with ONNX Runtime.

The user points ``SHOTRELAY_CLIP_MODEL`` at a folder holding a CLIP export in the layout
of the common Hugging Face ONNX exports (e.g. Xenova/clip-vit-base-patch32): the vision
and text towers (``vision_model.onnx``, ``text_model.onnx``, in the folder or its
``onnx/``), ``tokenizer.json`` and, optionally, ``preprocessor_config.json``. An aesthetic
head (e.g. the LAION aesthetic predictor exported to ONNX: image embedding -> 1..10) is
``SHOTRELAY_AESTHETIC_MODEL``. Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from shotrelay.errors import SpecError
from shotrelay.judge.checks import Check

__all__ = [
    "AESTHETIC_ENV",
    "AESTHETIC_LIMIT",
    "ALIGN_LIMIT",
    "CLIP_ENV",
    "LearnedScorers",
    "clip_files",
]

CLIP_ENV = "SHOTRELAY_CLIP_MODEL"
AESTHETIC_ENV = "SHOTRELAY_AESTHETIC_MODEL"
#: Cosine similarity of prompt and frames below which the take fails to show the prompt
#: (CLIP ViT-B/32 gives about 0.3 for a fitting caption, 0.15 for an unrelated one).
ALIGN_LIMIT = 0.2
#: CLIPScore's rescaling (Hessel et al. 2021): score = min(1, 2.5 * max(cosine, 0)).
CLIPSCORE_W = 2.5
#: The aesthetic head's scale is 1..10 (LAION); below this a frame looks poor.
AESTHETIC_LIMIT = 5.0
#: CLIP's own preprocessing, used when the folder has no preprocessor_config.json.
_MEAN = (0.48145466, 0.4578275, 0.40821073)
_STD = (0.26862954, 0.26130258, 0.27577711)
_SIZE = 224
#: The text tower's context (CLIP: 77 tokens).
_MAX_TOKENS = 77
_INSTALL = "install the extra: pip install 'shotrelay[judge-models]'"

Frame = NDArray[np.uint8]


def clip_files(folder: Path) -> dict[str, Path]:
    """The export's files (``vision``, ``text``, ``tokenizer``, maybe ``preprocessor``)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise SpecError(
            f"CLIP model folder {folder} does not exist",
            field=CLIP_ENV,
            fix="point it at a folder with vision_model.onnx, text_model.onnx, tokenizer.json",
        )
    found: dict[str, Path] = {}
    for key, name in (("vision", "vision_model.onnx"), ("text", "text_model.onnx")):
        path = next((p for p in (folder / name, folder / "onnx" / name) if p.is_file()), None)
        if path is None:
            raise SpecError(
                f"no {name} in {folder} or {folder / 'onnx'}",
                file=str(folder),
                field=CLIP_ENV,
                fix="export both towers to ONNX (the layout of Xenova/clip-vit-base-patch32)",
            )
        found[key] = path
    if not (folder / "tokenizer.json").is_file():
        raise SpecError(
            f"no tokenizer.json in {folder}",
            file=str(folder),
            field=CLIP_ENV,
            fix="copy the model's tokenizer.json next to its ONNX files",
        )
    found["tokenizer"] = folder / "tokenizer.json"
    if (folder / "preprocessor_config.json").is_file():
        found["preprocessor"] = folder / "preprocessor_config.json"
    return found


class LearnedScorers:
    """A CLIP export (and optionally an aesthetic head) loaded once, scoring takes' frames."""

    def __init__(self, clip: Path, aesthetic: Path | None = None, *, threads: int = 2) -> None:
        ort, tokenizers = _runtime()
        files = clip_files(clip)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.vision = _session(ort, files["vision"], options)
        self.text = _session(ort, files["text"], options)
        self.tokenizer = tokenizers.Tokenizer.from_file(str(files["tokenizer"]))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(_MAX_TOKENS)
        prep = _preprocessor(files.get("preprocessor"))
        self.size, self.crop = prep["size"], prep["crop"]
        self.mean = np.array(prep["mean"], np.float32).reshape(3, 1, 1)
        self.std = np.array(prep["std"], np.float32).reshape(3, 1, 1)
        self.aesthetic = _session(ort, aesthetic, options) if aesthetic is not None else None
        self._texts: dict[str, NDArray[np.float32]] = {}

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LearnedScorers | None:
        """The scorers the environment names (``SHOTRELAY_CLIP_MODEL``, and
        ``SHOTRELAY_AESTHETIC_MODEL``), or None when no CLIP model is set."""
        env = os.environ if env is None else env
        folder = env.get(CLIP_ENV, "").strip()
        head = env.get(AESTHETIC_ENV, "").strip()
        if not folder:
            if head:
                raise SpecError(
                    f"{AESTHETIC_ENV} is set but {CLIP_ENV} is not",
                    field=CLIP_ENV,
                    fix="the aesthetic head reads CLIP image embeddings: set both",
                )
            return None
        path = Path(head).expanduser() if head else None
        if path is not None and not path.is_file():
            raise SpecError(
                f"aesthetic model {path} does not exist",
                field=AESTHETIC_ENV,
                fix="point it at an ONNX file (image embedding -> score 1..10)",
            )
        return cls(Path(folder), path)

    def pixels(self, frames: Sequence[Frame]) -> NDArray[np.float32]:
        """CLIP's preprocessing: shortest side to ``size`` (bicubic), centre crop, 0..1,
        normalised by the mean and std, channels first: (n, 3, crop, crop)."""
        out = []
        for f in frames:
            h, w = f.shape[:2]
            scale = self.size / min(h, w)
            nw, nh = max(self.crop, round(w * scale)), max(self.crop, round(h * scale))
            big = cv2.resize(f, (nw, nh), interpolation=cv2.INTER_CUBIC)
            top, left = (nh - self.crop) // 2, (nw - self.crop) // 2
            crop = big[top : top + self.crop, left : left + self.crop].astype(np.float32) / 255
            out.append((crop.transpose(2, 0, 1) - self.mean) / self.std)
        return np.stack(out).astype(np.float32)

    def image_embeddings(self, frames: Sequence[Frame]) -> NDArray[np.float32]:
        """Unit-length image embeddings, one row per frame."""
        name = self.vision.get_inputs()[0].name
        return _unit(_embeds(self.vision, {name: self.pixels(frames)}, "image_embeds"))

    def text_embedding(self, text: str) -> NDArray[np.float32]:
        """The unit-length embedding of ``text`` (cached per text)."""
        if text not in self._texts:
            enc = self.tokenizer.encode(text)
            ids = np.array([enc.ids], np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.array([enc.attention_mask], np.int64)}
            wanted = {i.name for i in self.text.get_inputs()}
            if "input_ids" not in wanted:
                raise SpecError(
                    "the text model has no input_ids input",
                    field=CLIP_ENV,
                    fix="export the CLIP text tower with input_ids (and attention_mask)",
                )
            got = {k: v for k, v in feeds.items() if k in wanted}
            self._texts[text] = _unit(_embeds(self.text, got, "text_embeds"))[0]
        return self._texts[text]

    def checks(self, frames: Sequence[Frame], prompt: str) -> list[Check]:
        """``clip_alignment`` (when there is a prompt) and ``aesthetic`` (with a head)."""
        images = self.image_embeddings(frames)
        out = []
        if prompt.strip():
            if images.shape[1] != (text := self.text_embedding(prompt)).shape[0]:
                raise SpecError(
                    f"image embeddings have {images.shape[1]} values, text {text.shape[0]}",
                    field=CLIP_ENV,
                    fix="both towers must come from the same CLIP export",
                )
            cos = float((images @ text).mean())
            ok = cos >= ALIGN_LIMIT
            out.append(
                Check(
                    name="clip_alignment",
                    value=round(cos, 4),
                    threshold=ALIGN_LIMIT,
                    passed=ok,
                    score=min(1.0, CLIPSCORE_W * max(cos, 0.0)),
                    reason=f"the frames match the shot's text at cosine {cos:.2f}"
                    + ("" if ok else f", under {ALIGN_LIMIT}: the take may not show it"),
                )
            )
        if self.aesthetic is not None:
            out.append(self._aesthetic(images))
        return out

    def _aesthetic(self, images: NDArray[np.float32]) -> Check:
        assert self.aesthetic is not None
        head = self.aesthetic.get_inputs()[0]
        width = head.shape[-1] if head.shape else None
        if isinstance(width, int) and width != images.shape[1]:
            raise SpecError(
                f"the aesthetic model reads {width} values, CLIP gives {images.shape[1]}",
                field=AESTHETIC_ENV,
                fix="use the aesthetic head trained on this CLIP model's embeddings",
            )
        rows = self.aesthetic.run(None, {head.name: images})[0]
        value = float(np.asarray(rows, np.float32).reshape(-1).mean())
        ok = value >= AESTHETIC_LIMIT
        return Check(
            name="aesthetic",
            value=round(value, 3),
            threshold=AESTHETIC_LIMIT,
            passed=ok,
            score=min(1.0, max(0.0, (value - 1) / 9)),
            reason=f"the aesthetic model rates the frames {value:.1f} of 10"
            + ("" if ok else f", under {AESTHETIC_LIMIT:.0f}"),
        )


def _runtime() -> tuple[Any, Any]:
    try:
        import onnxruntime
        import tokenizers
    except ImportError as exc:
        raise SpecError(
            f"learned scorers need onnxruntime and tokenizers ({exc.name} is missing)",
            field=CLIP_ENV,
            fix=_INSTALL,
        ) from None
    return onnxruntime, tokenizers


def _session(ort: Any, path: Path, options: Any) -> Any:
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise SpecError(
            f"cannot load {path}: {str(exc).splitlines()[0]}",
            file=str(path),
            fix="export the model to ONNX again (opset 14 or later)",
        ) from None


def _embeds(session: Any, feeds: dict[str, NDArray[Any]], name: str) -> NDArray[np.float32]:
    names = [o.name for o in session.get_outputs()]
    pick = name if name in names else names[0]
    out = np.asarray(session.run([pick], feeds)[0], np.float32)
    if out.ndim != 2:
        raise SpecError(
            f"the model's output {pick} has shape {out.shape}, not (batch, width)",
            field=CLIP_ENV,
            fix=f"export the tower with its projection (an output named {name})",
        )
    return out


def _unit(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(rows / np.maximum(norms, 1e-12), np.float32)


def _preprocessor(path: Path | None) -> dict[str, Any]:
    cfg: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path else {}

    def side(value: Any, default: int) -> int:
        if isinstance(value, dict):
            value = value.get("shortest_edge") or value.get("height") or default
        return int(value) if value else default

    return {
        "size": side(cfg.get("size"), _SIZE),
        "crop": side(cfg.get("crop_size"), side(cfg.get("size"), _SIZE)),
        "mean": tuple(cfg.get("image_mean", _MEAN)),
        "std": tuple(cfg.get("image_std", _STD)),
    }
