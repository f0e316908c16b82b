"""Small hand-built catalogs and projects for the router's tests (imported by name)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from shotrelay.catalog.profile import Inputs, Latency, ModelProfile, Pricing, Score
from shotrelay.spec.models import Project

MakeModel = Callable[..., ModelProfile]
MakeProject = Callable[..., Project]

_VIDEO_IN = {"video_to_video", "lipsync", "upscale", "interpolate"}


def make_model(
    id: str,
    *,
    tasks: Sequence[str] = ("image_to_video",),
    provider: str = "acme",
    rule: str = "per_second",
    usd: float = 0.1,
    scores: dict[str, float] | None = None,
    durations: Sequence[float] = (5, 10),
    resolutions: Sequence[str] = ("1080p",),
    latency: float = 60.0,
    inputs: dict[str, Any] | None = None,
    **extra: Any,
) -> ModelProfile:
    """A catalog row with sensible defaults: an image-to-video model taking a first frame."""
    base_inputs: dict[str, Any] = {
        "first_frame": "image_to_video" in tasks,
        "video": bool(_VIDEO_IN & set(tasks)),
        "audio": "lipsync" in tasks,
    }
    base_inputs.update(inputs or {})
    return ModelProfile(
        id=id,
        provider=provider,
        name=id.title(),
        api_model=id,
        tasks=list(tasks),  # type: ignore[arg-type]
        durations=list(durations),
        resolutions=list(resolutions),
        inputs=Inputs(**base_inputs),
        scores={a: Score(value=v, source="test") for a, v in (scores or {}).items()},
        pricing=Pricing(rule=rule, usd=usd),  # type: ignore[arg-type]
        latency=Latency(base_s=latency),
        **extra,
    )


def support_models() -> list[ModelProfile]:
    """A keyframe, TTS, lipsync, upscale and interpolate model, so any shot can be routed."""
    return [
        make_model("still", tasks=["text_to_image"], rule="per_image", usd=0.02, durations=()),
        make_model("voice", tasks=["tts"], rule="per_1k_chars", usd=0.1, durations=()),
        make_model("sync", tasks=["lipsync"], usd=0.05, durations=()),
        make_model("up", tasks=["upscale"], usd=0.01, durations=(), resolutions=["4k"]),
        make_model("interp", tasks=["interpolate"], usd=0.01, durations=(), resolutions=[]),
    ]


def make_project(shots: Sequence[dict[str, Any]], **fields: Any) -> Project:
    """A project with these shots (dicts as in YAML); characters Ana and Ben exist."""
    data: dict[str, Any] = {
        "name": "test",
        "characters": [{"name": "Ana"}, {"name": "Ben"}],
        "shots": list(shots),
    }
    data.update(fields)
    return Project.model_validate(data)
