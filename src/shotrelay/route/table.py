"""The catalog as numpy arrays, built once per (catalog, project), for fast per-shot routing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from shotrelay.catalog.profile import ModelProfile, ModelStatus, PricingRule
from shotrelay.learn.posterior import Learned
from shotrelay.route.policy import QUALITY_AXES
from shotrelay.route.stages import needs_interpolate, needs_upscale, takes_first_frame
from shotrelay.spec.models import RESOLUTIONS, Format
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["ModelTable", "output_resolution"]

_RULES = list(PricingRule)
_TASKS = list(Task)
# Rules whose unit price is multiplied by the per-resolution factor.
_FACTORED = {PricingRule.PER_SECOND, PricingRule.PER_CLIP, PricingRule.PER_IMAGE}


def output_resolution(model: ModelProfile, fmt: Format) -> str:
    """The resolution to request: the smallest the model offers at or above the project's,
    else its largest (to be upscaled); the project's own when the model lists none."""
    if not model.resolutions:
        return fmt.resolution
    want = RESOLUTIONS[fmt.resolution]
    ranked = sorted(model.resolutions, key=RESOLUTIONS.__getitem__)
    return next((r for r in ranked if RESOLUTIONS[r] >= want), ranked[-1])


def _task_bits(model: ModelProfile) -> int:
    return sum(1 << _TASKS.index(t) for t in model.tasks)


