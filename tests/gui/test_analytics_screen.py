"""«Аналитика»: the screen shows the report's tables cell for cell, a click on a bar lists that row's
deals and a double click opens the card; the production chief sees the workshop part without money;
the screen is only there for those allowed."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from app.queries.analytics import build_report
from app.queries.analytics_tables import tables
from tests.domain.analytics_helpers import JUNE, history_deal, june
from tests.gui.qt_settings import own_settings  # noqa: F401 (autouse fixture)
from ui.analytics.install import install_analytics
from ui.shell.main_window import MainWindow


@pytest.fixture
def shop(staff, fake_clock):
    fake_clock.at = datetime(2025, 7, 1, 9, 0)
    history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("paid", june(5)), ("sawing", june(9)),
                     ("shipped", june(20))], budget=47_070, debt=27_070, ship_deadline=date(2025, 6, 18))
    history_deal(2, [("new", june(2)), ("first_contact", june(4)), ("lost", june(8))], source="сайт")
    history_deal(3, [("new", june(3))], kind="individual")
    return staff


def open_screen(qtbot, user):
    window = MainWindow(user)
    install_analytics(window)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    screen = window.show_screen("analytics")
    screen.since.setDate(QDate(2025, 6, 1))
    screen.until.setDate(QDate(2025, 6, 30))
    return window, screen


def shown_texts(page) -> list[list[str]]:
    model = page.model
    return [[model.index(row, column).data() for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_the_screen_shows_the_reports_figures_and_a_bar_click_lists_its_deals(qtbot, shop, monkeypatch):
    window, screen = open_screen(qtbot, shop["manager"])
    expected = tables(build_report(shop["manager"], JUNE))
    assert list(screen.pages) == [table.key for table in expected]
    for table in expected:
        assert shown_texts(screen.pages[table.key]) == table.texts(), table.key
    page = screen.pages["funnel"]
    screen.tabs.setCurrentWidget(page)
    QApplication.processEvents()
    plot = page.chart.plot
    centre = plot.mapFromScene(page.chart.bar_centre(1))  # «Первичный контакт»
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert page.view.currentIndex().row() == 1
    assert [page.deals.index(row, 0).data() for row in range(page.deals.rowCount())] == ["1", "2"]
    assert "Бюджет" in page.deals.headers
    opened = []
    monkeypatch.setattr(window, "open_deal", opened.append)
    index = page.deals.index(0, 1)
    page.deals_view.doubleClicked.emit(index)
    assert opened == [page.deals.rows[0].deal_id]


def test_the_chief_sees_the_workshop_part_without_money_and_the_designer_nothing(qtbot, shop):
    _, screen = open_screen(qtbot, shop["chief"])
    assert list(screen.pages) == ["stage_times", "over_now", "throughput", "lead_time"]
    page = screen.pages["stage_times"]
    page.select_row(page.table.rows.index(next(row for row in page.table.rows if row[0] == "Распил")))
    assert page.deals.rowCount() == 1 and "Бюджет" not in page.deals.headers
    designer = MainWindow(shop["designer"])
    install_analytics(designer)
    qtbot.addWidget(designer)
    assert not designer.has_screen("analytics")


def test_show_analytics_photographs_the_screen(screenshot):
    picture = screenshot("--show", "analytics", "--size", "1366x768")
    assert (picture.width(), picture.height()) == (1366, 768)
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    assert window.tabs.currentWidget().objectName() == "analyticsScreen"
    assert window.screen_widget("analytics").pages["funnel"].model.rowCount() == 7
