"""Small model rows and a project for prompt tests (no catalog file needed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shotrelay.catalog.profile import Inputs, Latency, ModelProfile, Pricing
from shotrelay.spec import Project

MakeModel = Callable[..., ModelProfile]


def _make(dialect: str, *, prompt_limit: int = 100_000, **inputs: Any) -> ModelProfile:
    return ModelProfile(
        id=f"test-{dialect}",
        provider="test",
        name=f"Test {dialect}",
        api_model=dialect,
        tasks=["text_to_image", "image_to_video", "text_to_video", "video_to_video"],
        pricing=Pricing(rule="free"),
        latency=Latency(base_s=1),
        dialect=dialect,
        prompt_limit=prompt_limit,
        inputs=Inputs(**inputs),
    )


@pytest.fixture
def make_model() -> MakeModel:
    """Factory: make_model("kling", negative_prompt=True, prompt_limit=300)."""
    return _make


@pytest.fixture
def project() -> Project:
    """Two shots with a character, a palette, an avoid list and a hand-off."""
    return Project.model_validate(
        {
            "name": "demo",
            "brief": "20-second ad for a note-taking startup",
            "style": {
                "look": "clean editorial",
                "mood": "hopeful",
                "palette": ["#1b2a4a", "#f2a541"],
                "lighting": "soft window light",
                "avoid": ["text overlays", "watermarks"],
            },
            "characters": [
                {
                    "name": "Maya",
                    "description": "a founder in her thirties",
                    "wardrobe": "mustard cardigan",
                    "voice": "warm alto",
                    "references": ["/refs/maya.png"],
                }
            ],
            "shots": [
                {
                    "id": "s1",
                    "duration": 5,
                    "framing": "wide",
                    "camera": "pan-right",
                    "subject": "a sunlit loft office",
                    "action": "morning light spills across the desks",
                    "setting": "a sunlit loft office",
                },
                {
                    "id": "s2",
                    "duration": 4,
                    "framing": "medium-close",
                    "lens": "portrait",
                    "camera": "push-in",
                    "subject": "Maya",
                    "action": "types a note on her laptop",
                    "setting": "a sunlit loft office",
                    "characters": ["Maya"],
                    "dialogue": [{"speaker": "Maya", "line": "Never lose a thought."}],
                    "edit": "remove the reflection in the window",
                },
            ],
        }
    )
