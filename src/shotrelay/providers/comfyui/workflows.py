"""ComfyUI workflows as data: an API-format workflow JSON and, beside it, its bindings
(``<name>.bindings.yaml``) from our job's fields to node inputs, named by node title.

The shipped workflows live in this package's ``workflows/`` folder; a user adds their own in
folders named by ``SHOTRELAY_COMFYUI_WORKFLOWS`` (separated like ``PATH``), where a workflow of
the same name replaces the shipped one. Bindings are checked when a workflow is loaded: a
missing node title or input is an error naming the file, the binding and the fix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shotrelay.errors import CatalogError, SpecError
from shotrelay.spec.loader import load_yaml

__all__ = [
    "FIELDS",
    "SHIPPED",
    "WORKFLOWS_ENV",
    "Binding",
    "Frames",
    "Workflow",
    "WorkflowError",
    "find_workflow",
    "load_workflow",
    "load_workflows",
    "workflow_dirs",
]

WORKFLOWS_ENV = "SHOTRELAY_COMFYUI_WORKFLOWS"
SHIPPED = Path(__file__).parent / "workflows"
#: The job fields a binding may name.
FIELDS = (
    "prompt", "negative_prompt", "seed", "first_frame", "last_frame",
    "width", "height", "length", "fps",
)  # fmt: skip
IMAGE_FIELDS = ("first_frame", "last_frame")


class WorkflowError(CatalogError):
    """A ComfyUI workflow or its bindings file is invalid (the message names file and fix)."""


class Binding(BaseModel):
    """One node input a job field is written to: the node's title and the input's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    node: str = Field(min_length=1, description="The node's title (_meta.title in API format).")
    input: str = Field(min_length=1, description="The input's name in that node.")


class Frames(BaseModel):
    """How a clip length becomes a frame count the model accepts: ``step * k + 1``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: int = Field(1, ge=1)

    def count(self, seconds: float, fps: float) -> int:
        """The nearest accepted frame count covering ``seconds`` at ``fps`` (at least one step)."""
        wanted = max(1.0, seconds * fps)
        if self.step == 1:
            return round(wanted)
        k = max(1, round((wanted - 1) / self.step))
        return self.step * k + 1


class _BindingsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    output: str | None = None
    frames: Frames = Field(default_factory=Frames)
    size_multiple: int = Field(8, ge=1)
    bind: dict[str, Binding | list[Binding]]


class Workflow(BaseModel):
    """A loaded, validated workflow: its graph, bindings resolved to node ids, and its output."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    graph: dict[str, Any]
    bindings: dict[str, list[tuple[str, str]]] = Field(
        description="job field -> (node id, input name) pairs"
    )
    output_node: str | None = Field(None, description="Node id whose files are the result.")
    frames: Frames = Field(default_factory=Frames)
    size_multiple: int = 8

    @property
    def classes(self) -> set[str]:
        """The node classes this workflow needs on the server."""
        return {str(node["class_type"]) for node in self.graph.values()}

    def binds(self, field: str) -> bool:
        """Whether the job field ``field`` is written into the graph."""
        return field in self.bindings


def workflow_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where workflows are read from: the shipped folder, then the user's folders."""
    value = (os.environ if env is None else env).get(WORKFLOWS_ENV, "")
    return [SHIPPED, *(Path(p).expanduser() for p in value.split(os.pathsep) if p.strip())]


def load_workflows(dirs: Sequence[Path] | None = None) -> dict[str, Workflow]:
    """Every workflow with its bindings, by name; later folders replace earlier names."""
    found: dict[str, Workflow] = {}
    for folder in workflow_dirs() if dirs is None else dirs:
        if not folder.is_dir():
            raise WorkflowError(
                f"{WORKFLOWS_ENV}: {folder} is not a folder; fix the path or unset the variable"
            )
        for path in sorted(folder.glob("*.json")):
            found[path.stem] = load_workflow(path)
    return found


def find_workflow(name: str, dirs: Sequence[Path] | None = None) -> Workflow:
    """The workflow called ``name`` (a user's folder first, then the shipped one)."""
    folders = workflow_dirs() if dirs is None else list(dirs)
    for folder in reversed(folders):
        path = folder / f"{name}.json"
        if path.is_file():
            return load_workflow(path)
    raise WorkflowError(
        f"no ComfyUI workflow named {name!r} in {', '.join(str(f) for f in folders)}; add "
        f"{name}.json (API format) and {name}.bindings.yaml to a folder in {WORKFLOWS_ENV}, "
        "or fix the catalog row's api_model"
    )


