"""Importing parts files through the service, on both backends: each program's CSV and XLSX, the
shop's own columns picked once and remembered, and every file that cannot be read refused in
Russian with nothing written."""
from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.errors import PermissionDeniedError, ValidationError
from app.services import part_import
from app.services.part_import import PartFileError

SAMPLES = Path(__file__).parents[1] / "fixtures" / "parts"


def _lines(path: Path) -> list[tuple]:
    opened = part_import.open_parts_file(path).value
    assert opened.columns is not None  # a program's format: no question asked
    result = part_import.read_parts(opened.table, opened.columns)
    return [(line.name, line.length, line.width, line.quantity) for line in result.lines]


@pytest.mark.parametrize("name", ["maxcut.csv", "maxcut.xlsx", "maxcut_semicolon_cp1251.csv"])
def test_maxcut_csv_and_xlsx(db, name):
    expected = [("Боковина", 2000, 400, 2), ("Полка", 800, 300, 3), ("Фасад", 716, 396, 1)]
    assert _lines(SAMPLES / name) == expected[:2 if "semicolon" in name else 3]


@pytest.mark.parametrize("name", ["cutlistplus.csv", "cutlistplus.xlsx"])
def test_cutlist_plus_csv_and_xlsx(db, name):
    assert _lines(SAMPLES / name) == [("Крышка", 1200, 600, 1), ("Дверь", 716, 396, 2), ("Задняя стенка", 1180, 580, 1)]


@pytest.mark.parametrize("name", ["opticutter.csv", "opticutter.xlsx"])
def test_opticutter_csv_and_xlsx(db, name):
    assert _lines(SAMPLES / name) == [("Царга", 1932, 200, 2), ("Полка", 1500, 500, 4), ("Фасад", 700, 400, 1)]


@pytest.mark.parametrize("first, second", [("own_cp1251.csv", "own.xlsx"), ("own.xlsx", "own_cp1251.csv")])
def test_own_columns_picked_once_are_remembered_for_the_same_headers(staff, first, second, counts):
    opened = part_import.open_parts_file(SAMPLES / first).value
    assert opened.columns is None  # the shop's own layout: the user is asked
    columns = {"name": 0, "material": 1, "thickness": 2, "length": 3, "width": 4, "quantity": 5, "may_rotate": 6,
               "edge_l1": 7, "edge_w1": 8}
    done = part_import.remember_columns(staff["constructor"], opened.table, columns)
    assert done.changes.settings
    again = part_import.open_parts_file(SAMPLES / second).value  # the CSV and the XLSX share their headers
    assert again.remembered and again.columns == columns
    result = part_import.read_parts(again.table, again.columns)
    assert [(line.name, line.thickness, line.edge_w1) for line in result.lines] == [
        ("Боковина", 18, "0.4"), ("Дно ящика", Decimal("3.2"), "")]
    before = counts()
    fewer = {key: n for key, n in columns.items() if not key.startswith("edge")}
    part_import.remember_columns(staff["constructor"], again.table, fewer)  # picked again: replaces the choice
    assert counts()["Setting"] == before["Setting"]
    assert part_import.open_parts_file(SAMPLES / first).value.columns == fewer


def test_a_bad_choice_of_columns_is_refused_and_not_stored(staff, counts):
    table = part_import.open_parts_file(SAMPLES / "own.xlsx").value.table
    before = counts()
    with pytest.raises(ValidationError) as caught:
        part_import.remember_columns(staff["constructor"], table, {"name": 0, "length": 3, "width": 3})
    assert "Столбец «Ширина»: столбец «D: Длина, мм» уже выбран для поля «Длина»" in str(caught.value)
    with pytest.raises(ValidationError, match="Столбец «Ширина»: выберите столбец"):
        part_import.remember_columns(staff["constructor"], table, {"name": 0, "length": 3})
    with pytest.raises(PermissionDeniedError):
        part_import.remember_columns(staff["manager"], table, {"name": 0, "length": 3, "width": 4})
    assert counts() == before


def _refusal(path: Path) -> str:
    with pytest.raises(PartFileError) as caught:
        part_import.open_parts_file(path)
    message = str(caught.value)
    assert message.startswith(f"Файл «{path.name}» не импортирован: ") and message.endswith("Ничего не добавлено.")
    return message


def test_files_that_are_not_parts_lists_are_refused(db, tmp_path, counts):
    before = counts()
    empty = tmp_path / "пусто.csv"
    empty.write_bytes(b"")
    assert "файл пуст" in _refusal(empty)
    blank = tmp_path / "пробелы.csv"
    blank.write_text(" \n;;\n", encoding="utf-8")
    assert "файл пуст" in _refusal(blank)
    picture = tmp_path / "детали.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "это не таблица" in _refusal(picture)
    broken = tmp_path / "детали.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert "это не таблица XLSX" in _refusal(broken)
    old = tmp_path / "старый.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert "XLS (Excel 97–2003)" in _refusal(old)
    assert "файл не найден" in _refusal(tmp_path / "нет.csv")
    assert "это папка" in _refusal(tmp_path)
    assert counts() == before


