"""Reading specification lines pasted from a spreadsheet, and checking them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.banding import banding_by_code, banding_metres
from app.domain.specs import SpecError, clean_hardware, clean_part, parse_hardware, parse_parts

GOOD = "Боковина\tФанера 18\t18\t2000\t400\t2\t2\t0,4\t-\t\tнет\tволна"


def test_good_rows_read_with_header_skipped():
    text = "Деталь\tМатериал\tТолщина\tДлина\tШирина\tКол-во\n" + GOOD + "\nСпинка\tФанера 18\t18\t900\t600\t2\r\n"
    result = parse_parts(text)
    assert result.skipped_header and result.problems == []
    first, second = result.lines
    assert (first.name, first.length, first.width, first.quantity) == ("Боковина", 2000, 400, 2)
    assert (first.edge_l1, first.edge_l2, first.edge_w1, first.edge_w2) == ("2", "0.4", "", "")
    assert first.may_rotate is False and first.notes == "волна"
    assert second.may_rotate is False and second.thickness == Decimal(18)  # no «Поворот»: the grain is kept


def test_bad_rows_reported_by_row_number_and_good_rows_kept():
    text = "\n".join([
        GOOD,
        "Царга\tФанера 18\t18\t0\t150\t4",          # zero length
        "Полка\tЛДСП 16\t16\tабв\t300\t1",           # not a number
        "Ламель\tФанера 12\t12\t790\t70\t0",         # quantity 0
        "Фасад\tЛДСП 16\t16\t570\t180\t4\t3",        # unknown edge
        "Коротко\t18\t2000",                         # too few columns
        "",
        "Дно ящика\tХДФ 3,2\t3,2\t536\t446\t4",
    ])
    result = parse_parts(text)
    assert [line.name for line in result.lines] == ["Боковина", "Дно ящика"]
    messages = {problem.row: str(problem) for problem in result.problems}
    assert set(messages) == {2, 3, 4, 5, 6}
    assert "Длина: должна быть больше 0" in messages[2]
    assert "«абв» — не число" in messages[3]
    assert "Количество" in messages[4]
    assert "нет такой кромки" in messages[5]
    assert "мало столбцов" in messages[6] and messages[6].startswith("Строка 6")
    assert result.lines[1].thickness == Decimal("3.2")


def test_part_check_names_every_problem():
    with pytest.raises(SpecError) as caught:
        clean_part({"name": "", "thickness": "-1", "length": "10.5", "width": "-3", "quantity": "1,5"})
    message = str(caught.value)
    for fragment in ("не указано название", "Толщина", "целое число миллиметров", "Ширина", "Количество"):
        assert fragment in message


def test_hardware_units_and_quantities():
    assert clean_hardware({"item": "Лента", "quantity": "2,5", "unit": "м"}).quantity == Decimal("2.50")
    assert clean_hardware({"item": "Направляющие", "quantity": "4", "unit": "компл"}).unit == "компл."
    with pytest.raises(SpecError, match="нужно целое число"):
        clean_hardware({"item": "Конфирмат", "quantity": "1,5", "unit": "шт"})
    with pytest.raises(SpecError, match="выберите из: шт, м, компл."):
        clean_hardware({"item": "Клей", "quantity": "1", "unit": "кг"})
    with pytest.raises(SpecError, match="больше 0"):
        clean_hardware({"item": "Клей", "quantity": "0", "unit": "шт"})
    result = parse_hardware("Конфирмат 7×50\tКФ-750\t48\tшт\nРучка\t\tмного\tшт")
    assert len(result.lines) == 1 and "Строка 2" in str(result.problems[0])


def test_edge_totals_in_metres():
    part = clean_part({"name": "Фасад", "thickness": "16", "length": "570", "width": "180", "quantity": "4",
                       "edge_l1": "2", "edge_l2": "2", "edge_w1": "0,4", "edge_w2": "0.4"})
    # 8 short edges of (180 + 20) mm, 8 long ones of (570 + 20) mm
    assert banding_metres([part], banding_by_code()) == {"ПВХ 0,4": Decimal("1.6"), "ПВХ 2": Decimal("4.72")}


def test_quoted_cells_with_line_breaks_and_quotes_stay_one_cell():
    text = ('"Боковина\nлевая"\tФанера 18\t18\t2000\t400\t2\n'
            '"Полка ""Экспорт"""\tЛДСП 16\t16\t800\t300\t3\n'
            'Дно 18"\tЛДСП 16\t16\t700\t500\t1')
    result = parse_parts(text)
    assert result.problems == []
    assert [line.name for line in result.lines] == ["Боковина левая", 'Полка "Экспорт"', 'Дно 18"']
    assert [line.quantity for line in result.lines] == [2, 3, 1]


def test_absurd_quantities_are_refused_not_accepted():
    result = parse_parts("Ламель\tФанера 12\t12\t790\t70\t3000000000\nЛамель\tФанера 12\t12\t790\t70\t10000")
    assert [line.quantity for line in result.lines] == [10_000]
    (problem,) = result.problems
    assert "больше 10 000 в строке" in str(problem)
    with pytest.raises(SpecError, match="больше 10 000"):
        clean_hardware({"item": "Конфирмат", "quantity": "1e12", "unit": "шт"})
