"""A job written into a workflow: the bound node inputs set from the request."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from typing import Any

from shotrelay.errors import InvalidInput
from shotrelay.providers.base import JobRequest
from shotrelay.providers.comfyui.workflows import IMAGE_FIELDS, Workflow

__all__ = ["fill", "job_seed", "job_values"]


def job_seed(request: JobRequest) -> int:
    """The request's seed, else one derived from its job id (a rerun draws the same)."""
    if request.seed is not None:
        return int(request.seed)
    return int.from_bytes(hashlib.sha256(request.job_id.encode()).digest()[:6], "big")


def _snap(value: Any, multiple: int) -> int:
    return max(multiple, round(float(value) / multiple) * multiple)


def job_values(
    request: JobRequest, workflow: Workflow, images: Mapping[str, str]
) -> dict[str, Any]:
    """The value of each bound job field that the request sets (others keep the template's).

    ``images`` maps ``first_frame`` / ``last_frame`` to the names the server gave the uploads.
    The frame rate is the model's native one when the catalog row fixes it, else the
    project's; the length is the clip's seconds at that rate, snapped to what the model takes.
    """
    params = request.params
    values: dict[str, Any] = {
        "prompt": request.prompt,
        "negative_prompt": request.negative_prompt,
        "seed": job_seed(request),
        **images,
    }
    if params.width and params.height:
        values["width"] = _snap(params.width, workflow.size_multiple)
        values["height"] = _snap(params.height, workflow.size_multiple)
    fps = request.model.fps or params.fps
    if fps:
        values["fps"] = fps
    seconds = params.clip_seconds or params.seconds
    if seconds and fps:
        values["length"] = workflow.frames.count(float(seconds), float(fps))
    if not request.negative_prompt:
        values.pop("negative_prompt")  # keep the template's own negative prompt
    return values


def fill(request: JobRequest, workflow: Workflow, images: Mapping[str, str]) -> dict[str, Any]:
    """The API-format prompt for ``request``: a copy of the graph with bound inputs set."""
    for role in IMAGE_FIELDS:
        if role in request.inputs and not workflow.binds(role):
            raise InvalidInput(
                f"comfyui: workflow {workflow.name} binds no {role} but the job has one; "
                f"bind it in {workflow.path.stem}.bindings.yaml or route this shot elsewhere",
                provider="comfyui",
                model=request.model.id,
            )
        if workflow.binds(role) and role not in images:
            raise InvalidInput(
                f"comfyui: workflow {workflow.name} needs a {role} image and the job has none",
                provider="comfyui",
                model=request.model.id,
            )
    graph = copy.deepcopy(workflow.graph)
    for field, value in job_values(request, workflow, images).items():
        for node_id, name in workflow.bindings.get(field, []):
            current = graph[node_id]["inputs"][name]
            graph[node_id]["inputs"][name] = _like(current, value)
    return graph


def _like(template: Any, value: Any) -> Any:
    """``value`` in the template's own type (a FLOAT input stays a float, INT an int)."""
    if isinstance(template, bool) or isinstance(value, str):
        return value
    if isinstance(template, float):
        return float(value)
    if isinstance(template, int):
        return round(float(value))
    return value
