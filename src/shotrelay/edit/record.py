"""What a cut was made of, as the journal keeps it: the one record the relay writes and the
editor export, the report and the contact sheet read."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.spec.models import Format, Sound
from shotrelay.spec.vocabulary import Transition

__all__ = ["CutEntry", "CutRecord"]


class CutEntry(BaseModel):
    """One shot of a cut: its clip and dialogue by artifact hash, and how it enters."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    clip: str = Field(description="Artifact hash of the shot's final clip.")
    duration: float = Field(gt=0, description="Seconds on screen.")
    transition: Transition = Transition.CUT
    transition_seconds: float = Field(0.0, ge=0)
    audio: str | None = Field(None, description="Artifact hash of speech laid under the clip.")


class CutRecord(BaseModel):
    """A cut: which clips, in which order, in which format, over which music."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="animatic or final.")
    format: Format
    music: str | None = Field(None, description="Artifact hash of the music bed.")
    sound: Sound | None = Field(None, description="Mix and loudness settings (None: defaults).")
    clips: list[CutEntry]

    def key(self) -> str:
        """The cut's cache key: the hash of everything that shapes its pixels and sound."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return "cut-" + hashlib.sha256(text.encode()).hexdigest()

    def clip_hashes(self) -> dict[str, str]:
        """Shot id -> artifact hash of its clip."""
        return {c.shot_id: c.clip for c in self.clips}

    @classmethod
    def from_detail(cls, detail: Mapping[str, Any]) -> CutRecord:
        """The record a cut job's journal detail holds (journals before this model kept each
        clip as a list: shot, clip, duration, transition, seconds, audio)."""
        clips = [
            CutEntry(
                shot_id=c[0],
                clip=c[1],
                duration=c[2],
                transition=Transition(c[3]),
                transition_seconds=c[4],
                audio=c[5],
            )
            if isinstance(c, list | tuple)
            else CutEntry.model_validate(c)
            for c in detail.get("clips", [])
        ]
        return cls.model_validate({**detail, "clips": clips})
