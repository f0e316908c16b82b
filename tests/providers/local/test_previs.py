from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shotrelay.providers.local.previs import layout_for, read_layout, render_previs, save_previs
from shotrelay.spec.models import Shot
from shotrelay.spec.vocabulary import Framing, Role

PALETTE = ["#102030", "#406050", "#e0a040", "#c04030"]
ORDER = [
    Framing.EXTREME_WIDE,
    Framing.WIDE,
    Framing.FULL,
    Framing.MEDIUM,
    Framing.MEDIUM_CLOSE,
    Framing.CLOSE_UP,
    Framing.EXTREME_CLOSE_UP,
]


def _count(img: np.ndarray, hex_color: str) -> int:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img.astype(int) - rgb).sum(axis=2) == 0).sum())


def _shot(**kw: object) -> Shot:
    return Shot.model_validate({"id": "s1", "duration": 2, "subject": "Maya", **kw})


def test_previs_has_the_requested_size() -> None:
    img, _ = render_previs(_shot(), width=320, height=180, palette=PALETTE)
    assert img.size == (320, 180) and img.mode == "RGB"


def test_subject_area_grows_from_wide_to_close_up() -> None:
    areas = []
    for framing in ORDER:
        img, _ = render_previs(_shot(framing=framing), width=320, height=180, palette=PALETTE)
        areas.append(_count(np.asarray(img), PALETTE[2]))
    assert areas == sorted(areas) and len(set(areas)) == len(areas)
    assert areas[0] < 0.01 * 320 * 180 < 0.4 * 320 * 180 < areas[-1]


def test_palette_colours_appear() -> None:
    img, _ = render_previs(_shot(framing="medium"), width=320, height=180, palette=PALETTE)
    arr = np.asarray(img)
    for color in PALETTE[:3]:
        assert _count(arr, color) > 200, color


def test_each_character_is_a_distinct_proxy() -> None:
    shot = _shot(framing="wide", characters=["Ana", "Ben"], role="dialogue")
    layout = layout_for(shot, PALETTE)
    assert [s.name for s in layout.subjects] == ["Ana", "Ben"]
    assert layout.subjects[0].color != layout.subjects[1].color
    assert layout.subjects[0].x1 <= layout.subjects[1].x0  # side by side, not stacked
    img, _ = render_previs(shot, width=320, height=180, palette=PALETTE)
    assert _count(np.asarray(img), PALETTE[2]) > 50 and _count(np.asarray(img), PALETTE[3]) > 50


def test_product_shot_without_people_draws_an_object() -> None:
    layout = layout_for(_shot(role=Role.PRODUCT, framing="close-up"))
    assert [s.kind for s in layout.subjects] == ["object"]


@pytest.mark.parametrize(
    ("words", "brighter"), [("key from left", "left"), ("key light right", "right")]
)
def test_key_light_side_is_brighter(words: str, brighter: str) -> None:
    img, _ = render_previs(_shot(lighting=words), width=320, height=180, palette=PALETTE)
    scene = np.asarray(img, np.float64)[20:140]  # above the caption strip
    left, right = scene[:, :100].mean(), scene[:, -100:].mean()
    assert (left > right) if brighter == "left" else (right > left)


def test_low_key_is_darker_than_flat_light() -> None:
    flat, _ = render_previs(_shot(), width=160, height=90, palette=PALETTE)
    low, _ = render_previs(_shot(lighting="low-key night"), width=160, height=90, palette=PALETTE)
    assert np.asarray(low).mean() < 0.8 * np.asarray(flat).mean()


def test_caption_strip_and_guides_are_drawn() -> None:
    img, layout = render_previs(_shot(action="types a note"), width=320, height=180)
    arr = np.asarray(img)
    assert layout.caption[0].startswith("s1 | b-roll | medium | static")
    assert "Maya - types a note" in layout.caption[1]
    strip = arr[-18:]
    assert (strip < 20).mean() > 0.5 and (strip > 200).any()  # dark band with light text
    assert (arr[int(180 * 0.05), 40:280] > 200).all(axis=1).any()  # title-safe dashes


def test_layout_round_trips_through_the_png(tmp_path: Path) -> None:
    img, layout = render_previs(_shot(characters=["Ana"]), width=160, height=90)
    path = save_previs(img, layout, tmp_path / "k.png")
    assert read_layout(path) == layout


def test_same_shot_and_seed_draws_the_same_picture() -> None:
    shot = _shot(setting="loft office")
    a, _ = render_previs(shot, width=160, height=90, seed=4)
    b, _ = render_previs(shot, width=160, height=90, seed=4)
    assert np.array_equal(np.asarray(a), np.asarray(b))
