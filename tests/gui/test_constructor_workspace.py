"""The constructor's workspace at 1600×900: a cut sheet's layouts get most of the screen, the queue
and the lists show their columns without scrolling sideways."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from tests.gui.test_window_fit import _main_window, demo  # noqa: F401  (the fixture)
from ui.common import window_fit
from ui.cutsheets.install import show_cutsheet


def test_layouts_get_most_of_the_screen_and_lists_fit(qtbot, demo, own_qsettings, monkeypatch):  # noqa: F811
    monkeypatch.setattr(window_fit, "_simulated", QSize(1600, 900))
    window = _main_window(demo, "constructor", "constructor")
    qtbot.addWidget(window)
    window_fit.fill_screen(window)
    window.show()
    show_cutsheet(window, "cutsheet:1")
    QApplication.processEvents()
    screen = window.cutsheets
    assert screen.sheet_tabs.currentWidget() is screen.layouts  # «Раскрой» first
    view = screen.layouts.view
    assert view.height() >= 0.6 * window.height() and view.width() >= 0.6 * window.width()
    queue = window.screen_widget("constructor").orders_view
    for table in (queue, screen.orders_view, screen.sheets_view, screen.sheet_orders_view):
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width() + 1, table.objectName()
        assert all(header.sectionSize(i) >= 24 for i in range(header.count())), table.objectName()
    model_column = queue.horizontalHeader().sectionSize(2)
    assert model_column < 0.5 * queue.width()  # the bed's name takes no half of the queue
