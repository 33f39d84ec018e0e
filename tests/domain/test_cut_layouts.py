"""Cut layouts of a cut sheet: the stock boards table, the per-material plan of the sheet's parts
and the printed drawings with the board count and utilisation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.cutting import DEFAULT_BOARDS, Board
from app.cutting.materials import stock_board_for
from app.documents.cut_plan import order_costs, percent, plan_sheet, sheet_pieces
from app.documents.layout_pdf import layouts_hook
from app.documents.pack_data import OrderData, SheetData, load_sheet
from app.documents.pack_pdf import build_pack
from app.domain.errors import PermissionDeniedError, ServiceError
from app.domain.specs import PartLine
from app.services import cutsheets, specs, stock_boards
from tests.domain.helpers import cutting_deal

PLY, WHITE, PINE = "Фанера 18", "ЛДСП 16 Белый", "Массив сосны 40"
# 2440×1220 less 10 mm trim is 2420×1200: four 1208×598 parts with 4 mm kerf tile it exactly
QUARTER = {"name": "Полка", "material": PLY, "thickness": "18", "length": "1208", "width": "598", "quantity": "2"}
# 2800×2070 less trim: two 2000×1000 parts per board, so three need two boards
SIDE = {"name": "Стенка", "material": WHITE, "thickness": "16", "length": "2000", "width": "1000",
        "quantity": "3", "may_rotate": False}


def _order(no: int, parts: list[PartLine]) -> OrderData:
    return OrderData(no, "Иванова", "Иванова А. Б.", date(2025, 6, 1), None, "standard", "Ярус", "", "", "", "—",
                     parts=parts)


def _line(name: str, material: str, length: int, width: int, qty: int, rotate: bool = True) -> PartLine:
    return PartLine(name, material, Decimal(18), length, width, qty, may_rotate=rotate)


def test_a_part_takes_the_board_of_its_material_or_of_the_material_its_name_starts_with():
    stock = [Board("ЛДСП 16", 2800, 2070), Board("ЛДСП 16 Дуб", 2750, 1830), Board("Фанера 18", 2440, 1220)]
    white = stock_board_for("ЛДСП  16 белый", stock)
    assert (white.material, white.length, white.width) == ("ЛДСП 16 белый", 2800, 2070)
    assert stock_board_for("ЛДСП 16 Дуб сонома", stock).length == 2750  # the longest matching name
    assert stock_board_for("Фанера 12", stock) is None
    assert stock_board_for("ЛДСП", stock) is None


def test_stock_boards_default_then_edited_by_the_constructor_and_bad_rows_named(staff):
    assert stock_boards.stock_boards() == list(DEFAULT_BOARDS)
    rows = [{"material": " Фанера  18 ", "length": "1525", "width": "1525", "trim": "15", "kerf": "3"}]
    with pytest.raises(PermissionDeniedError):
        stock_boards.save_stock_boards(staff["manager"], rows)
    assert stock_boards.stock_boards() == list(DEFAULT_BOARDS)
    stock_boards.save_stock_boards(staff["constructor"], rows)
    assert stock_boards.stock_boards() == [Board("Фанера 18", 1525, 1525, 15, 3)]
    for bad, message in (({"length": "abc"}, "целые миллиметры"), ({"width": "0"}, "больше нуля"),
                         ({"kerf": "-1"}, "отрицательными"), ({"trim": "800"}, "ничего не остаётся"),
                         ({"material": ""}, "укажите материал")):
        with pytest.raises(ServiceError, match=message) as error:
            stock_boards.save_stock_boards(staff["constructor"], [rows[0], {**rows[0], "material": "МДФ 16", **bad}])
        assert "Строка 2" in str(error.value)
    with pytest.raises(ServiceError, match="уже есть"):
        stock_boards.save_stock_boards(staff["constructor"], [rows[0], rows[0]])
    assert stock_boards.stock_boards() == [Board("Фанера 18", 1525, 1525, 15, 3)]  # nothing lost or half-saved


def test_sheet_plan_per_material_with_part_numbers_and_verdicts():
    sheet = SheetData(7, "", date(2025, 6, 2), "Сергей", False, [
        _order(21, [_line("Полка", PLY, 1208, 598, 2), _line("Стойка", PINE, 1750, 80, 4)]),
        _order(22, [_line("Полка", PLY, 1208, 598, 2), _line("Стенка", WHITE, 2000, 1000, 3, rotate=False)]),
    ])
    pieces = sheet_pieces(sheet)
    assert [(p.id, p.order, p.name) for p in pieces][:2] == [("21-1", "21", "Полка"), ("21-2", "21", "Стойка")]
    plan = plan_sheet(sheet, DEFAULT_BOARDS, time_limit=0.5)
    by_name = {m.material: m for m in plan.materials}
    assert by_name[PLY].verdict == "1 лист — меньше невозможно"
    assert by_name[PLY].utilisation == pytest.approx(4 * 1208 * 598 / (2440 * 1220))
    assert {p.order for p in by_name[PLY].layouts[0].placements} == {"21", "22"}
    assert by_name[WHITE].verdict == "2 листа — меньше невозможно"
    assert all(not p.rotated for layout in by_name[WHITE].layouts for p in layout.placements)
    assert by_name[PINE].result is None and "нет такого листа" in by_name[PINE].verdict
    assert plan.boards_used == 3
    assert plan_sheet(sheet, DEFAULT_BOARDS, time_limit=0.5) is plan  # the screen and the print agree


def test_a_part_larger_than_the_board_is_named_and_the_other_materials_still_planned():
    sheet = SheetData(8, "", date(2025, 6, 2), "Сергей", False, [
        _order(23, [_line("Столешница", PLY, 3000, 600, 1, rotate=False), _line("Стенка", WHITE, 2000, 1000, 1)])])
    plan = plan_sheet(sheet, DEFAULT_BOARDS, time_limit=0.3)
    by_name = {m.material: m for m in plan.materials}
    assert "23-1" in by_name[PLY].verdict and "больше любого листа" in by_name[PLY].verdict
    assert by_name[WHITE].verdict == "1 лист — меньше невозможно"


def two_order_sheet(staff):
    """Cut sheet №1 with two orders: 4 plywood shelves and one large white chipboard wall."""
    constructor = staff["constructor"]
    first = cutting_deal(staff["manager"], name="Краева Ярус")
    second = cutting_deal(staff["manager"], name="Басова Остров")
    specs.save_parts(first.id, constructor, [QUARTER, SIDE])
    specs.save_parts(second.id, constructor, [QUARTER])
    cutsheets.create_cut_sheet(constructor, [first.id, second.id])
    return first, second


def test_printed_cut_sheet_shows_boards_to_take_and_utilisation(staff, tmp_path):
    first, second = two_order_sheet(staff)
    sheet = load_sheet(1)
    result = build_pack(sheet, tmp_path / "pack.pdf", layouts=layouts_hook(stock_boards.stock_boards()))
    text = " ".join(page.extract_text() for page in PdfReader(str(result.path)).pages)
    text = " ".join(text.split())
    plan = plan_sheet(sheet, stock_boards.stock_boards())
    assert "Схемы раскроя" in text
    assert "Всего взять со склада: 3 листа" in text
    assert f"использование листов {percent(plan.utilisation)}" in text
    assert "1 лист — меньше невозможно" in text and "2 листа — меньше невозможно" in text
    assert f"{PLY} · лист 1 из 1 · 2440×1220 мм · использование {percent(4 * 1208 * 598 / (2440 * 1220))}" in text
    assert f"{WHITE} · лист 2 из 2" in text
    assert f"{first.order_no}-1" in text and f"№{second.order_no}" in text  # parts on the drawing and list


def test_stock_boards_keep_the_cut_depth_and_the_layouts_obey_it(staff):
    rows = [{"material": "Фанера 18", "length": "2440", "width": "1220", "trim": "10", "kerf": "4",
             "stages": "3"},
            {"material": "МДФ 16", "length": "2440", "width": "1220", "trim": "10", "kerf": "4",
             "stages": "любая"}]
    stock_boards.save_stock_boards(staff["constructor"], rows)
    assert [b.stages for b in stock_boards.stock_boards()] == [3, None]
    assert stock_board_for("Фанера 18 Берёза", stock_boards.stock_boards()).stages == 3
    for bad in ("1", "пять", "5"):
        with pytest.raises(ServiceError, match="этапы резки") as error:
            stock_boards.save_stock_boards(staff["constructor"], [rows[0], {**rows[1], "stages": bad}])
        assert "Строка 2" in str(error.value)
    assert [b.stages for b in stock_boards.stock_boards()] == [3, None]


def test_several_board_sizes_with_costs_and_the_material_cost_per_order(staff, tmp_path):
    first, second = two_order_sheet(staff)
    rows = [{"material": "ЛДСП 16", "length": "2800", "width": "2070", "trim": "10", "kerf": "4",
             "cost": "3 000"},
            {"material": "ЛДСП 16", "length": "2800", "width": "1040", "trim": "10", "kerf": "4",
             "count": "5", "cost": "1600"},
            {"material": PLY, "length": "2440", "width": "1220", "trim": "10", "kerf": "4", "cost": "2000,00"}]
    stock_boards.save_stock_boards(staff["constructor"], rows)
    stock = stock_boards.stock_boards()
    assert [(b.width, b.count, b.cost) for b in stock] == [(2070, None, 3000), (1040, 5, 1600), (1220, None, 2000)]
    sheet = load_sheet(1)
    plan = plan_sheet(sheet, stock)
    white = next(m for m in plan.materials if m.material == WHITE)
    assert sorted(layout.board.width for layout in white.layouts) == [1040, 2070]  # the third side on a cut-down
    assert set(white.sizes.split(", ")) == {"2800×2070 × 1", "2800×1040 × 1"}
    costs = order_costs(plan)
    assert costs == {str(first.order_no): pytest.approx(3000 + 1600 + 1000), str(second.order_no): pytest.approx(1000)}
    result = build_pack(sheet, tmp_path / "pack.pdf", layouts=layouts_hook(stock))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(result.path)).pages).split())
    assert "Стоимость листов по заказам (по площади деталей)" in text
    with pytest.raises(ServiceError, match="Строка 2.*количество"):
        stock_boards.save_stock_boards(staff["constructor"], [rows[0], {**rows[1], "count": "много"}])
    with pytest.raises(ServiceError, match="Строка 2.*цена"):
        stock_boards.save_stock_boards(staff["constructor"], [rows[0], {**rows[1], "cost": "дорого"}])


def test_printed_layouts_show_the_banding_metres_per_order_and_sheet(staff, tmp_path):
    first, second = two_order_sheet(staff)
    specs.save_parts(second.id, staff["constructor"], [{**QUARTER, "edge_l1": "2", "edge_w1": "0.4"}])
    sheet = load_sheet(1)
    shelves = [p for p in sheet_pieces(sheet) if p.order == str(second.order_no)]
    assert [(p.length, p.width) for p in shelves] == [(1208, 596)]  # 2 mm banding on a long edge
    result = build_pack(sheet, tmp_path / "pack.pdf", layouts=layouts_hook(stock_boards.stock_boards()))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(result.path)).pages).split())
    assert "Кромка по листу раскроя: ПВХ 0,4 — 1,2 м; ПВХ 2 — 2,5 м" in text  # 2 × (598 + 20), 2 × (1208 + 20)
    assert f"№{first.order_no}: нет; №{second.order_no}: ПВХ 0,4 — 1,2 м; ПВХ 2 — 2,5 м" in text