@dataclass
class ModelTable:
    """Per-model arrays: capabilities, scores, price and latency parameters."""

    models: tuple[ModelProfile, ...]
    fmt: Format
    index: dict[str, int]
    tasks: np.ndarray
    retired: np.ndarray
    deprecated: np.ndarray
    local: np.ndarray
    draft: np.ndarray
    provider: np.ndarray
    quality: np.ndarray
    text_only: np.ndarray
    first_frame: np.ndarray
    lipsync_inputs: np.ndarray
    native_audio: np.ndarray
    references: np.ndarray
    aspect_ok: np.ndarray
    max_height: np.ndarray
    low_res: np.ndarray
    low_fps: np.ndarray
    resolution: list[str]
    price_rule: np.ndarray
    price_usd: np.ndarray
    price_factor: np.ndarray
    lat_base: np.ndarray
    lat_per_s: np.ndarray
    _durations: np.ndarray
    _range: np.ndarray
    _range_min: np.ndarray
    _range_max: np.ndarray
    _clip_cache: dict[float, np.ndarray] = field(default_factory=dict)
    _price: dict[PricingRule, np.ndarray] = field(default_factory=dict)
    #: Learned quality per shot class (posteriors from shotrelay.learn), and what it says.
    learned: Learned | None = None
    _learned_quality: dict[str, np.ndarray] = field(default_factory=dict)

    def quality_for(self, shot_class: str) -> np.ndarray:
        """The quality matrix for a class of shot: the catalog priors moved by evidence."""
        if self.learned is None or not len(self.learned):
            return self.quality
        if shot_class not in self._learned_quality:
            q = self.quality.copy()
            for i, m in enumerate(self.models):
                for p in self.learned.for_model(m.id, shot_class):
                    if p.axis in QUALITY_AXES:
                        q[i, QUALITY_AXES.index(p.axis)] = p.value
            self._learned_quality[shot_class] = q
        return self._learned_quality[shot_class]

    def learned_reasons(self, model_id: str, shot_class: str) -> list[str]:
        """What evidence moved this model's scores for this class of shot, in words."""
        if self.learned is None:
            return []
        return [p.reason() for p in self.learned.evidence(model_id, shot_class)]

    def __post_init__(self) -> None:
        # Unit price per rule (zero for models on another rule), resolution factor included.
        unit = self.price_usd * self.price_factor
        self._price = {r: np.where(self.price_rule == _RULES.index(r), unit, 0.0) for r in _RULES}

    @classmethod
    def build(cls, models: Sequence[ModelProfile], fmt: Format) -> ModelTable:
        """Arrays for these models under this delivery format."""
        ms = tuple(models)
        res = [output_resolution(m, fmt) for m in ms]
        width = max((len(m.durations) for m in ms), default=0) or 1
        durs = np.full((len(ms), width), np.nan)
        for i, m in enumerate(ms):
            durs[i, : len(m.durations)] = sorted(m.durations)

        def arr(fn: Callable[[ModelProfile], object], dtype: type = float) -> np.ndarray:
            return np.array([fn(m) for m in ms], dtype=dtype)

        return cls(
            models=ms,
            fmt=fmt,
            index={m.id: i for i, m in enumerate(ms)},
            tasks=arr(_task_bits, np.int64),
            retired=arr(lambda m: m.status == ModelStatus.RETIRED, bool),
            deprecated=arr(lambda m: m.status == ModelStatus.DEPRECATED, bool),
            local=arr(lambda m: m.local, bool),
            draft=arr(lambda m: m.draft, bool),
            provider=arr(lambda m: m.provider, object),
            quality=np.array([[m.score(a) for a in QUALITY_AXES] for m in ms]).reshape(
                len(ms), len(QUALITY_AXES)
            ),
            text_only=arr(lambda m: not takes_first_frame(m), bool),
            first_frame=arr(takes_first_frame, bool),
            lipsync_inputs=arr(lambda m: m.inputs.audio and m.inputs.video, bool),
            native_audio=arr(lambda m: m.inputs.native_audio, bool),
            references=arr(lambda m: m.inputs.reference_images, np.int64),
            aspect_ok=arr(lambda m: not m.aspect_ratios or fmt.aspect in m.aspect_ratios, bool),
            max_height=arr(lambda m: m.max_height, np.int64),
            low_res=arr(lambda m: needs_upscale(m, fmt), bool),
            low_fps=arr(lambda m: needs_interpolate(m, fmt), bool),
            resolution=res,
            price_rule=arr(lambda m: _RULES.index(m.pricing.rule), np.int64),
            price_usd=arr(lambda m: m.pricing.usd),
            price_factor=np.array(
                [
                    m.pricing.resolution_factor.get(r, 1.0) if m.pricing.rule in _FACTORED else 1.0
                    for m, r in zip(ms, res, strict=True)
                ]
            ),
            lat_base=arr(lambda m: m.latency.base_s),
            lat_per_s=arr(lambda m: m.latency.per_output_second_s),
            _durations=durs,
            _range=arr(lambda m: not m.durations and m.min_duration is not None, bool),
            _range_min=arr(lambda m: m.min_duration or 0.0),
            _range_max=arr(lambda m: m.max_duration or 0.0),
        )

    def __len__(self) -> int:
        return len(self.models)

    def does(self, stage: Stage) -> np.ndarray:
        """Mask of models that perform any task of this stage."""
        bits = sum(1 << _TASKS.index(t) for t in stage.tasks)
        out: np.ndarray = (self.tasks & bits) != 0
        return out

    def does_task(self, task: Task) -> np.ndarray:
        """Mask of models that perform this task."""
        out: np.ndarray = (self.tasks & (1 << _TASKS.index(task))) != 0
        return out

    def clip_lengths(self, seconds: float) -> np.ndarray:
        """ModelProfile.clip_length for every model at once; NaN where impossible."""
        hit = self._clip_cache.get(seconds)
        if hit is not None:
            return hit
        out = np.full(len(self.models), float(seconds))
        with np.errstate(invalid="ignore"):
            fits = np.where(self._durations + 1e-9 >= seconds, self._durations, np.inf)
        discrete = ~np.isnan(self._durations[:, 0])
        best = fits.min(axis=1)
        out[discrete] = np.where(np.isinf(best), np.nan, best)[discrete]
        want = np.maximum(self._range_min, float(np.ceil(seconds)))
        ranged = np.where(want <= self._range_max + 1e-9, want, np.nan)
        out[self._range] = ranged[self._range]
        self._clip_cache[seconds] = out
        return out

    def costs(
        self, seconds: np.ndarray, *, images: int = 1, chars: int = 0, tokens: int = 0
    ) -> np.ndarray:
        """Pricing.estimate(...).usd for every model, given billed seconds per model."""
        p = self._price
        raw = (
            p[PricingRule.PER_SECOND] * seconds
            + p[PricingRule.PER_CLIP]
            + p[PricingRule.PER_IMAGE] * images
            + p[PricingRule.PER_1K_CHARS] * (chars / 1000)
            + p[PricingRule.PER_1M_TOKENS] * (tokens / 1_000_000)
        )
        out: np.ndarray = np.round(raw, 6)
        return out

    def latencies(self, seconds: np.ndarray) -> np.ndarray:
        """Latency.estimate for every model, given output seconds per model."""
        out: np.ndarray = self.lat_base + self.lat_per_s * seconds
        return out
