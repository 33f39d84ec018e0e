"""«Настройки → Кромка…» and «Настройки → Бирки…»: the constructor edits the shop's banding types
(the specification's edge columns then offer them) and the label paper (a label drawn as it prints;
«Печать бирок…» prints on it)."""
from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.services import banding_types, label_settings, specs
from tests.domain.helpers import cutting_deal
from tests.domain.test_cut_layouts import QUARTER, two_order_sheet
from ui.cutsheets import order_docs
from ui.cutsheets.banding_dialog import BandingTypesDialog
from ui.cutsheets.install import install_cutsheets
from ui.cutsheets.labels_dialog import LabelSettingsDialog
from ui.cutsheets.settings_install import install_cutting_settings, open_dialog
from ui.shell.main_window import MainWindow


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: seen.append(text))
    return seen


def _window(qtbot, user):
    win = MainWindow(user, "constructor")
    qtbot.addWidget(win)
    install_cutsheets(win)
    install_cutting_settings(win)
    return win


def _cell(dialog, row, column):
    return dialog.model.index(row, column).data()


def test_the_constructor_adds_edits_and_takes_out_of_use_a_banding_type(qtbot, staff, messages, qtmodeltester):
    window = _window(qtbot, staff["constructor"])
    changed = []
    window.changed.connect(changed.append)
    titles = [action.text() for action in window.settings_menu.actions()]
    assert "Кромка…" in titles and "Бирки…" in titles
    dialog = BandingTypesDialog(window)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert [_cell(dialog, row, 0) for row in range(dialog.model.rowCount())] == ["ПВХ 0,4", "ПВХ 0,8", "ПВХ 1",
                                                                                 "ПВХ 2"]
    dialog.name.setText("ABS 1")
    dialog.thickness.setText("1")
    dialog.overhang.setText("25")
    dialog.compensate.setChecked(True)
    dialog.add_button.click()
    assert messages == [] and changed and changed[-1].specs
    assert dialog.model.rowCount() == 5 and dialog.view.currentIndex().row() == 4
    assert [_cell(dialog, 4, c) for c in range(6)] == ["ABS 1", "1", "25", "да", "да", "нет"]
    dialog.overhang.setText("60")
    dialog.save_button.click()
    assert "Припуск: от 0 до 50 мм" in messages[-1]
    assert banding_types.banding_list()["1-2"].overhang == 25  # nothing written
    dialog.overhang.setText("30")
    dialog.save_button.click()
    assert _cell(dialog, 4, 2) == "30"
    dialog.toggle_button.click()
    assert _cell(dialog, 4, 4) == "нет" and dialog.toggle_button.text() == "Снова использовать"
    assert not banding_types.banding_list()["1-2"].active
    dialog.delete_button.click()
    assert dialog.model.rowCount() == 4 and "1-2" not in banding_types.banding_list()


def test_a_type_in_use_cannot_be_deleted_from_the_dialog(qtbot, staff, messages):
    first, _ = two_order_sheet(staff)
    specs.save_parts(first.id, staff["constructor"], [{**QUARTER, "edge_l1": "2"}])
    window = _window(qtbot, staff["constructor"])
    dialog = BandingTypesDialog(window)
    qtbot.addWidget(dialog)
    dialog.view.selectRow(3)
    assert _cell(dialog, 3, 5) == "есть"
    assert not dialog.delete_button.isEnabled() and "только не использовать" in dialog.delete_button.toolTip()
    dialog.delete()  # as if clicked anyway (another PC used it meanwhile): the service refuses
    assert "нельзя удалить" in messages[-1] and dialog.model.rowCount() == 4


