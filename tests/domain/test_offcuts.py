"""Stored offcuts («деловые остатки»): stored at «Раскроено», taken by the next sheet's layouts when
that saves a board (not when it does not, nor when excluded), taken off the store when used, written
off by the administrator only, printed on labels, and never taken by two sheets."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.documents.part_labels import build_offcut_labels, offcut_labels, sheet_labels
from app.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from app.domain.offcuts import NewOffcut
from app.services import cutsheets, offcuts, specs, stock_boards
from app.services.sheet_plans import planned_sheet
from app.store.models import Counter, CutSheet, Note, Offcut
from tests.domain.helpers import cutting_deal, run_together

PLY = "Фанера 18"
# 2440×1220 less 10 mm trim is 2420×1200: four 1208×598 shelves tile a board exactly
SHELF = {"name": "Полка", "material": PLY, "thickness": "18", "length": "1208", "width": "598", "quantity": "2"}


def sheet_with(staff, shelves: int) -> int:
    """A new cut sheet of plywood with one order of ``shelves`` shelves; its number."""
    deal = cutting_deal(staff["manager"], name=f"Краева Ярус {shelves}")
    specs.save_parts(deal.id, staff["constructor"], [{**SHELF, "quantity": str(shelves)}])
    return cutsheets.create_cut_sheet(staff["constructor"], [deal.id], PLY).value.number


def cut(staff, number: int) -> list[Offcut]:
    """«Раскроено» on sheet ``number`` keeping every offcut its layouts leave."""
    planned = planned_sheet(number)
    return offcuts.mark_cut(staff["constructor"], number, planned.plan.offcuts_used,
                            planned.plan.new_offcuts()).value


def changes_counter() -> int:
    """The shop's change counter: every committed write advances it, and other PCs refresh on it."""
    row = Counter.get_or_none(Counter.name == "changes")
    return row.value if row else 0


def stored() -> list[tuple[int, str, int, int]]:
    return [(r.number, r.material, r.length, r.width) for r in offcuts.list_offcuts()]


def test_cut_sheet_stores_its_offcuts_numbered_with_the_sheet_they_came_from(staff):
    number = sheet_with(staff, 2)  # half a board: a 2420×598 strip is left
    made = cut(staff, number)
    assert stored() == [(1, PLY, 2420, 598)]
    assert [o.from_sheet.number for o in made] == [number]
    sheet = cutsheets.get_sheet(number)
    assert sheet.status == CutSheet.CUT and sheet.cut_by.id == staff["constructor"].id
    assert Note.select().where(Note.text.contains("на склад остатков: №1 (2420×598)")).count() == 1
    with pytest.raises(ServiceError, match="раскроен"):
        cut(staff, number)
    with pytest.raises(ServiceError, match="раскроен"):
        cutsheets.cancel_cut_sheet(number, staff["constructor"])


def test_cut_offers_the_waste_as_merged_pieces_not_the_optimisers_halves(staff):
    """A full-width shelf and two 600×400 ones beside it: the optimiser leaves a 600×194 strip above
    each small shelf; «Раскроено» offers the waste as larger pieces the saw can cut out (one
    1208-long piece for the two halves), none of them two halves of one rectangle."""
    deal = cutting_deal(staff["manager"], name="Краева Ярус смесь")
    specs.save_parts(deal.id, staff["constructor"], [
        {**SHELF, "quantity": "1"}, {**SHELF, "name": "Полочка", "length": "600", "width": "400"}])
    number = cutsheets.create_cut_sheet(staff["constructor"], [deal.id], PLY).value.number
    planned = planned_sheet(number)
    layout, = planned.plan.materials[0].layouts
    offered = planned.plan.new_offcuts()
    pieces = [(o.x, o.y, o.x + o.length, o.y + o.width) for o in layout.offcuts]
    assert [(o.length, o.width) for o in offered] == [(r[2] - r[0], r[3] - r[1]) for r in pieces]
    for n, a in enumerate(pieces):  # no two pieces side by side along a whole edge: they would be one
        for b in pieces[n + 1:]:
            for c in (0, 1):  # c: the coordinate they would join along
                o = 1 - c
                beside = 0 <= b[c] - a[c + 2] <= 4 or 0 <= a[c] - b[c + 2] <= 4
                assert not (beside and (a[o], a[o + 2]) == (b[o], b[o + 2])), (a, b)
    parts = sum(p.length * p.width for p in layout.placements)
    assert sum(o.length * o.width for o in offered) >= 2420 * 1200 - parts - 3 * 4 * 2420  # all but kerfs
    assert min(max(o.length, o.width) for o in offered) >= 1208  # the 600×194 halves come as one piece
    made = cut(staff, number)
    assert sorted((o.length, o.width) for o in made) == sorted((o.length, o.width) for o in offered)


