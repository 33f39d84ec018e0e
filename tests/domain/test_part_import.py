"""Parts lists from other cutting programs and the shop's own spreadsheets, as the programs write
them (samples in tests/fixtures/parts): the columns found, the lines read, the row-by-row report."""
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain import part_import
from app.domain.specs import MAX_ROWS, SpecError, parse_parts, report_text

SAMPLES = Path(__file__).parents[1] / "fixtures" / "parts"


def _csv(text: str, name: str = "parts.csv") -> part_import.PartsTable:
    return part_import.table_of(name, part_import.text_rows(text))


def _sample(name: str, encoding: str = "utf-8") -> part_import.PartsTable:
    return _csv((SAMPLES / name).read_bytes().decode(encoding), name)


def _summary(line) -> tuple:
    return (line.name, line.length, line.width, line.quantity, line.material, line.thickness, line.may_rotate,
            line.edge_l1, line.edge_l2, line.edge_w1, line.edge_w2)


def test_maxcut_export_as_maxcut_writes_it():
    table = _sample("maxcut.csv")  # «Sep=,», every cell quoted, «795 mm», edging by name
    assert table.kind == "MaxCut"
    result = part_import.read_parts(table)
    side, shelf, front = result.lines
    assert _summary(side) == ("Боковина", 2000, 400, 2, "Фанера 18", 18, False, "2", "", "0.4", "")
    assert side.notes == "левая, правая"  # a quoted cell with a line break and a comma
    assert _summary(shelf)[6] is True and _summary(front)[7:] == ("1", "1", "1", "1")
    assert result.rows == [2, 3, 4]
    assert {p.row: p.message for p in result.problems} == {
        5: "это лист материала («Фанера 18»), а не деталь — не взят",
        6: "Длина: «12.00 in» — нужны миллиметры (выгрузите список в мм)"}
    assert [p.row for p in result.warnings] == [4]  # «AllowIfNoGrain»: the grain is kept, said so


def test_maxcut_semicolon_in_cp1251_as_russian_excel_saves_it():
    table = _sample("maxcut_semicolon_cp1251.csv", "cp1251")
    assert [line.name for line in part_import.read_parts(table).lines] == ["Боковина", "Полка"]
    assert part_import.decode_text((SAMPLES / "maxcut_semicolon_cp1251.csv").read_bytes()).startswith("Sep=;")


def test_cutlist_plus_banding_counts_become_edges_to_check():
    table = _sample("cutlistplus.csv")
    assert table.kind == "CutList Plus"
    result = part_import.read_parts(table)
    top, door, back = result.lines
    assert _summary(top) == ("Крышка", 1200, 600, 1, "ЛДСП 16 Белый", 16, True, "0.4", "0.4", "0.4", "0.4")
    assert _summary(door)[6:] == (False, "0.4", "", "", "") and door.notes == "ручка справа"
    assert back.thickness == Decimal("3.2") and (back.edge_l1, back.edge_w1) == ("", "")
    assert [(p.row, "Ширина" in p.message) for p in result.problems] == [(5, True)]
    assert [p.row for p in result.warnings] == [2, 3]  # the thickness of the banding is a guess


def test_opticutter_key_column_materials_and_comments():
    table = _sample("opticutter.csv")
    assert table.kind == "optiCutter"
    result = part_import.read_parts(table)
    assert [_summary(line)[:7] for line in result.lines] == [
        ("Царга", 1932, 200, 2, "Фанера 18", 18, False), ("Полка", 1500, 500, 4, "Фанера 18", 18, True),
        ("Фасад", 700, 400, 1, "МДФ 16", 16, False)]
    assert result.rows == [7, 8, 10] and [p.row for p in result.problems] == [11]


def test_the_shops_own_columns_by_name_or_guessed_for_the_mapping_step():
    own = _csv("\ufeffДеталь;Материал;Толщина;Длина;Ширина;Кол-во;Поворот;Кромка Д1\n"
               "Царга;Фанера 18;18;1932;200;2;нет;2\n")
    assert own.complete() and _summary(part_import.read_parts(own).lines[0])[:8] == (
        "Царга", 1932, 200, 2, "Фанера 18", 18, False, "2")
    table = _sample("own_cp1251.csv", "cp1251")  # a title row above the header; «Наименование детали», «Шт.»
    assert table.kind == "таблица" and not table.complete() and table.rows[0][0] == 3
    guessed = part_import.guess_columns(table.header)
    assert guessed == {"name": 0, "material": 1, "thickness": 2, "length": 3, "width": 4, "quantity": 5,
                       "may_rotate": 6, "edge_l1": 7, "edge_w1": 8}
    result = part_import.read_parts(table, guessed)
    assert [_summary(line) for line in result.lines] == [
        ("Боковина", 2000, 400, 2, "Фанера", 18, False, "2", "", "0.4", ""),
        ("Дно ящика", 536, 446, 4, "ХДФ", Decimal("3.2"), True, "", "", "", "")]  # decimal comma
    assert [p.row for p in result.problems] == [5] and "Количество" in result.problems[0].message


