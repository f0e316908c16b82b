"""The animatic is cut at preview size; the final cut at the project's format."""

from __future__ import annotations

from pathlib import Path

from shotrelay.relay.output import cut_format
from shotrelay.relay.run import run
from shotrelay.spec.models import Format
from shotrelay.testing import LOCAL_MODELS, FakeCutter, FakeProvider, hooks

PROJECT = """name: ad
format: {aspect: "9:16", resolution: 1080p, fps: 24}
shots:
  - {id: a, duration: 2, subject: a cat}
"""


class Catalog:
    def __init__(self) -> None:
        self.models = LOCAL_MODELS


def test_the_animatic_is_cut_at_preview_size_and_the_final_at_full(tmp_path: Path) -> None:
    file = tmp_path / "ad.yaml"
    file.write_text(PROJECT)
    cutter = FakeCutter()
    result = run(
        file,
        providers={"local": FakeProvider("local")},
        catalog=Catalog(),
        hooks=hooks(cutter),
        auto_approve=True,
    )
    assert result.status == "done", result.failures
    animatic, final = cutter.formats
    assert (animatic.width, animatic.height) == (540, 960) and animatic.fps == 24
    assert (final.width, final.height) == (1080, 1920)


def test_a_small_format_is_not_scaled_up_for_the_animatic() -> None:
    small = Format(resolution="360p")
    assert cut_format("animatic", small) == small
    assert cut_format("final", Format()) == Format()
