"""The cut: timeline assembly from finished shots."""

from shotrelay.edit.cut import CutItem, assemble_cut, plan_segments
from shotrelay.edit.record import CutEntry, CutRecord

__all__ = ["CutEntry", "CutItem", "CutRecord", "assemble_cut", "plan_segments"]
