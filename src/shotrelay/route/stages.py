"""Which stages a shot needs, in relay order.

The base stages (keyframe, generate, edit, tts, lipsync) follow from the shot alone; the
finishing stages (upscale, interpolate) follow from the model chosen to generate it.
"""

from __future__ import annotations

from shotrelay.catalog.profile import ModelProfile
from shotrelay.spec.models import RESOLUTIONS, Format, Shot
from shotrelay.spec.vocabulary import Stage, Task, Voice

__all__ = [
    "FINISHING",
    "STAGE_ORDER",
    "base_stages",
    "finishing_stages",
    "hands_off",
    "needs_interpolate",
    "needs_upscale",
    "takes_first_frame",
]

#: Execution order of a shot's stages.
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

#: Stages implied by the generate choice rather than by the shot.
FINISHING: tuple[Stage, ...] = (Stage.UPSCALE, Stage.INTERPOLATE)


def hands_off(shot: Shot, previous: Shot | None) -> bool:
    """Whether the previous shot's last frame becomes this shot's first frame."""
    return shot.continues_previous and previous is not None


def base_stages(shot: Shot, previous: Shot | None) -> list[Stage]:
    """The stages a shot needs whatever model generates it, in order."""
    stages: list[Stage] = []
    if not hands_off(shot, previous):
        stages.append(Stage.KEYFRAME)
    stages.append(Stage.GENERATE)
    if shot.edit:
        stages.append(Stage.EDIT)
    if shot.has_dialogue and shot.voice is Voice.DUB:
        stages += [Stage.TTS, Stage.LIPSYNC]
    return stages


def takes_first_frame(model: ModelProfile) -> bool:
    """Whether a video model can start from a given image (keyframe or handed-off frame)."""
    return model.does(Task.IMAGE_TO_VIDEO) and model.inputs.first_frame


def needs_upscale(model: ModelProfile, fmt: Format) -> bool:
    """Whether a generate model's best output is below the project resolution."""
    return 0 < model.max_height < RESOLUTIONS[fmt.resolution]


def needs_interpolate(model: ModelProfile, fmt: Format) -> bool:
    """Whether a generate model's fixed frame rate is below the project's."""
    return model.fps is not None and model.fps < fmt.fps


def finishing_stages(model: ModelProfile, fmt: Format) -> list[Stage]:
    """The finishing stages a generate model implies for this format, in order."""
    out: list[Stage] = []
    if needs_upscale(model, fmt):
        out.append(Stage.UPSCALE)
    if needs_interpolate(model, fmt):
        out.append(Stage.INTERPOLATE)
    return out
