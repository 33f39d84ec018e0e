"""Offcuts on screen: «Раскроено» offers the offcuts a sheet leaves (all checked) and prints their
labels, the next sheet's layouts take a stored one and «Не использовать остатки» drops it, and
«Остатки» lists the store, the administrator writing off after a confirmation."""
from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.domain.changes import Changes
from app.services import offcuts
from app.store.models import CutSheet, Offcut
from tests.domain.test_offcuts import PLY, cut, sheet_with
from ui.cutsheets.cut_done import CutDoneDialog
from ui.cutsheets.install import OFFCUTS_KEY, install_cutsheets
from ui.shell.main_window import MainWindow


def _window(qtbot, user, workstation="constructor"):
    win = MainWindow(user, workstation)
    qtbot.addWidget(win)
    install_cutsheets(win)
    win.resize(1366, 768)
    win.show()
    return win


@pytest.fixture
def window(qtbot, staff):
    return _window(qtbot, staff["constructor"])


@pytest.fixture
def asked(monkeypatch):
    seen = []
    monkeypatch.setattr("ui.common.msgbox.ask", lambda parent, title, text: seen.append(text) or True)
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: seen.append(text))
    return seen


def _layouts(qtbot, window, number):
    screen = window.cutsheets
    screen.open_sheet(number)
    screen.sheet_tabs.setCurrentWidget(screen.layouts)
    panel = screen.layouts
    qtbot.waitUntil(lambda: panel.plan is not None and panel.job is None and panel.number == number,
                    timeout=20_000)
    return panel


def test_cut_dialog_stores_the_checked_offcuts_and_prints_their_labels(qtbot, window, staff, tmp_path,
                                                                       monkeypatch, qtmodeltester):
    number = sheet_with(staff, 2)
    panel = _layouts(qtbot, window, number)
    opened = []
    monkeypatch.setattr(CutDoneDialog, "exec", lambda self: opened.append(self) or 0)
    window.cutsheets.buttons["cut"].click()  # «Раскроено»
    dialog = opened[0]
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert [(o.size, o.material) for o in dialog.model.proposed] == [("2420×598", PLY)]
    assert dialog.model.data(dialog.model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.print_labels.isChecked()
    target = tmp_path / "бирки.pdf"
    monkeypatch.setattr("ui.common.msgbox.save_file", lambda *args, **kwargs: target)
    dialog.save()
    assert [(r.number, r.size, r.from_sheet) for r in offcuts.list_offcuts()] == [(1, "2420×598", number)]
    assert "Остаток №1" in PdfReader(str(target)).pages[0].extract_text()
    assert CutSheet.get(CutSheet.number == number).status == CutSheet.CUT
    qtbot.waitUntil(lambda: "раскроен" in window.cutsheets.title.text())
    assert not window.cutsheets.buttons["cut"].isEnabled()
    assert panel.number == number


def test_unchecked_offcut_stays_out_of_the_store(qtbot, window, staff):
    number = sheet_with(staff, 2)
    panel = _layouts(qtbot, window, number)
    dialog = CutDoneDialog(window, number, panel.plan.new_offcuts(), panel.plan.offcuts_used)
    qtbot.addWidget(dialog)
    dialog.model.setData(dialog.model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.save()
    assert offcuts.list_offcuts() == []
    assert CutSheet.get(CutSheet.number == number).status == CutSheet.CUT


def test_layouts_take_a_stored_offcut_until_told_not_to(qtbot, window, staff):
    cut(staff, sheet_with(staff, 2))
    five = sheet_with(staff, 5)
    panel = _layouts(qtbot, window, five)
    assert "Взять со склада: <b>1 лист</b> и остатки <b>№1</b>" in panel.summary.text()
    assert window.cutsheets.layouts.plan.offcuts_used == [1]
    panel.no_offcuts.click()  # «Не использовать остатки»
    qtbot.waitUntil(lambda: panel.job is None and panel.plan is not None and not panel.plan.offcuts_used,
                    timeout=20_000)
    assert "Взять со склада: <b>2 листа</b>," in panel.summary.text()
    assert not CutSheet.get(CutSheet.number == five).use_offcuts
    assert offcuts.list_offcuts()[0].reserved_for is None


def test_store_screen_lists_offcuts_and_only_the_administrator_writes_off(qtbot, window, staff, asked,
                                                                         qtmodeltester, tmp_path, monkeypatch):
    cut(staff, sheet_with(staff, 2))
    store = window.screen_widget(OFFCUTS_KEY)
    window.announce(Changes(offcuts=True))  # as the PC that cut it does
    assert store.model.rowCount() == 1
    qtmodeltester.check(store.model)
    row = [store.model.data(store.model.index(0, c)) for c in range(store.model.columnCount())]
    assert row[:5] == ["1", PLY, "2420×598", "1,45 м²", "№1"] and row[6] == "на складе"
    assert "На складе: 1 остаток, 1,45 м²" == store.total.text()
    assert not store.write_off_button.isVisibleTo(store)  # the constructor may not write off
    store.view.selectRow(0)
    target = tmp_path / "остаток.pdf"
    monkeypatch.setattr("ui.common.msgbox.save_file", lambda *args, **kwargs: target)
    store.labels.click()  # «Печать бирок…»
    assert "Остаток №1" in PdfReader(str(target)).pages[0].extract_text()

    admin = _window(qtbot, staff["admin"], "counter")
    admin_store = admin.screen_widget(OFFCUTS_KEY)
    assert admin_store.write_off_button.isVisibleTo(admin_store)
    admin_store.view.selectRow(0)
    admin_store.write_off_button.click()
    assert asked and "Списать остатки №1" in asked[0]
    assert offcuts.list_offcuts() == [] and admin_store.model.rowCount() == 0
    admin_store.show_closed.setChecked(True)
    assert admin_store.model.data(admin_store.model.index(0, 6)) == Offcut.STATUS_NAMES[Offcut.WRITTEN_OFF]


def test_cut_dialog_offers_the_merged_pieces_the_layout_shows_hatched(qtbot, window, staff, monkeypatch):
    """A full-width shelf and two small ones: the optimiser's two 600×194 strips above the small ones
    come as part of larger pieces, the same the «Раскрой» tab hatches."""
    from app.services import cutsheets, specs
    from tests.domain.helpers import cutting_deal
    from tests.domain.test_offcuts import SHELF

    deal = cutting_deal(staff["manager"], name="Краева Ярус смесь")
    specs.save_parts(deal.id, staff["constructor"], [
        {**SHELF, "quantity": "1"}, {**SHELF, "name": "Полочка", "length": "600", "width": "400"}])
    number = cutsheets.create_cut_sheet(staff["constructor"], [deal.id], PLY).value.number
    panel = _layouts(qtbot, window, number)
    layout, = panel.plan.materials[0].layouts
    opened = []
    monkeypatch.setattr(CutDoneDialog, "exec", lambda self: opened.append(self) or 0)
    window.cutsheets.buttons["cut"].click()  # «Раскроено»
    dialog = opened[0]
    qtbot.addWidget(dialog)
    offered = [(o.length, o.width) for o in dialog.model.proposed]
    assert offered == [(o.length, o.width) for o in layout.offcuts] and offered
    assert min(max(a, b) for a, b in offered) >= 1208  # no 600×194 half among them
