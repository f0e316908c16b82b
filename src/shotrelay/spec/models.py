"""The production as data: Project, Format, StyleBible, Character, Shot."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shotrelay.spec.vocabulary import (
    AXES,
    CameraMove,
    Framing,
    Lens,
    Role,
    Stage,
    Transition,
    Voice,
)

__all__ = [
    "RESOLUTIONS",
    "Captions",
    "Character",
    "Deliverable",
    "DialogueLine",
    "Format",
    "Policy",
    "PolicyRule",
    "Project",
    "Shot",
    "Sound",
    "StyleBible",
    "Weights",
]

# Height in pixels of each named resolution; width follows from the aspect ratio.
RESOLUTIONS: dict[str, int] = {
    "360p": 360,
    "480p": 480,
    "540p": 540,
    "720p": 720,
    "768p": 768,
    "1080p": 1080,
    "1440p": 1440,
    "4k": 2160,
}

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_ASPECT = re.compile(r"^(\d+):(\d+)$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Weights(_Model):
    """Requirement weights on the routing axes; each 0..1, unset axes take the role default."""

    aesthetics: float | None = Field(None, ge=0, le=1)
    motion: float | None = Field(None, ge=0, le=1)
    geometry: float | None = Field(None, ge=0, le=1)
    continuity: float | None = Field(None, ge=0, le=1)
    control: float | None = Field(None, ge=0, le=1)
    speed: float | None = Field(None, ge=0, le=1)
    cost: float | None = Field(None, ge=0, le=1)

    def explicit(self) -> dict[str, float]:
        """The axes the user set, by name."""
        return {axis: v for axis in AXES if (v := getattr(self, axis)) is not None}


class Format(_Model):
    """Delivery format of the cut."""

    aspect: str = Field("16:9", description="Aspect ratio as W:H, e.g. 16:9, 9:16, 1:1.")
    resolution: str = Field("1080p", description="One of " + ", ".join(RESOLUTIONS) + ".")
    fps: int = Field(24, ge=1, le=120, description="Frames per second of the cut.")

    @field_validator("aspect")
    @classmethod
    def _aspect(cls, v: str) -> str:
        m = _ASPECT.match(v)
        if not m or int(m.group(1)) == 0 or int(m.group(2)) == 0:
            raise ValueError(f"aspect must look like 16:9, got {v!r}")
        return v

    @field_validator("resolution")
    @classmethod
    def _resolution(cls, v: str) -> str:
        v = v.lower()
        if v not in RESOLUTIONS:
            raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}, got {v!r}")
        return v

    @property
    def height(self) -> int:
        """Frame height in pixels (even)."""
        w, h = (int(x) for x in self.aspect.split(":"))
        base = RESOLUTIONS[self.resolution]
        # The named resolution is the short side.
        return base if w >= h else _even(base * h / w)

    @property
    def width(self) -> int:
        """Frame width in pixels (even)."""
        w, h = (int(x) for x in self.aspect.split(":"))
        base = RESOLUTIONS[self.resolution]
        return _even(base * w / h) if w >= h else base


def _even(x: float) -> int:
    return round(x / 2) * 2


class StyleBible(_Model):
    """The look every shot shares."""

    look: str = Field("", description="Overall visual style in words.")
    palette: list[str] = Field(default_factory=list, description="Colours as #rrggbb.")
    lighting: str = ""
    mood: str = ""
    film_stock: str = ""
    avoid: list[str] = Field(default_factory=list, description="Things no shot may show.")
    references: list[Path] = Field(default_factory=list)

    @field_validator("palette")
    @classmethod
    def _palette(cls, v: list[str]) -> list[str]:
        for c in v:
            if not _HEX.match(c):
                raise ValueError(f"palette colours must be #rrggbb, got {c!r}")
        return v


class Character(_Model):
    """A recurring person (or mascot) whose look must hold across shots."""

    name: str = Field(min_length=1)
    description: str = ""
    wardrobe: str = ""
    voice: str = Field("", description="Voice hint for text-to-speech.")
    references: list[Path] = Field(default_factory=list, description="Reference images.")


class DialogueLine(_Model):
    """One spoken line."""

    speaker: str = Field(min_length=1)
    line: str = Field(min_length=1)
    at: float | None = Field(
        None,
        ge=0,
        description="Seconds from the shot's start when the line begins; unset: laid out in "
        "order over the shot's speech, in proportion to each line's length.",
    )


class Shot(_Model):
    """One shot: what the camera sees, for how long, and what matters most in it."""

    id: str = Field("", description="Stable id, e.g. s1; defaults to s<order>.")
    order: int = Field(0, ge=0, description="Position in the cut; defaults to list position.")
    duration: float = Field(gt=0, le=60, description="Seconds on screen.")
    role: Role = Role.BROLL
    framing: Framing = Framing.MEDIUM
    lens: Lens = Lens.NORMAL
    camera: CameraMove = CameraMove.STATIC
    subject: str = ""
    action: str = ""
    setting: str = ""
    lighting: str = ""
    characters: list[str] = Field(default_factory=list, description="Names from characters.")
    dialogue: list[DialogueLine] = Field(default_factory=list)
    voice: Voice = Field(
        Voice.DUB,
        description="dub: TTS + lip sync (one voice per character); native: the video model "
        "speaks the lines (needs a model with native audio).",
    )
    transition: Transition = Field(
        Transition.CUT, description="How this shot enters from the previous one."
    )
    transition_seconds: float = Field(0.5, ge=0, le=5)
    continues_previous: bool = Field(
        False, description="Continues the previous shot's action: hand off its last frame."
    )
    continuity: list[str] = Field(default_factory=list, description="Continuity notes.")
    weights: Weights = Field(default_factory=Weights)
    references: list[Path] = Field(default_factory=list, description="Reference images.")
    edit: str = Field("", description="A video-to-video correction to apply after generation.")
    models: dict[Stage, str] = Field(
        default_factory=dict, description="Pin a model id per stage, e.g. {generate: veo-3.1}."
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if v and not _ID.match(v):
            raise ValueError("shot id may hold letters, digits, '-' and '_' only")
        return v

    @property
    def has_dialogue(self) -> bool:
        """Whether anyone speaks in this shot."""
        return bool(self.dialogue)


class Captions(_Model):
    """Captions from the dialogue: always written as out/final.srt and .vtt; burned in on
    every delivered file when ``burn`` is set."""

    burn: bool = Field(False, description="Draw the captions into the picture of every file.")
    font: str = Field("DejaVu Sans", min_length=1, description="Font family name.")
    size: float = Field(
        0.055, gt=0, le=0.2, description="Text height as a fraction of the frame height."
    )
    position: Literal["bottom", "top"] = "bottom"
    safe_area: float = Field(
        0.1, ge=0, le=0.3, description="Margin kept clear on every side, as a fraction."
    )


class Sound(_Model):
    """The final mix: music under the dialogue, and the loudness it is delivered at."""

    loudness_lufs: float = Field(
        -14.0, ge=-36, le=-8, description="Integrated loudness target: -14 web, -23 broadcast."
    )
    true_peak: float = Field(-1.0, ge=-9, le=0, description="Highest true peak in dBTP.")
    music_db: float = Field(-18.0, ge=-60, le=0, description="Music bed gain before ducking.")
    fade_seconds: float = Field(1.0, ge=0, le=10, description="Music fade at head and tail.")


class Deliverable(_Model):
    """One more version of the master in another aspect, e.g. {aspect: "9:16"}."""

    aspect: str = Field(description="W:H, e.g. 9:16, 1:1, 4:5.")
    fit: Literal["crop", "subject", "letterbox"] = Field(
        "crop",
        description="crop: fill the frame from the master's centre; subject: fill it over the "
        "most salient part of each shot; letterbox: the whole master, padded.",
    )

    @field_validator("aspect")
    @classmethod
    def _aspect(cls, v: str) -> str:
        return Format._aspect(v)

    @property
    def tag(self) -> str:
        """The aspect in a file name: 9:16 -> 9x16."""
        return self.aspect.replace(":", "x")


class PolicyRule(_Model):
    """A routing rule: when a shot matches ``when``, apply the effects.

    ``when`` maps shot fields to values (``role: hero``, ``stage: generate``).
    """

    when: dict[str, str] = Field(default_factory=dict)
    prefer: dict[str, float] = Field(
        default_factory=dict, description="Axis weights to set, e.g. {aesthetics: 1.0}."
    )
    avoid_providers: list[str] = Field(default_factory=list)
    avoid_models: list[str] = Field(default_factory=list)
    require_models: list[str] = Field(default_factory=list)


class Policy(_Model):
    """Routing policy: a named preset plus the user's rules."""

    preset: str = Field("balanced", description="Named preset; see `shotrelay route --help`.")
    rules: list[PolicyRule] = Field(default_factory=list)
    allow_providers: list[str] = Field(
        default_factory=list, description="When set, only these providers are used."
    )
    deny_providers: list[str] = Field(default_factory=list)
    quality_vs_cost: float = Field(
        0.5, ge=0, le=1, description="0 = cheapest that works, 1 = best regardless of cost."
    )