def load_workflow(path: Path) -> Workflow:
    """One workflow and its ``<stem>.bindings.yaml``, validated against each other."""
    bindings_path = path.with_name(f"{path.stem}.bindings.yaml")
    graph = _read_graph(path)
    if not bindings_path.is_file():
        raise WorkflowError(
            f"{path}: no bindings file; write {bindings_path.name} beside it "
            "(see docs/comfyui.md) saying which node inputs take the prompt, seed and size"
        )
    spec = _read_bindings(bindings_path)
    titles = _titles(graph, path)
    bindings: dict[str, list[tuple[str, str]]] = {}
    for field, value in spec.bind.items():
        where = f"{bindings_path}: bind.{field}"
        if field not in FIELDS:
            raise WorkflowError(f"{where}: unknown job field; use one of {', '.join(FIELDS)}")
        targets = value if isinstance(value, list) else [value]
        if not targets:
            raise WorkflowError(f"{where}: empty list; name at least one node input")
        bindings[field] = [_resolve(b, titles, graph, where, path) for b in targets]
    output = None
    if spec.output is not None:
        if spec.output not in titles:
            raise WorkflowError(
                f"{bindings_path}: output: no node titled {spec.output!r} in {path.name}; "
                f"use one of {_listed(titles)}"
            )
        output = titles[spec.output]
    return Workflow(
        name=path.stem,
        path=path,
        graph=graph,
        bindings=bindings,
        output_node=output,
        frames=spec.frames,
        size_multiple=spec.size_multiple,
    )


def _read_graph(path: Path) -> dict[str, Any]:
    try:
        graph = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkflowError(f"{path}: cannot read the workflow JSON ({exc})") from None
    if not isinstance(graph, dict) or not graph:
        raise WorkflowError(f"{path}: not an API-format workflow (a mapping of node ids)")
    if "nodes" in graph and "links" in graph:
        raise WorkflowError(
            f"{path}: this is the UI format; in ComfyUI use Workflow > Export (API) and save that"
        )
    for node_id, node in graph.items():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            raise WorkflowError(f"{path}: node {node_id!r} has no class_type; export it again")
        if not isinstance(node.get("inputs"), dict):
            raise WorkflowError(f"{path}: node {node_id!r} has no inputs mapping")
    return graph


def _read_bindings(path: Path) -> _BindingsFile:
    try:
        raw = load_yaml(path)
    except SpecError as exc:
        raise WorkflowError(f"{path}: cannot read the bindings YAML ({exc})") from None
    try:
        return _BindingsFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise WorkflowError(
            f"{path}: {field}: {first['msg']}; a binding is {{node: <title>, input: <name>}}"
        ) from None


def _titles(graph: Mapping[str, Any], path: Path) -> dict[str, str]:
    titles: dict[str, str] = {}
    for node_id, node in graph.items():
        title = str((node.get("_meta") or {}).get("title") or "")
        if not title:
            continue
        if title in titles:
            raise WorkflowError(
                f"{path}: nodes {titles[title]} and {node_id} are both titled {title!r}; "
                "give each bound node a unique title in ComfyUI and export again"
            )
        titles[title] = node_id
    return titles


def _resolve(
    binding: Binding,
    titles: Mapping[str, str],
    graph: Mapping[str, Any],
    where: str,
    path: Path,
) -> tuple[str, str]:
    node_id = titles.get(binding.node)
    if node_id is None:
        raise WorkflowError(
            f"{where}: no node titled {binding.node!r} in {path.name}; "
            f"use one of {_listed(titles)} or retitle the node in ComfyUI"
        )
    inputs = graph[node_id]["inputs"]
    if binding.input not in inputs:
        raise WorkflowError(
            f"{where}: node {binding.node!r} ({graph[node_id]['class_type']}) has no input "
            f"{binding.input!r}; it has {', '.join(sorted(inputs)) or 'none'}"
        )
    if isinstance(inputs[binding.input], list):
        raise WorkflowError(
            f"{where}: input {binding.input!r} of {binding.node!r} is a link to another node; "
            "bind a widget value (a number or text) instead"
        )
    return node_id, binding.input


def _listed(titles: Mapping[str, str]) -> str:
    return ", ".join(repr(t) for t in sorted(titles)) or "(no titled nodes)"
