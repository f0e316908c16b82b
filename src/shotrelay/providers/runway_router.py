"""Runway's Model Router: Runway picks the model for a shot within a credit cap.

A catalog row whose ``api_model`` is ``router`` goes through a saved router config
(``POST /v1/routers`` with ``settings.maxCreditsPerGeneration.video``, found first with
``GET /v1/routers``) and ``POST /v1/generate/video`` (``configId`` plus a model-agnostic
``input``). The answer's ``routing`` says which model was chosen and its estimated cost; the
adapter keeps both in the job's handle, which the journal records, and in the result's
metadata. Shapes follow runwayml 5.24.0 (``routers``, ``generate.video`` resources).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from shotrelay.catalog.params import CallParams
from shotrelay.providers.base import JobRequest
from shotrelay.spec.vocabulary import Task

__all__ = ["ROUTER_MODEL", "credit_cap", "generate_input", "router_config", "routing_data"]

#: The ``api_model`` that marks a catalog row as the Model Router.
ROUTER_MODEL = "router"
#: ``Input.aspectRatio`` values of ``generate.video``.
ASPECTS = ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9")


def credit_cap(request: JobRequest, credit_usd: float) -> int:
    """The most a generation may cost, in credits: the row's price for this clip's length
    (so the router never spends more than the plan budgeted for the shot)."""
    seconds = float(request.params.clip_seconds or 5)
    return max(1, math.ceil(request.model.pricing.usd * seconds / credit_usd - 1e-9))


def router_config(cap: int) -> dict[str, Any]:
    """The router config shotrelay saves for one cap (one config per cap, reused)."""
    slug = f"shotrelay-video-{cap}c"
    return {
        "slug": slug,
        "name": f"shotrelay video, at most {cap} credits",
        "settings": {"maxCreditsPerGeneration": {"video": cap}, "optimizeFor": "quality"},
    }


def generate_input(
    request: JobRequest, params: CallParams, uri: Callable[[str], str]
) -> dict[str, Any]:
    """``generate.video``'s ``input`` for a text- or image-to-video request."""
    body: dict[str, Any] = {}
    if request.prompt:
        body["promptText"] = request.prompt
    if params.aspect in ASPECTS:
        body["aspectRatio"] = params.aspect
    if params.clip_seconds:
        body["duration"] = round(float(params.clip_seconds))
    if request.negative_prompt:
        body["negativePrompt"] = request.negative_prompt
    images = [
        {"role": role, "uri": uri(name)}
        for name, role in (("first_frame", "first"), ("last_frame", "last"))
        if name in request.inputs and request.task is Task.IMAGE_TO_VIDEO
    ]
    images += [
        {"role": "reference", "uri": uri(name)}
        for name in sorted(request.inputs)
        if name.startswith("reference_")
    ]
    if images:
        body["referenceImages"] = images
    if params.public_figure_threshold:
        body["contentModeration"] = {"publicFigureThreshold": params.public_figure_threshold}
    return body


def routing_data(answer: dict[str, Any], credit_usd: float) -> dict[str, Any]:
    """What the router chose, for the handle: its model, provider, estimate and cap."""
    found = answer.get("routing")
    routing: dict[str, Any] = found if isinstance(found, dict) else {}
    credits = (routing.get("estimatedCost") or {}).get("credits")
    data: dict[str, Any] = {
        "routed_model": routing.get("model"),
        "routed_provider": routing.get("provider"),
        "router": routing.get("configId"),
    }
    if isinstance(credits, int | float):
        data["estimated_credits"] = credits
        data["estimated_usd"] = round(float(credits) * credit_usd, 6)
    return {k: v for k, v in data.items() if v is not None}
