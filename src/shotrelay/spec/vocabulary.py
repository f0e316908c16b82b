"""The words of a shot list: roles, framings, lenses, camera moves, transitions, stages, tasks."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AXES",
    "CameraMove",
    "Framing",
    "Lens",
    "Role",
    "Stage",
    "Task",
    "Transition",
    "Voice",
]

#: The requirement axes on which shots weigh and models score.
AXES: tuple[str, ...] = (
    "aesthetics",
    "motion",
    "geometry",
    "continuity",
    "control",
    "speed",
    "cost",
)


class Role(StrEnum):
    """What a shot does in the cut; gives default requirement weights."""

    HERO = "hero"
    PRODUCT = "product"
    DIALOGUE = "dialogue"
    ESTABLISHING = "establishing"
    BROLL = "b-roll"
    INSERT = "insert"


class Framing(StrEnum):
    """Shot size."""

    EXTREME_WIDE = "extreme-wide"
    WIDE = "wide"
    FULL = "full"
    MEDIUM = "medium"
    MEDIUM_CLOSE = "medium-close"
    CLOSE_UP = "close-up"
    EXTREME_CLOSE_UP = "extreme-close-up"


class Lens(StrEnum):
    """Lens feel (focal length class)."""

    ULTRA_WIDE = "ultra-wide"
    WIDE = "wide"
    NORMAL = "normal"
    PORTRAIT = "portrait"
    TELEPHOTO = "telephoto"
    MACRO = "macro"


class CameraMove(StrEnum):
    """Camera movement over the shot."""

    STATIC = "static"
    PUSH_IN = "push-in"
    PULL_OUT = "pull-out"
    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    TILT_UP = "tilt-up"
    TILT_DOWN = "tilt-down"
    ORBIT_LEFT = "orbit-left"
    ORBIT_RIGHT = "orbit-right"
    HANDHELD = "handheld"
    TRACKING = "tracking"


class Voice(StrEnum):
    """Who speaks a dialogue shot's lines."""

    #: Text-to-speech with one voice per character, then lip sync onto the clip: the same
    #: voice in every shot, whatever model made the picture.
    DUB = "dub"
    #: The video model speaks the lines itself (native audio, e.g. Veo 3): no TTS, no lip
    #: sync, but each shot's voice is the model's.
    NATIVE = "native"


class Transition(StrEnum):
    """How a shot enters from the one before it."""

    CUT = "cut"
    CROSSFADE = "crossfade"
    DIP_TO_BLACK = "dip-to-black"


class Task(StrEnum):
    """What a model does (a ModelProfile lists the tasks it performs)."""

    PLAN = "plan"
    TEXT_TO_IMAGE = "text_to_image"
    IMAGE_TO_VIDEO = "image_to_video"
    TEXT_TO_VIDEO = "text_to_video"
    VIDEO_TO_VIDEO = "video_to_video"
    LIPSYNC = "lipsync"
    UPSCALE = "upscale"
    INTERPOLATE = "interpolate"
    TTS = "tts"


class Stage(StrEnum):
    """A step of a shot's relay; each stage is routed to a model separately."""

    KEYFRAME = "keyframe"
    GENERATE = "generate"
    EDIT = "edit"
    TTS = "tts"
    LIPSYNC = "lipsync"
    UPSCALE = "upscale"
    INTERPOLATE = "interpolate"

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Tasks a model must perform to serve this stage (any one of them)."""
        return _STAGE_TASKS[self]


_STAGE_TASKS: dict[Stage, tuple[Task, ...]] = {
    Stage.KEYFRAME: (Task.TEXT_TO_IMAGE,),
    Stage.GENERATE: (Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO),
    Stage.EDIT: (Task.VIDEO_TO_VIDEO,),
    Stage.TTS: (Task.TTS,),
    Stage.LIPSYNC: (Task.LIPSYNC,),
    Stage.UPSCALE: (Task.UPSCALE,),
    Stage.INTERPOLATE: (Task.INTERPOLATE,),
}
