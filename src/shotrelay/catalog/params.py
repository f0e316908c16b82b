"""The parameters of one model call, typed: what the router and the project fixed for it.

One model carries them from the route through the job graph and the cache key to the
provider adapter. Unknown names are refused (a typo is an error, not a silently ignored
option); a provider's own knobs that have no place here go through ``fal_extra`` or
``replicate_extra``, which those adapters merge into the request body.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CallParams", "SpokenLine"]


class SpokenLine(BaseModel):
    """One line of dialogue and who speaks it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speaker: str = ""
    line: str


class CallParams(BaseModel):
    """Request parameters of one model call (every field optional: a stage sets its own)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The shot and the format.
    seconds: float | None = Field(None, description="Seconds the shot is on screen.")
    clip_seconds: float | None = Field(None, description="Seconds of clip the model renders.")
    width: int | None = None
    height: int | None = None
    fps: int | None = None
    aspect: str | None = Field(None, description="Aspect ratio, e.g. '16:9'.")
    resolution: str | None = Field(None, description="Routed resolution, e.g. '1080p'.")
    camera: str | None = Field(None, description="The shot's camera move.")
    framing: str | None = Field(None, description="The shot's framing.")
    # What the router decided about the call.
    first_frame: Literal["previous", "keyframe"] | None = Field(
        None, description="Where the first frame comes from: the previous shot or a keyframe."
    )
    from_resolution: str | None = Field(None, description="Resolution an upscale starts from.")
    from_fps: int | None = Field(None, description="Frame rate an interpolation starts from.")
    draft_from: str | None = Field(
        None, description="Set by a deadline trade: the resolution a draft render stands in for."
    )
    reference_tags: list[str] | None = Field(
        None, description="The tag of each reference_i input, for models naming them by tag."
    )
    # Finishing.
    target_height: int | None = None
    target_fps: int | None = None
    scale: float | None = Field(None, description="Upscale factor where the model takes one.")
    factor: int | None = Field(None, description="Frame-rate multiplier for interpolation.")
    mode: Literal["mci", "blend", "dup"] | None = Field(
        None, description="Interpolation mode of the local finisher."
    )
    # Speech.
    text: str | None = Field(None, description="The words to speak (tts).")
    chars: int | None = Field(None, description="Characters of speech the router priced.")
    lines: list[SpokenLine] | None = None
    speaker: str | None = None
    voice_id: str | None = None
    voice_settings: dict[str, Any] | None = None
    language: str | None = None
    # Provider options (each adapter documents the ones it reads).
    size: str | None = Field(None, description="An explicit output size, e.g. '1280x720'.")
    quality: str | None = None
    ratio: str | None = Field(None, description="Runway: an explicit output ratio.")
    loop: bool | None = Field(None, description="Luma: a looping clip.")
    output_format: str | None = Field(None, description="OpenAI images: png, jpeg or webp.")
    person_generation: str | None = Field(None, description="Veo: personGeneration.")
    public_figure_threshold: str | None = Field(None, description="Runway: moderation level.")
    sync_mode: str | None = Field(None, description="sync.so: how lengths are reconciled.")
    modify_mode: str | None = Field(None, description="Luma modify: the mode.")
    luma_concepts: list[str] | None = Field(None, description="Luma: camera concept keys.")
    fal_extra: dict[str, Any] | None = Field(None, description="Merged into a fal request.")
    replicate_extra: dict[str, Any] | None = Field(
        None, description="Merged into a Replicate request's input."
    )

    def fixed(self) -> dict[str, Any]:
        """The parameters that are set, as plain data (what the cache key hashes)."""
        return self.model_dump(mode="json", exclude_none=True)

    def but(self, **changes: Any) -> CallParams:
        """A copy with some parameters changed (validated like the original)."""
        return CallParams.model_validate({**self.fixed(), **changes})

    @property
    def length(self) -> float:
        """Seconds of output the call renders: the clip length, else the shot's."""
        return float(self.clip_seconds or self.seconds or 0.0)