def test_a_mapping_is_checked_and_a_missing_quantity_means_one_each():
    table = _csv("A,B,C,D\nПолка,800,300,ЛДСП 16\n")
    assert part_import.check_columns(table, {"name": 0, "length": 1}) == [("width", "выберите столбец")]
    twice = part_import.check_columns(table, {"name": 0, "length": 1, "width": 1})
    assert twice == [("width", "столбец «B: B» уже выбран для поля «Длина»")]
    assert part_import.check_columns(table, {"name": 0, "length": 1, "width": 9})[0][1] == "нет такого столбца в файле"
    (shelf,) = part_import.read_parts(table, {"name": 0, "length": 1, "width": 2, "material": 3}).lines
    assert (shelf.quantity, shelf.thickness) == (1, 16)
    same = part_import.header_signature(["длина", "Ширина", ""])
    assert part_import.header_signature(["Длина, мм", "Ширина"]) == same


def test_the_report_lists_rows_taken_refused_and_to_check():
    result = part_import.read_parts(_sample("maxcut.csv"))
    assert report_text(result).splitlines() == [
        "Взято строк: 3 (строки 2–4).",
        "Не взяты (2):",
        "Строка 5: это лист материала («Фанера 18»), а не деталь — не взят",
        "Строка 6: Длина: «12.00 in» — нужны миллиметры (выгрузите список в мм)",
        "Проверьте (1):",
        "Строка 4: поворот «как у материала» — текстура сохранена, деталь не поворачивается"]
    pasted = parse_parts("Боковина\tФанера 18\t18\t2000\t400\t2\nЦарга\tФанера 18\t18\t0\t150\t4\n"
                         "Полка\tЛДСП 16\t16\t800\t300\t1\n")
    assert report_text(pasted).splitlines()[0] == "Взято строк: 2 (строки 1, 3)."


@pytest.mark.parametrize("text, message", [
    ("", "файл пуст"),
    ("\n;;;\n\n", "файл пуст"),
    ("Name,Length,Width\n", "только заголовок"),
])
def test_files_with_nothing_to_read(text, message):
    with pytest.raises(SpecError, match=message):
        _csv(text)


def test_junk_cells_are_refused_per_row():
    long_name = "x" * 600
    table = _csv(f"Name,Length,Width,Quantity,Material\n{long_name},800,300,1,ЛДСП 16\nПолка,#VALUE!,300,1,ЛДСП 16\n"
                 "Ящик,1e400,300,1,ЛДСП 16\nДно,800,300,99999999999,ЛДСП 16\nОк,800,300,1,ЛДСП 16\n")
    result = part_import.read_parts(table)
    assert [line.name for line in result.lines] == ["Ок"]
    messages = {p.row: p.message for p in result.problems}
    assert "больше 500 знаков" in messages[2] and "не число" in messages[3]
    assert "Длина" in messages[4] and "Количество" in messages[5]


def test_more_rows_than_a_paste_takes_are_refused_whole():
    rows = "Полка,800,300,1\n" * (MAX_ROWS + 1)
    with pytest.raises(SpecError, match="больше 10 000 строк"):
        _csv("Name,Length,Width,Quantity\n" + rows)
    assert len(_csv("Name,Length,Width,Quantity\n" + "Полка,800,300,1\n" * MAX_ROWS).rows) == MAX_ROWS
    pasted = parse_parts("Полка\tЛДСП 16\t16\t800\t300\t1\n" * (MAX_ROWS + 2))
    assert pasted.lines == [] and "больше 10 000 строк" in pasted.problems[0].message


def test_xlsx_numbers_read_as_the_csv_twin():
    assert [part_import.cell_text(v) for v in (2000.0, 3.2, 16, None, True, "ЛДСП")] == [
        "2000", "3.2", "16", "", "да", "ЛДСП"]
    rows = [["Name", "Length", "Width", "Quantity", "Thickness", None], ["Полка", 800.0, 300, 2.0, 16.0, None]]
    (shelf,) = part_import.read_parts(part_import.table_of("x.xlsx", rows)).lines
    assert (shelf.length, shelf.width, shelf.quantity) == (800, 300, 2)


