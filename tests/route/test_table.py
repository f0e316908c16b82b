"""The numpy catalog table agrees with ModelProfile's own clip_length and Pricing.estimate."""

from __future__ import annotations

import numpy as np
import pytest
from route_models import MakeModel

from shotrelay.catalog.profile import Pricing
from shotrelay.route.table import ModelTable, output_resolution
from shotrelay.spec.models import Format


def test_clip_lengths_match_clip_length_for_every_form(mk: MakeModel) -> None:
    models = [
        mk("discrete", durations=[4, 6, 8]),
        mk("range", durations=[], min_duration=3, max_duration=10),
        mk("any", durations=[]),
    ]
    table = ModelTable.build(models, Format())
    for seconds in (0.5, 3.2, 4.0, 6.01, 8.0, 9.5, 10.2, 12.0):
        got = table.clip_lengths(seconds)
        want = [m.clip_length(seconds) for m in models]
        assert [None if np.isnan(g) else g for g in got] == want, seconds


@pytest.mark.parametrize(
    "rule", ["free", "per_second", "per_clip", "per_image", "per_1k_chars", "per_1m_tokens"]
)
def test_costs_match_pricing_estimate_for_every_rule(mk: MakeModel, rule: str) -> None:
    model = mk("m", rule=rule, usd=0.37, resolutions=["720p", "1080p"])
    model = model.model_copy(
        update={"pricing": Pricing(rule=rule, usd=0.37, resolution_factor={"1080p": 1.5})}  # type: ignore[arg-type]
    )
    table = ModelTable.build([model], Format(resolution="1080p"))
    got = table.costs(np.array([7.0]), images=2, chars=1234, tokens=5000)[0]
    want = model.pricing.estimate(
        seconds=7.0, images=2, chars=1234, tokens=5000, resolution="1080p"
    ).usd
    assert got == pytest.approx(want)


def test_output_resolution_is_the_smallest_that_reaches_the_project(mk: MakeModel) -> None:
    fmt = Format(resolution="1080p")
    assert output_resolution(mk("a", resolutions=["720p", "1080p", "4k"]), fmt) == "1080p"
    assert output_resolution(mk("b", resolutions=["540p", "720p"]), fmt) == "720p"
    assert output_resolution(mk("c", resolutions=[]), fmt) == "1080p"
