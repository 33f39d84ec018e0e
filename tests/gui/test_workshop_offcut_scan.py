"""The workshop terminal reads an offcut's label: its barcode «OC7» shows the offcut in a bar on the
screen (no dialog), in the store, used or written off; an unknown number is named in the status line."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.offcuts import NewOffcut, offcut_code, parse_offcut_code
from app.services import cutsheets, offcuts
from tests.domain.test_offcuts import PLY, cut, sheet_with
from tests.gui.qt_settings import own_settings  # noqa: F401 (autouse fixture)
from tests.gui.test_workstations import at_stage, open_window
from ui.common import msgbox


@pytest.fixture
def no_dialogs(monkeypatch):
    """Every message box recorded instead of shown (the terminal should show none)."""
    shown = []
    for name in ("ask", "error", "info"):
        monkeypatch.setattr(msgbox, name, lambda parent, title, text, name=name: shown.append((name, text)))
    return shown


def _scan(qtbot, terminal, text: str) -> None:
    qtbot.keyClicks(terminal.scan, text)  # a scanner types the code, then Enter
    qtbot.keyClick(terminal.scan, Qt.Key.Key_Return)


def _active_terminal(qtbot, staff):
    """The production chief's workshop terminal, shown at 1366×768 and active (the keyboard's focus counts)."""
    window = open_window(qtbot, staff["chief"], "workshop")
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window.screen_widget("workshop")


def test_codes_read_as_a_scanner_types_them():
    assert parse_offcut_code(offcut_code(7)) == 7
    assert [parse_offcut_code(t) for t in ("oc 12", "ОС12", "ЩС12", "OC-0012", " OC12 ")] == [12] * 5
    assert [parse_offcut_code(t) for t in ("12", "OC", "OCX", "заказ 12", "", None)] == [None] * 6


def test_scanned_offcut_label_shows_the_offcut_without_a_dialog(qtbot, staff, no_dialogs):
    deal = at_stage(staff["manager"], "sawing", **{"contact.full_name": "Тихонова Елена Павловна"})
    number = sheet_with(staff, 2)
    stored, = cut(staff, number)  # a 2420×598 strip goes to the store
    sheet_orders = [d.order_no for d in cutsheets.orders_of(cutsheets.get_sheet(number))]
    window = open_window(qtbot, staff["chief"], "workshop")
    terminal = window.screen_widget("workshop")
    selected = terminal.current_row()
    _scan(qtbot, terminal, offcut_code(stored.number))
    bar = terminal.offcut_bar
    assert no_dialogs == [] and bar.isVisibleTo(terminal)
    assert bar.title.text() == f"Остаток №{stored.number} · {PLY} · 2420×598 мм · 1,45 м²"
    assert bar.origin.text().startswith("Принят на склад ")
    assert f" с листа раскроя №{number} (заказ №{sheet_orders[0]}" in bar.origin.text()
    assert bar.state.text() == "На складе, свободен"
    assert terminal.current_row() == selected  # no order opened: «OC1» is not order №1
    assert terminal.status.text() == f"Остаток №{stored.number}: На складе, свободен"
    assert terminal.scan.text() == ""
    qtbot.keyClick(bar, Qt.Key.Key_Escape)  # Esc or «Закрыть» hides it
    assert not bar.isVisibleTo(terminal)
    # the next scan is an order: the bar gives way to it
    _scan(qtbot, terminal, offcut_code(stored.number))
    assert bar.isVisibleTo(terminal)
    _scan(qtbot, terminal, f"{deal.order_no:06d}")
    assert not bar.isVisibleTo(terminal) and terminal.current_row().deal_id == deal.id


def test_used_written_off_and_unknown_offcuts_are_said_so(qtbot, staff, no_dialogs):
    first = sheet_with(staff, 2)
    strip, = cut(staff, first)
    five = sheet_with(staff, 5)  # takes the stored strip
    cut(staff, five)
    second, = offcuts.mark_cut(staff["constructor"], sheet_with(staff, 2), [],
                               [NewOffcut(PLY, 1000, 500)]).value
    offcuts.write_off(staff["admin"], [second.number])
    window = open_window(qtbot, staff["chief"], "workshop")
    terminal = window.screen_widget("workshop")
    bar = terminal.offcut_bar
    _scan(qtbot, terminal, offcut_code(strip.number))
    assert bar.state.text().startswith("Использован") and f"на листе раскроя №{five}" in bar.state.text()
    assert bar.property("gone") is True
    _scan(qtbot, terminal, offcut_code(second.number))
    assert bar.state.text().startswith("Списан") and "в раскрой не брать" in bar.state.text()
    assert "Списан" in terminal.status.text()
    _scan(qtbot, terminal, "OC999")
    assert not bar.isVisibleTo(terminal)
    assert terminal.status.text() == "Остаток №999 не найден: такого номера нет на складе остатков"
    assert no_dialogs == []


def test_typing_while_the_offcut_shows_goes_into_the_scan_field(qtbot, staff, no_dialogs):
    stored, = cut(staff, sheet_with(staff, 2))
    terminal = _active_terminal(qtbot, staff)
    _scan(qtbot, terminal, offcut_code(stored.number))
    assert terminal.offcut_bar.isVisible() and terminal.scan.hasFocus()
    terminal.offcut_bar.close_button.setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "OC")
    assert terminal.scan.hasFocus() and terminal.scan.text() == "OC"
    bar = terminal.offcut_bar
    assert bar.close_button.height() >= 64 and bar.title.geometry().right() <= terminal.width()


def test_the_next_label_scanned_while_the_list_has_the_focus_goes_into_the_scan_field(qtbot, staff, no_dialogs):
    """After a scan the list has the focus (Enter asks to move the order on); the next label scanned
    is read as a scan, not as a search of the list followed by a question about the wrong order."""
    first = at_stage(staff["manager"], "sawing")
    second = at_stage(staff["manager"], "sawing")
    stored, = cut(staff, sheet_with(staff, 2))
    terminal = _active_terminal(qtbot, staff)
    _scan(qtbot, terminal, f"{first.order_no:06d}")
    assert terminal.table.hasFocus() and terminal.current_row().deal_id == first.id
    qtbot.keyClicks(QApplication.focusWidget(), f"{second.order_no:06d}")  # the scanner types into the list
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert terminal.current_row().deal_id == second.id and terminal.confirm_bar.row is None
    qtbot.keyClicks(QApplication.focusWidget(), offcut_code(stored.number))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert terminal.offcut_bar.isVisible() and terminal.confirm_bar.row is None
    assert terminal.current_row().deal_id == second.id  # the offcut moves no order
