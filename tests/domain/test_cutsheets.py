"""Specifications at «Раскрой», numbered cut sheets and handing them to production."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from app.services import cutsheets, specs
from app.store.models import CutSheet, HardwareSpec, Note, PartSpec, Task, TimelineEntry
from tests.domain.helpers import cutting_deal, new_deal, run_together

PART = {"name": "Боковина", "material": "Фанера 18", "thickness": "18", "length": "2000", "width": "400",
        "quantity": "2", "edge_l1": "2", "may_rotate": "нет"}


def test_parts_saved_and_bad_rows_refused_without_change(staff, counts):
    deal = cutting_deal(staff["manager"])
    specs.save_parts(deal.id, staff["constructor"], [PART, {**PART, "name": "Спинка", "length": "900"}])
    assert [p.name for p in specs.parts_of(deal.id)] == ["Боковина", "Спинка"]
    before = counts()
    with pytest.raises(ValidationError) as caught:
        specs.save_parts(deal.id, staff["constructor"], [PART, {**PART, "width": "0"}, {**PART, "quantity": "0"}])
    assert "Строка 2" in str(caught.value) and "Строка 3" in str(caught.value)
    assert counts() == before
    assert PartSpec.select().where(PartSpec.deal == deal.id).count() == 2


def test_hardware_saved_with_units(staff):
    deal = cutting_deal(staff["manager"])
    specs.save_hardware(deal.id, staff["constructor"], [
        {"item": "Конфирмат 7×50", "article": "КФ-750", "quantity": "48", "unit": "шт"},
        {"item": "Лента LED", "quantity": "2,5", "unit": "м"}])
    assert [(h.item, h.quantity, h.unit) for h in specs.hardware_of(deal.id)] == [
        ("Конфирмат 7×50", Decimal(48), "шт"), ("Лента LED", Decimal("2.5"), "м")]
    with pytest.raises(ValidationError, match="Ед."):
        specs.save_hardware(deal.id, None, [{"item": "Клей", "quantity": "1", "unit": "л"}])
    assert HardwareSpec.select().count() == 2


def test_parts_copied_only_from_the_same_bed_model(staff):
    source = cutting_deal(staff["manager"], name="Иванова Ярус")
    target = cutting_deal(staff["manager"], name="Петрова Ярус")
    other = cutting_deal(staff["manager"], name="Сидорова Остров")
    specs.save_parts(source.id, None, [PART])
    assert [d.id for d in specs.same_model_orders(target.id)] == [source.id]
    specs.copy_parts_from(target.id, source.id, staff["constructor"])
    assert [p.name for p in specs.parts_of(target.id)] == ["Боковина"]
    with pytest.raises(ServiceError, match="той же модели"):
        specs.copy_parts_from(other.id, source.id, None)
    assert TimelineEntry.select().where(TimelineEntry.deal == target.id,
                                        TimelineEntry.text.contains("скопирована из заказа")).count() == 1


def test_cut_sheet_numbers_notes_and_several_sheets_per_order(staff):
    first, second = cutting_deal(staff["manager"], name="А Ярус"), cutting_deal(staff["manager"], name="Б Остров")
    sheet1 = cutsheets.create_cut_sheet(staff["constructor"], [first.id, second.id], "Фанера 18").value
    sheet2 = cutsheets.create_cut_sheet(staff["constructor"], [first.id], "ЛДСП 16 Белый").value
    assert (sheet1.number, sheet2.number) == (1, 2)
    notes = [n.text for n in Note.select().where(Note.deal == first.id).order_by(Note.id)]
    assert notes == ["Заказ на листе раскроя №1", "Заказ на листе раскроя №2"]
    assert TimelineEntry.select().where(TimelineEntry.deal == second.id,
                                        TimelineEntry.text == "Заказ на листе раскроя №1").count() == 1
    rows = cutsheets.list_sheets()
    assert [(r.number, r.order_nos) for r in rows] == [(2, [first.order_no]), (1, [first.order_no, second.order_no])]


def test_only_orders_at_cutting_go_on_a_sheet(staff, counts):
    at_cutting, too_early = cutting_deal(staff["manager"]), new_deal(staff["manager"])
    before = counts()
    with pytest.raises(ServiceError, match=f"№{too_early.order_no}"):
        cutsheets.create_cut_sheet(staff["constructor"], [at_cutting.id, too_early.id])
    with pytest.raises(ServiceError, match="Выберите заказы"):
        cutsheets.create_cut_sheet(staff["constructor"], [])
    assert counts() == before


def test_cancelled_numbers_are_never_reused(staff):
    deal = cutting_deal(staff["manager"])
    cutsheets.create_cut_sheet(None, [deal.id])
    cutsheets.cancel_cut_sheet(1, staff["constructor"], "ошибка в материале")
    with pytest.raises(ServiceError, match="уже аннулирован"):
        cutsheets.cancel_cut_sheet(1, None)
    assert cutsheets.create_cut_sheet(None, [deal.id]).value.number == 2
    assert cutsheets.get_sheet(1).status == CutSheet.CANCELLED
    assert [r.status_name for r in cutsheets.list_sheets()] == ["действует", "аннулирован"]
    assert [r.number for r in cutsheets.list_sheets(include_cancelled=False)] == [2]
    with pytest.raises(ServiceError, match="аннулирован"):
        cutsheets.send_to_production(1, None)


def test_send_to_production_moves_all_and_tasks_the_chief(staff):
    deals_ = [cutting_deal(staff["manager"], name=f"Заказ {i} Ярус") for i in range(3)]
    cutsheets.create_cut_sheet(staff["constructor"], [d.id for d in deals_])
    from app.services import deals as deal_service
    deal_service.move_deal(deals_[2].id, "paid", staff["manager"])  # moved back meanwhile
    result = cutsheets.send_to_production(1, staff["constructor"])
    assert [m.deal.id for m in result.moved] == [deals_[0].id, deals_[1].id]
    assert [d.id for d in result.skipped] == [deals_[2].id]
    for deal in deals_[:2]:
        assert deal_service.load_deal(deal.id).stage == "production"
        task = Task.get(Task.deal == deal.id, Task.rule == "production.accept")
        assert task.assignee_group.name == "Начальник производства"
    assert result.changes.stages == {"cutting", "production"}
    with pytest.raises(ServiceError, match="нет заказов на этапе «Раскрой»"):
        cutsheets.send_to_production(1, None)


def test_cut_sheet_numbers_unique_with_concurrent_creators(db_url, staff):
    deal = cutting_deal(staff["manager"])
    def create_many():
        for _ in range(10):
            cutsheets.create_cut_sheet(None, [deal.id])

    errors = run_together(create_many, create_many, create_many)
    assert errors == []
    assert sorted(s.number for s in CutSheet.select()) == list(range(1, 31))
    assert Note.select().where(Note.deal == deal.id).count() == 30


def test_only_the_constructor_creates_and_cancels_sheets(staff, counts):
    deal = cutting_deal(staff["manager"])
    before = counts()
    with pytest.raises(PermissionDeniedError, match="Создание и аннулирование листов раскроя"):
        cutsheets.create_cut_sheet(staff["manager"], [deal.id])
    assert counts() == before
    cutsheets.create_cut_sheet(staff["constructor"], [deal.id])
    with pytest.raises(PermissionDeniedError):
        cutsheets.cancel_cut_sheet(1, staff["chief"])
    cutsheets.cancel_cut_sheet(1, staff["admin"])  # the administrator may do everything
    with pytest.raises(PermissionDeniedError, match="Производство"):
        cutsheets.send_to_production(cutsheets.create_cut_sheet(None, [deal.id]).value.number, staff["manager"])


def test_drawings_attached_only_as_jpg_png_or_pdf(staff, tmp_path, counts):
    deal = cutting_deal(staff["manager"])
    good, bad = tmp_path / "Чертеж.PDF", tmp_path / "чертеж.dwg"
    good.write_bytes(b"%PDF-1.4")
    bad.write_bytes(b"AC1015")
    attachment = specs.attach_drawing(deal.id, staff["constructor"], good, "assembly_drawing").value
    assert (attachment.kind, attachment.original_name) == ("assembly_drawing", "Чертеж.PDF")
    before = counts()
    with pytest.raises(ServiceError, match="JPG, PNG или PDF"):
        specs.attach_drawing(deal.id, staff["constructor"], bad)
    with pytest.raises(ServiceError, match="вид чертежа"):
        specs.attach_drawing(deal.id, staff["constructor"], good, "brief")
    assert counts() == before


def test_queue_lines_read_in_the_same_few_queries_for_any_number_of_orders(staff, tmp_path):
    from playhouse.test_utils import count_queries

    from app.services import notes

    first = cutting_deal(staff["manager"], name="Иванова Ярус с комодом")
    specs.save_parts(first.id, staff["constructor"], [PART, {**PART, "quantity": "3"}])
    specs.save_form(first.id, staff["constructor"], specs.FormValues(bed_model="Замок"))
    drawing = tmp_path / "чертеж.png"
    drawing.write_bytes(b"png")
    notes.attach_file(first.id, staff["constructor"], drawing, "drawing")

    def queries() -> int:
        with count_queries() as counted:
            lines = cutsheets.cutting_queue()
        return counted.count, lines

    few, lines = queries()
    (line,) = lines
    assert (line.order_no, line.client, line.bed_model, line.part_rows, line.parts, line.drawing_kinds) == (
        first.order_no, "Тестов Тест Тестович", "Замок", 2, 2 + 3, frozenset({"drawing"}))
    for n in range(8):
        cutting_deal(staff["manager"], name=f"Петрова Остров {n}")
    many, lines = queries()
    assert many == few and len(lines) == 9
    assert lines[-1].bed_model == "Остров" and lines[-1].parts == 0
