"""Putting «Листы раскроя» into the main window (its own screen until the constructor's
workstation screen carries it), and ``--show cutsheet:N``."""
from __future__ import annotations

from ui.cutsheets.screen import CutSheetsScreen


def install_cutsheets(window) -> CutSheetsScreen:
    """Add the cut-sheet screen to ``window`` (first on the constructor's workstation)."""
    screen = CutSheetsScreen(window)
    window.add_screen("cutsheets", "Листы раскроя", screen)
    if window.workstation == "constructor":
        window.show_screen("cutsheets")
    return screen


def show_cutsheet(window, what: str | None) -> None:
    """Open cut sheet N for ``--show cutsheet:N``."""
    if what and what.startswith("cutsheet:"):
        screen = window.show_screen("cutsheets")
        screen.open_sheet(int(what.split(":", 1)[1]))
