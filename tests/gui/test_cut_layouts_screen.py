"""«Раскрой» on the cut-sheet screen: the layouts computed off the GUI thread, each board drawn
with its labelled parts, and the «Материалы» table that changes the boards."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import stock_boards
from tests.domain.test_cut_layouts import PLY, two_order_sheet
from ui.cutsheets.install import install_cutsheets
from ui.cutsheets.stock_dialog import StockBoardsDialog
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, staff):
    win = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(win)
    install_cutsheets(win)
    win.resize(1400, 900)
    win.show()
    return win


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: seen.append(text))
    return seen


@pytest.fixture
def sheet(staff):
    return two_order_sheet(staff)


def _open_layouts(qtbot, window):
    screen = window.cutsheets
    screen.open_sheet(1)
    screen.sheet_tabs.setCurrentWidget(screen.layouts)
    panel = screen.layouts
    qtbot.waitUntil(lambda: panel.plan is not None and panel.job is None, timeout=20_000)
    return panel


def test_layouts_tab_draws_each_board_with_labelled_parts(qtbot, window, sheet):
    first, second = sheet
    panel = _open_layouts(qtbot, window)
    assert "1 лист — меньше невозможно" in panel.summary.text()
    assert "2 листа — меньше невозможно" in panel.summary.text()
    assert "Взять со склада: <b>3 листа</b>" in panel.summary.text()
    assert len(panel.boards) == 3
    plywood = next(b for b in panel.boards if b.picture.length == 2440)
    assert sorted(plywood.picture.labels()) == sorted(
        [f"{first.order_no}-1 · заказ №{first.order_no} · 1208×598"] * 2
        + [f"{second.order_no}-1 · заказ №{second.order_no} · 1208×598"] * 2)
    qtbot.waitUntil(lambda: plywood.height() > 100)
    image = plywood.grab().toImage()
    assert image.width() > 300
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # board, parts, edges and text, not a blank widget
    panel.open_window()  # the same boards large, in a window of their own
    large = panel.windows[-1]
    views = large.findChildren(type(panel.view))
    assert len(views) == 1 and len(views[0].boards) == 3
    large.close()


def test_stock_table_change_recomputes_the_layouts(qtbot, window, sheet, messages):
    panel = _open_layouts(qtbot, window)
    dialog = StockBoardsDialog(window)
    model = dialog.model
    row = next(r for r, values in enumerate(model.rows) if values["material"] == PLY)
    model.setData(model.index(row, 1), "1300")  # a board holding two shelves, not four
    model.setData(model.index(row, 0), "")
    dialog.save()
    assert messages and f"Строка {row + 1}" in messages[0] and dialog.result() == 0  # kept open, nothing saved
    assert stock_boards.stock_boards()[row].material == PLY
    model.setData(model.index(row, 0), PLY)
    dialog.save()
    assert stock_boards.stock_boards()[row].length == 1300
    qtbot.waitUntil(lambda: panel.plan is not None and panel.job is None
                    and any(b.picture.length == 1300 for b in panel.boards), timeout=20_000)
    assert "Взять со склада: <b>4 листа</b>" in panel.summary.text()  # 2 plywood boards + 2 chipboard


def test_stock_table_sets_the_cut_depth_count_and_price(qtbot, window, messages):
    dialog = StockBoardsDialog(window)
    model = dialog.model
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Этапы резки"
    assert model.data(model.index(0, 5)) == "любая"
    model.setData(model.index(0, 5), "3")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (6, 7)] == ["На складе, шт", "Цена листа, руб"]
    model.setData(model.index(0, 6), "12")
    model.setData(model.index(0, 7), "4 350,50")
    dialog.save()
    assert not messages and stock_boards.stock_boards()[0].stages == 3
    assert (stock_boards.stock_boards()[0].count, stock_boards.stock_boards()[0].cost) == (12, 4350.5)
    again = StockBoardsDialog(window).model
    assert again.data(again.index(0, 5)) == "3"


def test_print_labels_button_saves_one_label_per_part(qtbot, window, sheet, messages, tmp_path):
    panel = _open_layouts(qtbot, window)
    target = tmp_path / "labels.pdf"
    panel.save_labels(target)
    assert not messages and target.exists()
    assert "Бирки: 7 шт., 1 стр." in window.statusBar().currentMessage()
