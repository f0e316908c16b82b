"""Rows for a `shotrelay models` table, so the CLI only prints them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shotrelay.catalog.catalog import Catalog
from shotrelay.catalog.profile import ModelProfile, Pricing, PricingRule
from shotrelay.spec.vocabulary import AXES, Task

__all__ = [
    "ModelRow",
    "SourceRow",
    "duration_text",
    "latency_text",
    "model_rows",
    "price_text",
    "score_sources",
    "source_rows",
    "strengths",
]

_UNITS: dict[PricingRule, str] = {
    PricingRule.PER_SECOND: "/s",
    PricingRule.PER_CLIP: "/clip",
    PricingRule.PER_IMAGE: "/image",
    PricingRule.PER_1K_CHARS: "/1k chars",
    PricingRule.PER_1M_TOKENS: "/1M tokens",
}


class ModelRow(BaseModel):
    """One line of the models table, every cell already text (or a short list)."""

    model_config = ConfigDict(frozen=True)

    id: str
    provider: str
    tasks: list[str]
    durations: str
    resolutions: str
    price: str
    latency: str
    status: str
    strengths: list[str]


def model_rows(
    catalog: Catalog, task: Task | str | None = None, provider: str | None = None
) -> list[ModelRow]:
    """The catalog's models (optionally one task or provider) as table rows, in catalog order."""
    return [_row(m) for m in catalog.filter(task=task, provider=provider)]


class SourceRow(BaseModel):
    """Where one model's figures came from (``shotrelay models --sources``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    provider: str
    status: str
    price: str
    price_source: str
    latency_source: str
    score_sources: list[str]


def source_rows(
    catalog: Catalog, task: Task | str | None = None, provider: str | None = None
) -> list[SourceRow]:
    """The catalog's models (optionally one task or provider) with the source of each figure."""
    return [
        SourceRow(
            id=m.id,
            provider=m.provider,
            status=m.status.value,
            price=price_text(m.pricing),
            price_source=m.pricing.source or "-",
            latency_source=m.latency.source or "-",
            score_sources=score_sources(m),
        )
        for m in catalog.filter(task=task, provider=provider)
    ]


def score_sources(m: ModelProfile) -> list[str]:
    """'axis, axis: source' per distinct score source, axes in the usual order."""
    by_source: dict[str, list[str]] = {}
    for axis in AXES:
        if axis in m.scores:
            by_source.setdefault(m.scores[axis].source or "-", []).append(axis)
    return [f"{', '.join(axes)}: {source}" for source, axes in by_source.items()]


def _row(m: ModelProfile) -> ModelRow:
    return ModelRow(
        id=m.id,
        provider=m.provider,
        tasks=[t.value for t in m.tasks],
        durations=duration_text(m),
        resolutions=", ".join(m.resolutions) or "-",
        price=price_text(m.pricing),
        latency=latency_text(m),
        status=m.status.value,
        strengths=strengths(m),
    )


def duration_text(m: ModelProfile) -> str:
    """'4/6/8 s', '2-10 s', or '-' for models whose output length is not a choice."""
    if m.durations:
        return "/".join(f"{d:g}" for d in sorted(m.durations)) + " s"
    if m.min_duration is not None and m.max_duration is not None:
        return f"{m.min_duration:g}-{m.max_duration:g} s"
    return "any" if _makes_clips(m) else "-"


def price_text(p: Pricing) -> str:
    """'$0.4/s (4k x1.5)', '$0.025/image', 'free'..."""
    if p.rule is PricingRule.FREE:
        return "free"
    text = f"${p.usd:g}{_UNITS[p.rule]}"
    factors = ", ".join(f"{res} x{f:g}" for res, f in p.resolution_factor.items())
    return f"{text} ({factors})" if factors else text


def latency_text(m: ModelProfile) -> str:
    """Mean wall time: '~2m 16s per 8 s clip' for clip models, else '~30 s'."""
    if m.latency.per_output_second_s > 0:
        seconds = _typical_length(m)
        return f"~{_clock(m.latency.estimate(seconds))} per {seconds:g} s"
    return f"~{_clock(m.latency.base_s)}"


def strengths(m: ModelProfile, top: int = 3, floor: float = 0.75) -> list[str]:
    """The model's best axes (score >= ``floor``), highest first, at most ``top``."""
    scored = [(m.scores[a].value, -i, a) for i, a in enumerate(AXES) if a in m.scores]
    best = sorted((s for s in scored if s[0] >= floor), reverse=True)
    return [axis for _, _, axis in best[:top]]


def _makes_clips(m: ModelProfile) -> bool:
    return any(t in (Task.IMAGE_TO_VIDEO, Task.TEXT_TO_VIDEO) for t in m.tasks)


def _typical_length(m: ModelProfile) -> float:
    """A representative output length: the model's 5 s-ish clip, else 5 s."""
    return m.clip_length(5.0) or (max(m.durations) if m.durations else 5.0)


def _clock(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"
