"""Combo boxes that may shrink to a few characters, so a filter row fits a 1280 px window."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def make_compact(chars: int, *combos: QComboBox) -> None:
    """Let ``combos`` narrow down to ``chars`` characters (longer entries show in the drop-down)."""
    for combo in combos:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
