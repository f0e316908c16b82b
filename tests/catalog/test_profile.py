"""ModelProfile's per-task endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from shotrelay.catalog import ModelProfile
from shotrelay.spec.vocabulary import Task


def row(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "m",
        "provider": "fal",
        "name": "M",
        "api_model": "fal-ai/m/image-to-video",
        "tasks": ["image_to_video", "text_to_video"],
        "pricing": {"rule": "free"},
        "latency": {"base_s": 1},
    }
    return base | fields


def test_endpoint_falls_back_to_api_model() -> None:
    m = ModelProfile.model_validate(row(endpoints={"text_to_video": "fal-ai/m/text-to-video"}))
    assert m.endpoint(Task.TEXT_TO_VIDEO) == "fal-ai/m/text-to-video"
    assert m.endpoint(Task.IMAGE_TO_VIDEO) == "fal-ai/m/image-to-video"


def test_endpoint_for_a_task_the_model_does_not_do_is_refused() -> None:
    with pytest.raises(ValidationError, match="endpoints name tasks"):
        ModelProfile.model_validate(row(endpoints={"upscale": "fal-ai/m/upscale"}))