def test_a_locked_file_is_refused(db, tmp_path, monkeypatch):
    locked = tmp_path / "открыт в Excel.xlsx"
    shutil.copy(SAMPLES / "maxcut.xlsx", locked)

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)  # as Windows answers for a file Excel holds open
    assert "открыт в другой программе" in _refusal(locked)


def test_huge_files_are_refused_whole(db, tmp_path, monkeypatch):
    rows = "Полка;800;300;1;ЛДСП 16\n" * 10_001
    long = tmp_path / "длинный.csv"
    long.write_text("Name;Length;Width;Quantity;Material\n" + rows, encoding="utf-8")
    assert "больше 10 000 строк" in _refusal(long)
    monkeypatch.setattr(part_import, "MAX_FILE_BYTES", 1000)
    assert "файл слишком большой" in _refusal(long)


def test_a_huge_xlsx_sheet_is_refused(db, tmp_path):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Name", "Length", "Width", "Quantity", "Material"])
    for _ in range(10_020):
        sheet.append(["Полка", 800, 300, 1, "ЛДСП 16"])
    path = tmp_path / "длинный.xlsx"
    book.save(path)
    assert "больше 10 000 строк" in _refusal(path)


def test_the_first_sheet_with_rows_is_read_and_broken_quotes_are_named(db, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Титул"
    parts = book.create_sheet("Детали")
    parts.append(["Name", "Length", "Width", "Quantity", "Material"])
    parts.append(["Полка", 800, 300, 2, "ЛДСП 16"])
    path = tmp_path / "заказ.xlsx"
    book.save(path)
    assert _lines(path) == [("Полка", 800, 300, 2)]
    quotes = tmp_path / "кавычки.csv"
    quotes.write_text('Name,Length,Width\n"Полка' + "x" * 140_000 + ",800,300\n", encoding="utf-8")
    assert "не читается как таблица CSV (строка" in _refusal(quotes)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1251"])
def test_a_csv_in_any_of_excels_encodings_reads_the_same(db, tmp_path, encoding):
    path = tmp_path / f"детали-{encoding}.csv"
    path.write_text('Деталь,Материал,Толщина,Длина,Ширина,Кол-во\n"Дно ящика",ХДФ,"3,2",536,446,4\n',
                    encoding=encoding)
    opened = part_import.open_parts_file(path).value
    (bottom,) = part_import.read_parts(opened.table, opened.columns).lines
    assert (bottom.name, bottom.material, bottom.thickness, bottom.quantity) == ("Дно ящика", "ХДФ", Decimal("3.2"), 4)


def test_a_file_naming_the_shops_own_banding_types_imports_by_the_edited_list(staff, tmp_path, counts):
    """«ABS 1» added in «Настройки → Кромка…» is read from a file; a type taken out of use is refused
    with its row and field; the edited name of a built-in type is what the file may say."""
    from app.services import banding_types

    constructor = staff["constructor"]
    banding_types.add_banding_type(constructor, {"name": "ABS 1", "thickness": "1", "overhang": "25"})
    banding_types.set_banding_active(constructor, "0.8", False)
    banding_types.edit_banding_type(constructor, "2", {"name": "Кромка Egger 2", "thickness": "2",
                                                       "overhang": "20"})
    path = tmp_path / "parts.csv"
    path.write_text("Name,Length,Width,Quantity,Material,Edge L1,Edge L2\n"
                    "Боковина,2000,400,2,Фанера 18,abs 1,кромка egger 2\n"
                    "Полка,800,300,1,Фанера 18,ПВХ 0.8,\n"
                    "Дно,800,300,1,Фанера 18,ПВХ 3,\n", encoding="utf-8")
    before = counts()
    opened = part_import.open_parts_file(path).value
    result = part_import.read_parts(opened.table, opened.columns)
    assert [(line.name, line.edge_l1, line.edge_l2) for line in result.lines] == [("Боковина", "1-2", "2")]
    assert [(p.row, p.message.split(" — ")[0]) for p in result.problems] == [
        (3, "Кромка Д1: «ПВХ 0.8»"), (4, "Кромка Д1: «ПВХ 3»")]
    assert "кромка «ПВХ 0,8» не используется" in result.problems[0].message
    assert "нет такой кромки в списке мастерской" in result.problems[1].message
    assert "ABS 1" in result.problems[1].message and "Кромка Egger 2" in result.problems[1].message
    assert counts() == before  # reading a file writes nothing
