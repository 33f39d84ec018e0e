"""Putting «Листы раскроя» into the main window: on the constructor's workstation as a panel under
the constructor's queue (following the order selected there), elsewhere as a screen of its own; the
store of offcuts «Остатки» as a screen; ``--show cutsheet:N``, ``--show offcuts`` and
``--show cutdone:N``."""
from __future__ import annotations

from ui.cutsheets.offcuts_screen import OffcutsScreen
from ui.cutsheets.screen import CutSheetsScreen

TITLE = "Листы раскроя"
OFFCUTS_KEY, OFFCUTS_TITLE = "offcuts", "Остатки"


def _constructor_screen(window):
    try:
        return window.screen_widget("constructor")
    except KeyError:
        return None


def install_cutsheets(window) -> CutSheetsScreen | None:
    """Add the cut-sheet screen to ``window`` (after the workstation's own screens are in place)."""
    if window.workstation == "workshop":
        return None
    screen = CutSheetsScreen(window)
    window.cutsheets = screen
    host = _constructor_screen(window)
    if host is not None:  # the lists under the queue, the open sheet filling the right
        lists = screen.lists_apart()
        host.add_panel(TITLE, lists)
        host.panels.setCurrentWidget(lists)
        host.set_sheet_area(screen)
        host.order_selected.connect(screen.focus_order)
    else:
        window.add_screen("cutsheets", TITLE, screen)
    window.add_screen(OFFCUTS_KEY, OFFCUTS_TITLE, OffcutsScreen(window))
    return screen


def show_cutsheet(window, what: str | None) -> None:
    """Open cut sheet N for ``--show cutsheet:N``; ``cutsheet:N:layouts`` shows its cut layouts
    (computed before returning, for the screenshot); ``offcuts`` shows «Остатки»."""
    if getattr(window, "cutsheets", None) is None:
        return
    if what == OFFCUTS_KEY:
        window.show_screen(OFFCUTS_KEY)
        return
    if not (what and what.startswith("cutsheet:")):
        return
    screen = window.cutsheets
    host = _constructor_screen(window)
    if host is not None:
        window.show_screen("constructor")
        host.panels.setCurrentWidget(screen.left)
    else:
        window.show_screen("cutsheets")
    _, number, *tab = what.split(":")
    screen.open_sheet(int(number))
    if tab == ["layouts"]:
        screen.sheet_tabs.setCurrentWidget(screen.layouts)
        screen.layouts.compute_now()


def show_cut_done(window, what: str):
    """``--show cutdone:N``: the «Раскроено» dialog of cut sheet N (its layouts computed first)."""
    from app.services.sheet_plans import planned_sheet
    from ui.cutsheets.cut_done import CutDoneDialog

    number = int(what.split(":")[1])
    plan = planned_sheet(number).plan
    return CutDoneDialog(window, number, plan.new_offcuts(), plan.offcuts_used)
