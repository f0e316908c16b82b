"""ModelProfile: one row of the catalog, everything the router needs to know about a model."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shotrelay.spec.models import RESOLUTIONS
from shotrelay.spec.vocabulary import AXES, Task

__all__ = [
    "CostEstimate",
    "Inputs",
    "Latency",
    "ModelProfile",
    "ModelStatus",
    "Pricing",
    "PricingRule",
    "Score",
]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PricingRule(StrEnum):
    """How a model charges."""

    FREE = "free"
    PER_SECOND = "per_second"  # usd per second of output video (or audio)
    PER_CLIP = "per_clip"  # usd per call, whatever the length
    PER_IMAGE = "per_image"  # usd per image
    PER_1K_CHARS = "per_1k_chars"  # usd per 1,000 input characters (TTS)
    PER_1M_TOKENS = "per_1m_tokens"  # usd per million tokens, input and output together


class ModelStatus(StrEnum):
    """Lifecycle of a model at its provider."""

    AVAILABLE = "available"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class CostEstimate(_Row):
    """An estimated cost and the rule it came from, so estimate and actual can be compared.

    A generate stage's estimate covers all its takes: ``usd`` is their total, ``rule`` prices
    one call, and ``takes`` says how many; :attr:`label` reads them together.
    """

    usd: float = Field(ge=0)
    rule: str = Field(description="Human-readable pricing rule, e.g. '$0.40/s x 8 s (Veo 3.1)'.")
    takes: int = Field(
        1, ge=1, description="Calls (takes) the estimate covers; usd is their total."
    )

    @property
    def label(self) -> str:
        """The rule as people read it: '$0.40/s x 8 s (Veo 3.1) x 3 takes'."""
        return f"{self.rule} x {self.takes} takes" if self.takes > 1 else self.rule

    def per_take(self) -> CostEstimate:
        """One call's share."""
        if self.takes == 1:
            return self
        return CostEstimate(usd=round(self.usd / self.takes, 6), rule=self.rule)

    def times(self, takes: int) -> CostEstimate:
        """The same call made ``takes`` times."""
        one = self.per_take()
        if takes <= 1:
            return one
        return CostEstimate(usd=round(one.usd * takes, 6), rule=one.rule, takes=takes)


class Pricing(_Row):
    """A model's published price: a rule, a unit price and where it was read."""

    rule: PricingRule
    usd: float = Field(0.0, ge=0, description="Unit price in USD for the rule.")
    # Per-resolution multipliers, e.g. {"4k": 2.0}; missing resolutions use 1.0.
    resolution_factor: dict[str, float] = Field(default_factory=dict)
    source: str = Field("", description="Where the price was read (provider page, SDK, ...).")

    def estimate(
        self,
        *,
        seconds: float = 0.0,
        images: int = 1,
        chars: int = 0,
        tokens: int = 0,
        resolution: str | None = None,
        label: str = "",
    ) -> CostEstimate:
        """Cost of one call under this rule."""
        factor = self.resolution_factor.get(resolution or "", 1.0)
        tag = f" ({label})" if label else ""
        res = f" at {resolution} x{factor:g}" if factor != 1.0 else ""
        match self.rule:
            case PricingRule.FREE:
                return CostEstimate(usd=0.0, rule=f"free{tag}")
            case PricingRule.PER_SECOND:
                usd = self.usd * seconds * factor
                text = f"${self.usd:g}/s x {seconds:g} s{res}{tag}"
            case PricingRule.PER_CLIP:
                usd = self.usd * factor
                text = f"${self.usd:g} per clip{res}{tag}"
            case PricingRule.PER_IMAGE:
                usd = self.usd * images * factor
                text = f"${self.usd:g}/image x {images}{res}{tag}"
            case PricingRule.PER_1K_CHARS:
                usd = self.usd * chars / 1000
                text = f"${self.usd:g}/1k chars x {chars}{tag}"
            case PricingRule.PER_1M_TOKENS:
                usd = self.usd * tokens / 1_000_000
                text = f"${self.usd:g}/1M tokens x {tokens}{tag}"
        return CostEstimate(usd=round(usd, 6), rule=text)


class Latency(_Row):
    """Expected wall time of one call: ``base + per_output_second * seconds``, with spread."""

    base_s: float = Field(ge=0)
    per_output_second_s: float = Field(0.0, ge=0)
    spread: float = Field(0.5, ge=0, description="Coefficient of variation (stdev / mean).")
    source: str = ""

    def estimate(self, output_seconds: float = 0.0) -> float:
        """Mean seconds for a call producing ``output_seconds`` of media."""
        return self.base_s + self.per_output_second_s * output_seconds


class Score(_Row):
    """A prior score on one axis (0..1) and where it comes from."""

    value: float = Field(ge=0, le=1)
    source: str = Field(min_length=1, description="Public arena, benchmark, or 'team estimate'.")


