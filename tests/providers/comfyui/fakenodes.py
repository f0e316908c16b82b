"""The loopback ComfyUI's node classes and its ``execution.validate_prompt``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["NODES", "node_info", "validate"]

#: Node classes this server has: (required inputs, optional inputs, output node?). Names and
#: inputs as ComfyUI's nodes.py and comfy_extras define them (VHS is the popular custom node).
NODES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "CheckpointLoaderSimple": (("ckpt_name",), (), False),
    "UNETLoader": (("unet_name", "weight_dtype"), (), False),
    "CLIPLoader": (("clip_name", "type"), ("device",), False),
    "VAELoader": (("vae_name",), (), False),
    "CLIPTextEncode": (("text", "clip"), (), False),
    "LoadImage": (("image",), (), False),
    "EmptyLatentImage": (("width", "height", "batch_size"), (), False),
    "KSampler": (
        (
            "model",
            "seed",
            "steps",
            "cfg",
            "sampler_name",
            "scheduler",
            "positive",
            "negative",
            "latent_image",
            "denoise",
        ),
        (),
        False,
    ),
    "KSamplerAdvanced": (
        (
            "model",
            "add_noise",
            "noise_seed",
            "steps",
            "cfg",
            "sampler_name",
            "scheduler",
            "positive",
            "negative",
            "latent_image",
            "start_at_step",
            "end_at_step",
            "return_with_leftover_noise",
        ),
        (),
        False,
    ),
    "ModelSamplingSD3": (("model", "shift"), (), False),
    "WanImageToVideo": (
        ("positive", "negative", "vae", "width", "height", "length", "batch_size"),
        ("clip_vision_output", "start_image"),
        False,
    ),
    "LTXVConditioning": (("positive", "negative", "frame_rate"), (), False),
    "EmptyLTXVLatentVideo": (("width", "height", "length", "batch_size"), (), False),
    "LTXVScheduler": (
        ("steps", "max_shift", "base_shift", "stretch", "terminal"),
        ("latent",),
        False,
    ),
    "KSamplerSelect": (("sampler_name",), (), False),
    "SamplerCustom": (
        (
            "model",
            "add_noise",
            "noise_seed",
            "cfg",
            "positive",
            "negative",
            "sampler",
            "sigmas",
            "latent_image",
        ),
        (),
        False,
    ),
    "VAEDecode": (("samples", "vae"), (), False),
    "CreateVideo": (("images", "fps"), ("audio",), False),
    "SaveVideo": (("video", "filename_prefix", "format", "codec"), (), True),
    "SaveImage": (("images", "filename_prefix"), (), True),
    "VHS_VideoCombine": (
        (
            "images",
            "frame_rate",
            "loop_count",
            "filename_prefix",
            "format",
            "pingpong",
            "save_output",
        ),
        ("audio",),
        True,
    ),
}


def validate(prompt: dict[str, Any], uploads: Mapping[str, bytes]) -> dict[str, Any] | None:
    """``execution.validate_prompt``: unknown classes, no outputs, missing or bad inputs."""
    for node_id, node in prompt.items():
        cls = node.get("class_type")
        if cls not in NODES:
            error = {
                "type": "invalid_prompt",
                "message": f"Cannot execute because node {cls} does not exist.",
                "details": f"Node ID '#{node_id}'",
                "extra_info": {},
            }
            return {"error": error, "node_errors": {}}
    outputs = [i for i, n in prompt.items() if NODES[n["class_type"]][2]]
    if not outputs:
        error = {
            "type": "prompt_no_outputs",
            "message": "Prompt has no outputs",
            "details": "",
            "extra_info": {},
        }
        return {"error": error, "node_errors": []}
    node_errors: dict[str, Any] = {}
    for output in outputs:
        for node_id in _ancestors(prompt, output):
            errors = _node_errors(prompt, node_id, uploads)
            if errors:
                entry = node_errors.setdefault(
                    node_id,
                    {
                        "errors": errors,
                        "dependent_outputs": [],
                        "class_type": prompt[node_id]["class_type"],
                    },
                )
                entry["dependent_outputs"].append(output)
    if node_errors:
        details = "\n".join(
            f"{e['type']}: {e['details']}" for v in node_errors.values() for e in v["errors"]
        )
        error = {
            "type": "prompt_outputs_failed_validation",
            "message": "Prompt outputs failed validation",
            "details": details,
            "extra_info": {},
        }
        return {"error": error, "node_errors": node_errors}
    return None


def _ancestors(prompt: dict[str, Any], start: str) -> list[str]:
    seen: list[str] = []
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in prompt:
            continue
        seen.append(node_id)
        for value in prompt[node_id]["inputs"].values():
            if isinstance(value, list) and len(value) == 2:
                stack.append(str(value[0]))
    return seen


def _node_errors(
    prompt: dict[str, Any], node_id: str, uploads: Mapping[str, bytes]
) -> list[dict[str, Any]]:
    node = prompt[node_id]
    required, _optional, _out = NODES[node["class_type"]]
    errors = []
    for name in required:
        value = node["inputs"].get(name)
        if value is None:
            errors.append(
                {
                    "type": "required_input_missing",
                    "message": "Required input is missing",
                    "details": name,
                    "extra_info": {"input_name": name},
                }
            )
        elif isinstance(value, list) and str(value[0]) not in prompt:
            errors.append(
                {
                    "type": "bad_linked_input",
                    "message": "Bad linked input, must be a length-2 list of [string, int]",
                    "details": f"{name}, {value}",
                    "extra_info": {"input_name": name},
                }
            )
    if node["class_type"] == "LoadImage" and node["inputs"].get("image") not in uploads:
        image = node["inputs"].get("image")
        errors.append(
            {
                "type": "custom_validation_failed",
                "message": "Custom validation failed for node",
                "details": f"image - Invalid image file: {image}",
                "extra_info": {"input_name": "image"},
            }
        )
    return errors


def node_info(name: str, models: Mapping[str, list[str]]) -> dict[str, Any]:
    """``server.node_info``: inputs as ``[type or choices, options]``; files as choices."""
    required, optional, out = NODES[name]

    def spec(i: str) -> list[Any]:
        return [models[i], {}] if i in models else ["*", {}]

    return {
        "input": {
            "required": {i: spec(i) for i in required},
            "optional": {i: spec(i) for i in optional},
        },
        "input_order": {"required": list(required), "optional": list(optional)},
        "output_node": out,
        "name": name,
        "display_name": name,
    }
