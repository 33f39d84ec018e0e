"""«Импорт из файла…» in an order's documents: a cutting program's file imports at once with its
report; the shop's own spreadsheet asks for its columns once (a non-blocking dialog with a preview),
and the next file with the same headers imports without asking; a bad file adds nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.domain.helpers import cutting_deal
from ui.cutsheets import order_docs
from ui.cutsheets.install import install_cutsheets
from ui.cutsheets.part_files import ColumnMappingDialog
from ui.shell.main_window import MainWindow

SAMPLES = Path(__file__).parents[1] / "fixtures" / "parts"


@pytest.fixture
def docs(qtbot, staff):
    window = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(window)
    install_cutsheets(window)
    dialog = order_docs.OrderDocsDialog(window, cutting_deal(staff["manager"], name="Иванова Ярус").id)
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def reports(monkeypatch):
    seen = []
    monkeypatch.setattr("ui.common.msgbox.error", lambda parent, title, text: seen.append(("error", text)))
    monkeypatch.setattr("ui.common.msgbox.info", lambda parent, title, text: seen.append(("info", text)))
    return seen


def _names(editor) -> list[str]:
    return [editor.model.lines[row]["name"] for row in range(editor.model.rowCount())]


def test_a_programs_xlsx_imports_at_once_with_its_report(docs, reports):
    docs.parts.import_file(SAMPLES / "maxcut.xlsx")
    assert docs.parts.file_import.dialog is None
    assert _names(docs.parts) == ["Боковина", "Полка", "Фасад"]
    kind, text = reports[-1]
    assert kind == "error" and text.splitlines()[:3] == [
        "Файл «maxcut.xlsx» (MaxCut).", "Взято строк: 3 (строки 2–4).", "Не взяты (2):"]
    assert "Строка 5: это лист материала" in text and "Строка 4: поворот «как у материала»" in text


def test_own_columns_are_picked_in_the_dialog_and_remembered(docs, reports, qtbot):
    docs.parts.import_file(SAMPLES / "own_cp1251.csv")
    dialog = docs.parts.file_import.dialog
    assert isinstance(dialog, ColumnMappingDialog) and dialog.isVisible() and reports == []
    assert dialog.preview.rowCount() == 3 and dialog.preview.item(0, 0).text() == "Боковина"
    assert dialog.preview.horizontalHeaderItem(3).text() == "D: Длина, мм"
    assert dialog.boxes["name"].currentText() == "A: Наименование детали"  # guessed from the header
    dialog.boxes["name"].setCurrentIndex(0)
    accept = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not accept.isEnabled() and "Название: выберите столбец" in dialog.status.text()
    dialog.boxes["name"].setCurrentIndex(dialog.boxes["name"].findData(0))
    dialog.boxes["edge_w1"].setCurrentIndex(0)  # no short-edge banding from this file
    assert accept.isEnabled() and dialog.status.text() == "Будет взято строк: 2 из 3; не взяты: 1."
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert _names(docs.parts) == ["Боковина", "Дно ящика"]
    assert docs.parts.model.lines[0]["edge_w1"] in ("", "—")
    assert reports[-1][1].startswith("Файл «own_cp1251.csv».\nВзято строк: 2 (строки 3–4).")
    docs.parts.import_file(SAMPLES / "own.xlsx")  # the same headers: no question this time
    assert docs.parts.file_import.dialog is None
    assert _names(docs.parts) == ["Боковина", "Дно ящика"] * 2
    assert "столбцы как в прошлый раз" in reports[-1][1]


def test_cancelling_the_columns_adds_nothing(docs, reports):
    docs.parts.import_file(SAMPLES / "own.xlsx")
    docs.parts.file_import.dialog.reject()
    assert docs.parts.model.rowCount() == 0 and reports == []
    docs.parts.import_file(SAMPLES / "own.xlsx")
    assert docs.parts.file_import.dialog is not None  # nothing was remembered


def test_a_file_that_is_no_spreadsheet_is_refused(docs, reports, tmp_path):
    picture = tmp_path / "чертеж.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    docs.parts.import_file(picture)
    assert docs.parts.model.rowCount() == 0
    assert reports == [("error", "Файл «чертеж.csv» не импортирован: это не таблица (CSV или XLSX). "
                                 "Ничего не добавлено.")]


def test_choosing_the_columns_of_a_programs_file_keeps_its_own_columns(docs, reports):
    docs.parts.import_file(SAMPLES / "maxcut.csv", ask=True)
    dialog = docs.parts.file_import.dialog
    assert dialog.boxes["length"].currentText() == "C: Length"  # the program's columns, shown to change
    dialog.boxes["notes"].setCurrentIndex(0)
    dialog.accept()
    assert _names(docs.parts) == ["Боковина", "Полка", "Фасад"]  # «Stock Sheet» still known by «Type»
    assert docs.parts.model.lines[0]["notes"] == ""
    docs.parts.import_file(SAMPLES / "maxcut.csv")  # remembered: the notes stay out
    assert docs.parts.model.lines[3]["notes"] == "" and "столбцы как в прошлый раз" in reports[-1][1]


def test_a_big_file_is_read_in_the_background(docs, reports, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr("ui.cutsheets.part_files.BACKGROUND_BYTES", 0)  # every file counts as big here
    docs.parts.import_file(SAMPLES / "maxcut.xlsx")
    assert docs.parts.file_import.job is not None
    qtbot.waitUntil(lambda: docs.parts.model.rowCount() == 3, timeout=30_000)
    assert docs.parts.file_import.job is None and reports[-1][1].startswith("Файл «maxcut.xlsx» (MaxCut).")
    broken = tmp_path / "сломан.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    docs.parts.import_file(broken)
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=30_000)
    assert reports[-1] == ("error", "Файл «сломан.xlsx» не импортирован: это не таблица XLSX (файл повреждён "
                                    "или другого формата). Ничего не добавлено.")
    assert docs.parts.model.rowCount() == 3


def test_who_may_not_store_columns_still_imports(qtbot, staff, reports):
    window = MainWindow(staff["manager"], "counter")
    qtbot.addWidget(window)
    dialog = order_docs.OrderDocsDialog(window, cutting_deal(staff["manager"], name="Петров Остров").id)
    qtbot.addWidget(dialog)
    dialog.parts.import_file(SAMPLES / "own.xlsx")
    mapping = dialog.parts.file_import.dialog
    assert not mapping.remember.isEnabled() and not mapping.remember.isChecked()
    mapping.accept()
    assert _names(dialog.parts) == ["Боковина", "Дно ящика"]
    dialog.parts.import_file(SAMPLES / "own.xlsx")
    assert dialog.parts.file_import.dialog is not None  # nothing stored: asked again


def test_a_file_naming_the_shops_banding_types_imports_them_and_names_the_others(qtbot, staff, reports,
                                                                                 tmp_path):
    from app.services import banding_types

    banding_types.add_banding_type(staff["constructor"], {"name": "ABS 1", "thickness": "1", "overhang": "25"})
    banding_types.set_banding_active(staff["constructor"], "0.8", False)
    window = MainWindow(staff["constructor"], "constructor")
    qtbot.addWidget(window)
    install_cutsheets(window)
    dialog = order_docs.OrderDocsDialog(window, cutting_deal(staff["manager"], name="Иванова Ярус").id)
    qtbot.addWidget(dialog)
    path = tmp_path / "своя таблица.csv"  # the shop's own headers: the columns are asked for
    path.write_text("Деталь;Дл;Шир;Шт;Мат;Кр. Д1\n"
                    "Боковина;2000;400;2;Фанера 18;ABS 1\n"
                    "Полка;800;300;1;Фанера 18;ПВХ 0,8\n"
                    "Дно;800;300;1;Фанера 18;Меламин\n", encoding="utf-8")
    dialog.parts.import_file(path)
    mapping = dialog.parts.file_import.dialog
    for key, column in (("length", 1), ("width", 2), ("quantity", 3), ("material", 4), ("edge_l1", 5)):
        mapping.boxes[key].setCurrentIndex(mapping.boxes[key].findData(column))
    mapping.remember.setChecked(False)
    assert mapping.status.text() == "Будет взято строк: 1 из 3; не взяты: 2."  # the live count knows ABS 1
    qtbot.mouseClick(mapping.buttons.button(mapping.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert _names(dialog.parts) == ["Боковина"]
    column = [key for key, _ in dialog.parts.model.columns].index("edge_l1")
    assert dialog.parts.model.index(0, column).data() == "ABS 1"
    kind, text = reports[-1]
    assert kind == "error"
    assert "Строка 3: Кромка Д1: «ПВХ 0,8» — кромка «ПВХ 0,8» не используется" in text
    assert "Строка 4: Кромка Д1: «Меламин» — нет такой кромки в списке мастерской" in text