def test_the_edge_columns_offer_the_shops_types_and_save_them(qtbot, staff, messages):
    banding_types.add_banding_type(staff["constructor"], {"name": "ABS 1", "thickness": "1", "overhang": "20"})
    banding_types.set_banding_active(staff["constructor"], "0.8", False)
    deal = cutting_deal(staff["manager"], name="Иванова Ярус")
    window = _window(qtbot, staff["constructor"])
    dialog = order_docs.OrderDocsDialog(window, deal.id)
    qtbot.addWidget(dialog)
    view, model = dialog.parts.view, dialog.parts.model
    column = [key for key, _ in model.columns].index("edge_l1")
    delegate = view.itemDelegateForColumn(column)
    assert delegate.choices == ["—", "ПВХ 0,4", "ПВХ 1", "ПВХ 2", "ABS 1"]  # ПВХ 0,8 is out of use
    dialog.parts.paste("Полка\tФанера 18\t18\t1208\t598\t2\tABS 1\t2\t0,4\n")
    assert messages == []
    assert [model.index(0, c).data() for c in range(column, column + 3)] == ["ABS 1", "ПВХ 2", "ПВХ 0,4"]
    editor = delegate.createEditor(view, None, model.index(0, column))
    delegate.setEditorData(editor, model.index(0, column))
    assert editor.currentText() == "ABS 1"
    editor.setCurrentText("ПВХ 1")
    delegate.setModelData(editor, model, model.index(0, column))
    dialog.save()
    line = specs.parts_of(deal.id)[0]
    assert (line.edge_l1, line.edge_l2, line.edge_w1) == ("1", "2", "0.4")
    dialog.parts.paste("Полка\tФанера 18\t18\t1208\t598\t2\tПВХ 7\nПолка\tФанера 18\t18\t1208\t598\t2\tПВХ 0,8\n")
    assert "Строка 1: Кромка Д1: «ПВХ 7» — нет такой кромки" in messages[-1]
    assert "Строка 2: Кромка Д1: «ПВХ 0,8» — кромка «ПВХ 0,8» не используется" in messages[-1]  # out of use


def test_label_settings_preview_a_label_and_the_print_uses_them(qtbot, staff, messages, tmp_path):
    two_order_sheet(staff)  # 7 parts
    window = _window(qtbot, staff["constructor"])
    dialog = LabelSettingsDialog(window)
    qtbot.addWidget(dialog)
    assert not dialog.picture.image.isNull()  # the default A4 label, rendered
    assert dialog.summary.text() == "На листе A4: 24 бирки (3 × 8) по 70 × 37 мм."
    assert not dialog.editors["roll_width"].isEnabled()
    assert dialog.scheme.isVisibleTo(dialog) and len(dialog.scheme.settings.slots()) == 24
    dialog.editors["columns"].setValue(3)
    dialog.editors["width"].setText("75")
    assert dialog.problems["width"].isVisibleTo(dialog)
    assert "шире листа A4" in dialog.problems["width"].text()
    assert dialog.picture.image.isNull() and "Исправьте" in dialog.picture.message
    dialog.save()
    assert dialog.saved is None and label_settings.label_settings().width == 70  # nothing stored
    dialog.editors["kind"].setCurrentIndex(dialog.editors["kind"].findData("roll"))
    dialog.editors["width"].setText("70")
    dialog.editors["roll_width"].setText("75")
    dialog.editors["roll_height"].setText("50")
    assert dialog.editors["roll_width"].isEnabled() and not dialog.editors["columns"].isEnabled()
    wide = dialog.picture.image
    assert wide.width() / wide.height() == pytest.approx(75 / 50, rel=0.02)  # the label drawn at its size
    assert dialog.summary.text() == "Рулон: по одной бирке 75 × 50 мм на странице."
    assert not dialog.scheme.isVisibleTo(dialog)  # no sheet to draw for a roll
    dialog.save()
    assert dialog.saved is not None and dialog.result() == dialog.DialogCode.Accepted
    assert label_settings.label_settings().kind == "roll"
    layouts = window.cutsheets.layouts
    layouts.show_sheet(1)
    layouts.compute_now()
    layouts.save_labels(tmp_path / "labels.pdf")
    pages = PdfReader(str(tmp_path / "labels.pdf")).pages
    assert len(pages) == 7 and round(float(pages[0].mediabox.width) / 72 * 25.4) == 75


def test_others_are_told_who_may_change_the_cutting_settings(qtbot, staff, messages):
    window = _window(qtbot, staff["manager"])
    assert open_dialog(window, lambda w: pytest.fail("opened without the right")) is None
    assert messages and "Создание и аннулирование листов раскроя" in messages[-1]
    admin = _window(qtbot, staff["admin"])
    opened = open_dialog(admin, BandingTypesDialog)
    assert opened is not None and opened.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    opened.close()