def test_next_sheet_takes_a_stored_offcut_when_that_saves_a_board(staff):
    cut(staff, sheet_with(staff, 2))
    five = sheet_with(staff, 5)  # 4 + 1 shelves: two boards, or one board and the stored strip
    planned = planned_sheet(five)
    material = planned.plan.materials[0]
    assert planned.plan.offcuts_used == [1] and planned.plan.boards_used == 1
    assert material.take == "1 лист + остаток №1" and "без остатков — 2 листа" in material.verdict
    labels = sheet_labels(planned.sheet, planned.plan)
    boards = [label.board for label in labels]  # one label a shelf, those cut from the strip say so
    assert len(boards) == 5 and f"остаток №1 со склада, {PLY}" in boards and f"лист 1 из 1, {PLY}" in boards
    assert offcuts.list_offcuts()[0].status_name == f"в раскрое листа №{five}"
    writes = changes_counter()
    assert planned_sheet(five).changes.is_empty() and changes_counter() == writes  # other PCs not woken again
    cut(staff, five)
    assert [(r.number, r.status, r.used_on) for r in offcuts.list_offcuts(include_closed=True)
            if r.number == 1] == [(1, Offcut.USED, five)]
    assert 1 not in [number for number, *_ in stored()]


def test_offcuts_not_taken_when_they_save_nothing_or_are_excluded(staff):
    cut(staff, sheet_with(staff, 2))
    four = sheet_with(staff, 4)  # exactly one board: the strip would save nothing
    assert planned_sheet(four).plan.offcuts_used == []
    five = sheet_with(staff, 5)
    assert planned_sheet(five).plan.offcuts_used == [1]
    offcuts.set_use_offcuts(staff["constructor"], five, False)  # «Не использовать остатки»
    planned = planned_sheet(five)
    assert planned.plan.offcuts_used == [] and planned.plan.boards_used == 2
    assert offcuts.list_offcuts()[0].reserved_for is None  # released for the other sheets
    with pytest.raises(PermissionDeniedError):
        offcuts.set_use_offcuts(staff["manager"], five, True)


def test_re_optimising_releases_the_offcuts_and_cancelling_too(staff):
    cut(staff, sheet_with(staff, 2))
    first, second = sheet_with(staff, 5), sheet_with(staff, 5)
    assert planned_sheet(first).plan.offcuts_used == [1]
    assert planned_sheet(second).plan.offcuts_used == []  # held by the first sheet
    cutsheets.cancel_cut_sheet(first, staff["constructor"], "передумали")
    assert planned_sheet(second).plan.offcuts_used == []  # the second one's choice stands …
    offcuts.set_use_offcuts(staff["constructor"], second, True)  # … until it is computed anew
    assert planned_sheet(second).plan.offcuts_used == [1]


