"""What judging a take produces: checks (value, threshold, reason) and a take's judgement."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Asked", "Check", "Judgement"]


class Asked(BaseModel):
    """What the shot asked of a clip: the figures each check compares against."""

    model_config = ConfigDict(frozen=True)

    duration: float = Field(gt=0, description="Seconds the clip should last.")
    fps: int = 24
    width: int = 1920
    height: int = 1080
    #: The requested camera move (a CameraMove value); "" checks no move.
    camera: str = ""
    #: Whether this stage's clip must carry audio (native speech, lip sync).
    audio: bool = False
    #: The model animates a still by camera moves only (the local previs camera): a static
    #: shot from it is a still by design, so frozen frames are noted, not a defect.
    still_ok: bool = False


class Check(BaseModel):
    """One measurement of a take: its value, the threshold it is held to, and why."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float
    threshold: float
    passed: bool
    #: A failed hard check makes the take defective: it is never cut silently.
    hard: bool = False
    #: 0..1, how good the take is on this check (1 = clearly fine); feeds the take's score.
    score: float = Field(1.0, ge=0, le=1)
    reason: str

    def line(self) -> str:
        """``name value (threshold): reason``, one line."""
        mark = "ok" if self.passed else ("DEFECT" if self.hard else "weak")
        return f"{self.name} {mark}: {self.reason}"


class Judgement(BaseModel):
    """Every check of one take, and the score they add up to (0..1)."""

    model_config = ConfigDict(frozen=True)

    checks: list[Check]
    score: float = Field(ge=0, le=1)
    seconds: float = Field(0.0, description="How long judging took.")

    @property
    def failed(self) -> list[Check]:
        """The checks that did not pass, hard ones first."""
        return sorted((c for c in self.checks if not c.passed), key=lambda c: not c.hard)

    @property
    def defective(self) -> bool:
        """Whether a hard check failed (black, frozen, wrong duration)."""
        return any(c.hard and not c.passed for c in self.checks)

    def check(self, name: str) -> Check | None:
        """The check called ``name``, if it was run."""
        return next((c for c in self.checks if c.name == name), None)

    def summary(self) -> str:
        """The score and what failed, in one line."""
        bad = "; ".join(c.line() for c in self.failed) or "every check passed"
        return f"{self.score:.2f} ({bad})"


def combine(checks: list[Check]) -> float:
    """A take's score: the mean of its checks' scores, and at most 0.2 when it is defective."""
    if not checks:
        return 0.0
    score = sum(c.score for c in checks) / len(checks)
    if any(c.hard and not c.passed for c in checks):
        score = min(score, 0.2) * 0.5
    return round(max(0.0, min(1.0, score)), 4)