class Inputs(_Row):
    """What a model accepts besides the prompt."""

    first_frame: bool = False
    last_frame: bool = False
    reference_images: int = Field(0, ge=0, description="How many reference images, 0 = none.")
    camera_control: bool = False
    negative_prompt: bool = False
    seed: bool = False
    audio: bool = Field(False, description="Takes an audio track (lip sync).")
    video: bool = Field(False, description="Takes a video (edit, lip sync, upscale).")
    native_audio: bool = Field(False, description="Generates its own sound and speech.")


class ModelProfile(_Row):
    """One model: what it does, within which limits, how well, for how much, how fast."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Catalog id, e.g. veo-3.1.")
    provider: str = Field(min_length=1, description="Adapter name, e.g. runway, fal, local.")
    name: str = Field(min_length=1, description="Display name.")
    api_model: str = Field(min_length=1, description="The provider's own model identifier.")
    endpoints: dict[Task, str] = Field(
        default_factory=dict,
        description="Per-task provider model id where it differs from api_model (fal paths).",
    )
    family: str = Field("", description="Model family; faster siblings share it.")
    tasks: list[Task] = Field(min_length=1)
    durations: list[float] = Field(
        default_factory=list, description="Supported clip lengths in seconds (empty = any)."
    )
    min_duration: float | None = Field(None, gt=0, description="Range form, with max_duration.")
    max_duration: float | None = Field(None, gt=0)
    resolutions: list[str] = Field(default_factory=list, description="e.g. 720p, 1080p.")
    aspect_ratios: list[str] = Field(default_factory=list, description="Empty = any.")
    fps: int | None = Field(None, description="Native output frame rate, when fixed.")
    inputs: Inputs = Field(default_factory=Inputs)
    scores: dict[str, Score] = Field(default_factory=dict)
    pricing: Pricing
    latency: Latency
    concurrency: int = Field(1, ge=1, description="Jobs in flight at once on one account.")
    dialect: str = Field("plain", description="Prompt dialect name (see prompts/).")
    prompt_limit: int = Field(2000, ge=1, description="Characters the prompt may hold.")
    local: bool = Field(False, description="Runs on this machine (the embedded default).")
    draft: bool = Field(
        False,
        description=(
            "Renders previs-grade drafts (blocking, camera moves on a still): ranked only under "
            "the previs preset; otherwise a last resort when no other model can do the stage."
        ),
    )
    status: ModelStatus = Field(
        ModelStatus.AVAILABLE,
        description="deprecated: only a last fallback, never a primary route; retired: unused.",
    )
    env: list[str] = Field(default_factory=list, description="Environment variables it needs.")
    bills_failed: bool = Field(
        False,
        description=(
            "The provider charges for a job that fails remotely: a remote failure is then "
            "never retried automatically on this model (the route falls back instead)."
        ),
    )
    notes: str = ""

    @field_validator("scores")
    @classmethod
    def _axes(cls, v: dict[str, Score]) -> dict[str, Score]:
        unknown = set(v) - set(AXES)
        if unknown:
            raise ValueError(f"unknown score axes {sorted(unknown)}; axes are {', '.join(AXES)}")
        return v

    @field_validator("resolutions")
    @classmethod
    def _resolutions(cls, v: list[str]) -> list[str]:
        bad = [r for r in v if r not in RESOLUTIONS]
        if bad:
            raise ValueError(f"unknown resolutions {bad}; use {', '.join(RESOLUTIONS)}")
        return v

    @model_validator(mode="after")
    def _range(self) -> ModelProfile:
        if (self.min_duration is None) != (self.max_duration is None):
            raise ValueError("give both min_duration and max_duration, or neither")
        if self.min_duration and self.max_duration and self.min_duration > self.max_duration:
            raise ValueError("min_duration is larger than max_duration")
        stray = [t.value for t in self.endpoints if t not in self.tasks]
        if stray:
            raise ValueError(f"endpoints name tasks the model does not list in tasks: {stray}")
        return self

    def score(self, axis: str) -> float:
        """Prior score on an axis; 0.5 (unknown) when the catalog gives none."""
        s = self.scores.get(axis)
        return s.value if s is not None else 0.5

    def does(self, task: Task) -> bool:
        """Whether the model performs this task."""
        return task in self.tasks

    def endpoint(self, task: Task) -> str:
        """The provider's model id for ``task``: its entry in ``endpoints``, else ``api_model``."""
        return self.endpoints.get(task, self.api_model)

    def clip_length(self, seconds: float) -> float | None:
        """Length to request for a shot of ``seconds`` (trimmed after), or None if impossible.

        Discrete durations: the shortest one at least as long as the shot. Range form: the
        shot's own length, rounded up to a whole second, within the range.
        """
        if self.durations:
            fits = [d for d in sorted(self.durations) if d + 1e-9 >= seconds]
            return fits[0] if fits else None
        if self.min_duration is not None and self.max_duration is not None:
            want = max(self.min_duration, float(int(-(-seconds // 1))))
            return want if want <= self.max_duration + 1e-9 else None
        return seconds

    @property
    def max_height(self) -> int:
        """Tallest output resolution in pixels (0 when unspecified)."""
        return max((RESOLUTIONS[r] for r in self.resolutions), default=0)