def test_a_bandings_name_gives_its_thickness():
    table = _csv("Name;Length;Width;Material;Кромка Д1;Кромка Д2;Кромка Ш1;Кромка Ш2\n"
                 "Фасад;716;396;МДФ 16;ПВХ 22х0,4;кромка 2 мм;PVC 19x1mm;\nПолка;800;300;ЛДСП 16;Дуб;;;\n")
    result = part_import.read_parts(table)
    assert _summary(result.lines[0])[7:] == ("0.4", "2", "1", "")
    assert result.problems[0].row == 3 and "Кромка Д1: «Дуб» — нет такой кромки" in result.problems[0].message


SHOP_BANDING_CSV = (
    "Название;Длина;Ширина;Кол-во;Материал;Кромка Д1;Кромка Д2\n"
    "Боковина;2000;400;2;Фанера 18;ABS 1;PVC 2mm\n"       # 2: the shop's own type by name; «PVC 2mm» is ПВХ 2
    "Полка;800;300;1;Фанера 18;  abs   1 ;ПВХ 0,4\n"      # 3: any case and spacing
    "Фасад;600;400;1;Фанера 18;ПВХ 0,8;\n"                # 4: a type out of use
    "Дно;600;400;1;Фанера 18;Дуб 2x22;\n"                 # 5: «Дуб 2x22» — read by thickness 2, to check
    "Крышка;600;400;1;Фанера 18;Меламин;\n"               # 6: no such banding
    "Задник;600;400;1;Фанера 18;1 mm;\n"                  # 7: two types of 1 mm: which one?
)


def _shop_banding():
    from decimal import Decimal as D

    from app.domain.banding import DEFAULT_BANDING, BandingType

    types = {t.code: t for t in DEFAULT_BANDING}
    types["0.8"] = BandingType("0.8", "ПВХ 0,8", D("0.8"), active=False)
    types["1-2"] = BandingType("1-2", "ABS 1", D(1), compensate=True)
    return types


def test_the_import_reads_the_shops_own_banding_types_by_name():
    table = _csv(SHOP_BANDING_CSV)
    result = part_import.read_parts(table, banding=_shop_banding())
    assert [(line.name, line.edge_l1, line.edge_l2) for line in result.lines] == [
        ("Боковина", "1-2", "2"), ("Полка", "1-2", "0.4"), ("Дно", "2", "")]
    problems = {p.row: p.message for p in result.problems}
    assert problems == {
        4: "Кромка Д1: «ПВХ 0,8» — кромка «ПВХ 0,8» не используется (снята отметка «Используется» в "
           "«Настройки → Кромка…»)",
        6: "Кромка Д1: «Меламин» — нет такой кромки в списке мастерской (бывает: нет, ПВХ 0,4, ПВХ 1, ПВХ 2, ABS 1)",
        7: "Кромка Д1: «1 mm» — кромок толщиной 1 мм в списке несколько (ПВХ 1, ABS 1) — укажите в файле название"}
    assert [(p.row, p.message) for p in result.warnings] == [
        (5, "Кромка Д1: «Дуб 2x22» прочитана как «ПВХ 2» — проверьте (и в следующих строках с такой кромкой)")]
    report = report_text(result)
    assert "Строка 6: Кромка Д1: «Меламин» — нет такой кромки" in report and "Строка 4: Кромка Д1: «ПВХ 0,8»" in report


def test_without_the_shops_list_the_import_reads_the_built_in_types():
    result = part_import.read_parts(_csv(SHOP_BANDING_CSV))
    assert "Кромка Д1: «ABS 1» — нет такой кромки" not in str(result.problems)  # read by thickness: ПВХ 1
    assert result.lines[0].edge_l1 == "1" and result.warnings[0].row == 2
    assert "«ABS 1» прочитана как «ПВХ 1»" in result.warnings[0].message


def test_the_paste_names_a_type_out_of_use():
    edges = {"": "—", "0.4": "ПВХ 0,4", "1-2": "ABS 1"}
    result = parse_parts("Полка\tФанера 18\t18\t800\t300\t1\tabs 1\tПВХ 0,8\n", edges, {"0.8": "ПВХ 0,8"})
    assert result.lines == [] and result.problems[0].row == 1
    assert result.problems[0].message.startswith("Кромка Д2: «ПВХ 0,8» — кромка «ПВХ 0,8» не используется")
    assert parse_parts("Полка\tФанера 18\t18\t800\t300\t1\tabs 1\n", edges).lines[0].edge_l1 == "1-2"