def test_smaller_minimum_keeps_smaller_offcuts_and_bad_minimum_named(staff):
    rows = [{"material": PLY, "length": "2440", "width": "1220", "trim": "10", "kerf": "4",
             "min_offcut": "2500×500"}]
    stock_boards.save_stock_boards(staff["constructor"], rows)
    assert stock_boards.stock_boards()[0].min_offcut == (2500, 500)
    assert cut(staff, sheet_with(staff, 2)) == []  # 2420×598 is below 2500×500: nothing stored
    with pytest.raises(ServiceError, match="минимальный остаток"):
        stock_boards.save_stock_boards(staff["constructor"], [{**rows[0], "min_offcut": "много"}])


def test_write_off_needs_the_right_and_refuses_an_offcut_in_use(staff, counts):
    cut(staff, sheet_with(staff, 2))
    before = counts()
    with pytest.raises(PermissionDeniedError, match="Списание деловых остатков"):
        offcuts.write_off(staff["constructor"], [1])
    five = sheet_with(staff, 5)
    planned_sheet(five)
    with pytest.raises(ServiceError, match=f"взят в раскрой листа №{five}"):
        offcuts.write_off(staff["admin"], [1])
    offcuts.set_use_offcuts(staff["constructor"], five, False)
    assert counts()["Offcut"] == before["Offcut"]
    offcuts.write_off(staff["admin"], [1])
    assert stored() == []
    with pytest.raises(ServiceError, match="списан"):
        offcuts.write_off(staff["admin"], [1])
    with pytest.raises(ValidationError, match="Остаток"):
        offcuts.write_off(staff["admin"], ["1"])


def test_bad_offcuts_at_cut_named_and_nothing_written(staff, counts):
    number = sheet_with(staff, 2)
    before = counts()
    for bad, field in ((NewOffcut(PLY, 0, 500), "Длина остатка"), (NewOffcut(PLY, 500, 10**6), "Ширина остатка"),
                       (NewOffcut(" ", 500, 500), "Материал остатка")):
        with pytest.raises(ValidationError, match=field):
            offcuts.mark_cut(staff["constructor"], number, [], [bad])
    with pytest.raises(ValidationError, match="Остаток"):
        offcuts.mark_cut(staff["constructor"], number, [0], [])
    with pytest.raises(PermissionDeniedError):
        offcuts.mark_cut(staff["manager"], number, [], [])
    assert counts() == before
    assert cutsheets.get_sheet(number).status == CutSheet.ACTIVE


def test_two_sheets_racing_for_one_offcut_get_it_once(staff):
    cut(staff, sheet_with(staff, 2))
    first, second = sheet_with(staff, 5), sheet_with(staff, 5)
    held = {}

    def hold(number):
        return lambda: held.setdefault(number, offcuts.hold_for_sheet(number, [1]).value)

    assert run_together(hold(first), hold(second)) == []
    assert sorted(held.values()) == [False, True]
    winner = first if held[first] else second
    assert offcuts.list_offcuts()[0].reserved_for == winner

    # both PCs mark their sheet cut with the offcut in their layouts: one of them is refused
    offcuts.set_use_offcuts(staff["constructor"], winner, True)  # released: both may try
    errors = run_together(*(lambda n=n: offcuts.mark_cut(None, n, [1], []) for n in (first, second)))
    assert len(errors) == 1 and "уже использован" in str(errors[0])
    assert Offcut.get(Offcut.number == 1).status == Offcut.USED
    assert sorted(s.status for s in CutSheet.select().where(CutSheet.number.in_([first, second]))) == [
        CutSheet.ACTIVE, CutSheet.CUT]


def test_offcut_labels_readable_in_the_pdf(staff, tmp_path):
    number = sheet_with(staff, 2)
    cut(staff, number)
    path = tmp_path / "offcuts.pdf"
    assert build_offcut_labels(offcut_labels(offcuts.offcut_rows([1])), path, "roll") == 1
    text = PdfReader(str(path)).pages[0].extract_text()
    assert "Остаток №1" in text and "2420×598" in text and PLY in text and f"лист раскроя №{number}" in text
