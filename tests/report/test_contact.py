"""The contact sheet: a labelled frame of every shot in a grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from report_tiny import SHOT_IDS
from typer.testing import CliRunner

from shotrelay.cli import app
from shotrelay.report.contact import contact_sheet, write_contact_sheet
from shotrelay.report.data import gather

# Tile geometry of the sheet (see report/contact.py): 8 px padding, 22 px label.
TILE_W, TILE_H, PAD, LABEL = 160, 90, 8, 22


def tile(img: Image.Image, index: int, columns: int) -> np.ndarray:
    x = PAD + (index % columns) * (TILE_W + PAD)
    y = PAD + (index // columns) * (TILE_H + LABEL + PAD)
    return np.asarray(img.crop((x, y, x + TILE_W, y + TILE_H)).convert("L"), dtype=np.float64)


def test_sheet_has_a_tile_per_shot_in_a_grid(ran_project: Path) -> None:
    sheet = contact_sheet(gather(ran_project, route=False), columns=2, width=TILE_W)
    assert sheet.size == (2 * (TILE_W + PAD) + PAD, 2 * (TILE_H + LABEL + PAD) + PAD)
    for i in range(len(SHOT_IDS)):
        assert tile(sheet, i, 2).std() > 5, f"tile {i} is flat"
    # The fourth cell of the 2x2 grid is empty background.
    assert tile(sheet, 3, 2).std() == 0


def test_unrun_project_gets_placeholder_tiles(fresh_project: Path) -> None:
    sheet = contact_sheet(gather(fresh_project, route=False), columns=4, width=TILE_W)
    assert sheet.size[0] == 3 * (TILE_W + PAD) + PAD
    grey = tile(sheet, 0, 3)
    assert np.median(grey) > 50  # the "not made yet" panel, not the dark background


def test_contact_sheet_command(ran_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.png"
    result = CliRunner().invoke(app, ["contact-sheet", str(ran_project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as img:
        assert img.format == "PNG" and img.size[0] > 3 * 320
    assert write_contact_sheet(ran_project).name == "contact-sheet.png"
