"""The cut: timeline assembly from finished shots."""

from shotrelay.edit.cut import CutItem, assemble_cut, plan_segments

__all__ = ["CutItem", "assemble_cut", "plan_segments"]
