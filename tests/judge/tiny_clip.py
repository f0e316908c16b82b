"""A tiny CLIP-shaped ONNX export built in the test (no download): the Xenova layout
(``onnx/vision_model.onnx``, ``onnx/text_model.onnx``, ``tokenizer.json``).

The vision tower averages the normalised pixels per channel and projects them
(``image_embeds`` = mean RGB @ W); the text tower averages its tokens' embedding rows,
weighted by the attention mask (``text_embeds``). Weights are random unless given.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from numpy.typing import NDArray
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, pre_tokenizers

WORDS = ["<|endoftext|>", "<|startoftext|>", "red", "blue", "green", "a", "cup", "sky"]
OPSET = [helper.make_opsetid("", 18)]


def vision_model(path: Path, proj: NDArray[np.float32], size: int = 32) -> Path:
    """pixel_values (n, 3, size, size) -> image_embeds (n, d) = channel means @ proj."""
    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["pixel_values", "axes"], ["m"], keepdims=0),
            helper.make_node("MatMul", ["m", "proj"], ["image_embeds"]),
        ],
        "vision",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["n", 3, size, size])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["n", proj.shape[1]])],
        [numpy_helper.from_array(proj, "proj"), numpy_helper.from_array(np.array([2, 3]), "axes")],
    )
    return _save(graph, path)


def text_model(path: Path, table: NDArray[np.float32]) -> Path:
    """input_ids, attention_mask (n, t) -> text_embeds (n, d): masked mean of table rows."""
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["rows"]),
            helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["maskf", "last"], ["mask3"]),
            helper.make_node("Mul", ["rows", "mask3"], ["kept"]),
            helper.make_node("ReduceSum", ["kept", "one"], ["total"], keepdims=0),
            helper.make_node("ReduceSum", ["mask3", "one"], ["count"], keepdims=0),
            helper.make_node("Div", ["total", "count"], ["text_embeds"]),
        ],
        "text",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["n", "t"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["n", "t"]),
        ],
        [helper.make_tensor_value_info("text_embeds", TensorProto.FLOAT, ["n", table.shape[1]])],
        [
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(np.array([2]), "last"),
            numpy_helper.from_array(np.array([1]), "one"),
        ],
    )
    return _save(graph, path)


def aesthetic_model(path: Path, weights: NDArray[np.float32], bias: float) -> Path:
    """embedding (n, d) -> score (n, 1) = embedding @ weights + bias (a linear head)."""
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["input", "w"], ["lin"]),
            helper.make_node("Add", ["lin", "b"], ["score"]),
        ],
        "aesthetic",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", weights.shape[0]])],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["n", 1])],
        [
            numpy_helper.from_array(weights.reshape(-1, 1), "w"),
            numpy_helper.from_array(np.array([bias], np.float32), "b"),
        ],
    )
    return _save(graph, path)


def tokenizer(path: Path) -> Path:
    """A word-level tokenizer over ``WORDS`` (unknown words -> <|endoftext|>)."""
    vocab = {w: i for i, w in enumerate(WORDS)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<|endoftext|>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.save(str(path))
    return path


def export(
    folder: Path,
    proj: NDArray[np.float32] | None = None,
    table: NDArray[np.float32] | None = None,
    *,
    size: int = 32,
    seed: int = 0,
) -> Path:
    """Write the whole export under ``folder`` (random weights unless given)."""
    rng = np.random.default_rng(seed)
    proj = rng.normal(size=(3, 8)).astype(np.float32) if proj is None else proj
    table = (
        rng.normal(size=(len(WORDS), proj.shape[1])).astype(np.float32) if table is None else table
    )
    (folder / "onnx").mkdir(parents=True, exist_ok=True)
    vision_model(folder / "onnx" / "vision_model.onnx", proj, size)
    text_model(folder / "onnx" / "text_model.onnx", table)
    tokenizer(folder / "tokenizer.json")
    config = {"size": {"shortest_edge": size}, "crop_size": {"height": size, "width": size}}
    config |= {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25]}
    (folder / "preprocessor_config.json").write_text(json.dumps(config))
    return folder


def _save(graph: onnx.GraphProto, path: Path) -> Path:
    model = helper.make_model(graph, opset_imports=OPSET)
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path
