"""One call of a model: what it costs and how long it takes, from the request parameters.

Every room that prices or times a call uses these (the router's table computes the same for
many models at once): the engine reserves with ``call_cost``, the scheduler predicts with
``call_seconds``.
"""

from __future__ import annotations

from shotrelay.catalog.params import CallParams
from shotrelay.catalog.profile import CostEstimate, ModelProfile
from shotrelay.spec.models import RESOLUTIONS
from shotrelay.spec.vocabulary import Task

__all__ = ["call_cost", "call_seconds"]


def call_cost(model: ModelProfile, params: CallParams) -> CostEstimate:
    """Cost of one call of ``model`` with these parameters (used for fallbacks).

    A fallback renders the clip length *it* allows for the shot (e.g. Sora's 4/8/12 s), not
    the routed model's, and is billed for that.
    """
    seconds = params.length
    shot = float(params.seconds or 0.0)
    if shot and ({Task.TEXT_TO_VIDEO, Task.IMAGE_TO_VIDEO} & set(model.tasks)):
        seconds = model.clip_length(shot) or seconds
    text = params.text or ""
    return model.pricing.estimate(
        seconds=seconds,
        chars=len(text),
        tokens=len(text) // 4,
        resolution=params.resolution,
        label=model.name,
    )


def call_seconds(model: ModelProfile, params: CallParams) -> float:
    """Expected wall time of one call of ``model`` with these request parameters.

    The catalog's latency is for the routed resolution; a draft render (``draft_from`` set)
    is assumed to take time in proportion to frame height (the catalog has no
    per-resolution latency, so this is the one stated assumption about drafts).
    """
    seconds = model.latency.estimate(params.length)
    full, res = params.draft_from, params.resolution
    if full in RESOLUTIONS and res in RESOLUTIONS:
        seconds *= min(1.0, RESOLUTIONS[res] / RESOLUTIONS[full])
    return seconds