class Project(_Model):
    """A whole production: brief, format, style, cast, policy and shots."""

    name: str = Field(min_length=1)
    brief: str = ""
    format: Format = Field(default_factory=Format)
    target_length: float | None = Field(None, gt=0, description="Seconds; sum of shots if unset.")
    deadline: datetime | None = None
    priority: float = Field(
        1.0,
        gt=0,
        le=10,
        description="Weight in a studio queue: on equal deadlines a heavier project goes first.",
    )
    budget_usd: float | None = Field(None, ge=0)
    takes: Annotated[int, Field(ge=1, le=8)] = 1
    retakes: Annotated[int, Field(ge=0, le=3)] = Field(
        0,
        description="Rounds of new takes for a shot whose every take fails hard QC (black, "
        "frozen, wrong length), within the budget; 0 stops such a shot for a person.",
    )
    style: StyleBible = Field(default_factory=StyleBible)
    characters: list[Character] = Field(default_factory=list)
    policy: Policy = Field(default_factory=Policy)
    music: Path | None = None
    sound: Sound = Field(default_factory=Sound)
    captions: Captions = Field(default_factory=Captions)
    deliverables: list[Deliverable] = Field(
        default_factory=list, description="More aspects of the master, e.g. [{aspect: 9:16}]."
    )
    shots: list[Shot] = Field(default_factory=list)
    planned_by: str = Field(
        "",
        description="Planner that wrote the shots (rules, openai, ...); empty: written by hand.",
    )

    @model_validator(mode="after")
    def _number_shots(self) -> Project:
        fixed: list[Shot] = []
        for i, shot in enumerate(self.shots, start=1):
            order = shot.order or i
            fixed.append(shot.model_copy(update={"order": order, "id": shot.id or f"s{order}"}))
        fixed.sort(key=lambda s: s.order)
        object.__setattr__(self, "shots", fixed)
        seen: set[str] = set()
        for s in fixed:
            if s.id in seen:
                raise ValueError(f"two shots share the id {s.id!r}; give each a unique id")
            seen.add(s.id)
        names = {c.name for c in self.characters}
        for s in fixed:
            for who in [*s.characters, *(d.speaker for d in s.dialogue)]:
                if who not in names and who.lower() not in {"narrator", "voiceover", "vo"}:
                    raise ValueError(
                        f"shot {s.id} names {who!r}, who is not in characters; "
                        "add them under characters: or fix the name"
                    )
        return self

    @property
    def length(self) -> float:
        """Length of the cut in seconds (sum of shot durations)."""
        return sum(s.duration for s in self.shots)

    def shot(self, shot_id: str) -> Shot:
        """The shot with this id; KeyError if none."""
        for s in self.shots:
            if s.id == shot_id:
                return s
        raise KeyError(shot_id)

    def character(self, name: str) -> Character | None:
        """The character of this name, if any."""
        return next((c for c in self.characters if c.name == name), None)
