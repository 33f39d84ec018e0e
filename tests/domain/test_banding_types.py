"""The shop's banding types: the list a new database starts with, added, edited, taken out of use
and deleted (refused while a specification names the type), with Russian messages naming the
field; the cut sheet's metres and sizes follow the edited list."""
from __future__ import annotations

from decimal import Decimal

import pytest
from pypdf import PdfReader

from app.documents.cut_plan import sheet_pieces
from app.documents.layout_pdf import layouts_hook
from app.documents.pack_data import load_sheet
from app.documents.pack_pdf import build_pack
from app.domain.banding import DEFAULT_BANDING
from app.domain.errors import NotFoundError, PermissionDeniedError, ServiceError, ValidationError
from app.services import banding_types, specs, stock_boards
from app.store import migrations
from app.store.connection import open_database
from app.store.db import close_database
from tests.conftest import table_counts
from tests.domain.helpers import run_together
from tests.domain.test_cut_layouts import QUARTER, two_order_sheet

ABS = {"name": "ABS 1", "thickness": "1", "overhang": "25", "compensate": True}


def test_a_new_database_has_the_built_in_types_so_old_specifications_keep_their_meaning(db):
    listed = banding_types.banding_list()
    assert list(listed.values()) == list(DEFAULT_BANDING)
    assert [t.name for t in listed.values()] == ["ПВХ 0,4", "ПВХ 0,8", "ПВХ 1", "ПВХ 2"]
    assert listed["2"].compensate and not listed["0.4"].compensate and listed["2"].overhang == 20


def test_the_constructor_adds_and_edits_types_and_the_code_stays(staff):
    constructor = staff["constructor"]
    added = banding_types.add_banding_type(constructor, ABS)
    assert added.changes.specs
    # «1» is ПВХ 1's code: the new type gets one of its own, ПВХ 1's lines keep meaning ПВХ 1
    assert added.value.code == "1-2" and added.value.thickness == Decimal(1) and added.value.overhang == 25
    assert list(banding_types.banding_list())[-1] == "1-2"
    edited = banding_types.edit_banding_type(constructor, "1-2", {**ABS, "name": "  ABS   1 мм ", "thickness": "1,5"})
    assert edited.value.code == "1-2" and edited.value.name == "ABS 1 мм" and edited.value.thickness == Decimal("1.5")
    assert banding_types.banding_list()["1-2"] == edited.value
    thick = banding_types.add_banding_type(staff["admin"], {"name": "ПВХ 3", "thickness": "3", "overhang": "30"})
    assert thick.value.code == "3" and not thick.value.compensate  # the administrator may too


def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(staff):
    constructor = staff["constructor"]
    before = table_counts()
    for bad, field, message in (
            ({"name": ""}, "Название кромки", "не указано"),
            ({"name": "ПВХ 0,4"}, "Название кромки", "уже есть"),
            ({"name": " пвх  0,4 "}, "Название кромки", "уже есть"),
            ({"name": "Я" * 41}, "Название кромки", "не длиннее 40"),
            ({"thickness": "0"}, "Толщина кромки", "больше 0 и не больше 10"),
            ({"thickness": "10,5"}, "Толщина кромки", "больше 0 и не больше 10"),
            ({"thickness": "толстая"}, "Толщина кромки", "укажите число"),
            ({"thickness": "0,455"}, "Толщина кромки", "двух знаков"),
            ({"thickness": "NaN"}, "Толщина кромки", "укажите число"),
            ({"overhang": "-1"}, "Припуск", "от 0 до 50"),
            ({"overhang": "51"}, "Припуск", "от 0 до 50"),
            ({"overhang": "2,5"}, "Припуск", "целое число"),
            ({"overhang": ""}, "Припуск", "целое число")):
        with pytest.raises(ValidationError, match=f"{field}: .*{message}"):
            banding_types.add_banding_type(constructor, {**ABS, **bad})
        with pytest.raises(ValidationError, match=f"{field}: .*{message}"):
            banding_types.edit_banding_type(constructor, "2", {**ABS, **bad})
    with pytest.raises(ServiceError, match="неверные данные"):
        banding_types.add_banding_type(constructor, ["ABS"])
    with pytest.raises(PermissionDeniedError):
        banding_types.add_banding_type(staff["manager"], ABS)
    with pytest.raises(PermissionDeniedError):
        banding_types.delete_banding_type(staff["chief"], "0.8")
    with pytest.raises(NotFoundError):
        banding_types.edit_banding_type(constructor, "9", ABS)
    assert table_counts() == before
    assert list(banding_types.banding_list().values()) == list(DEFAULT_BANDING)
    # a type may keep its own name when edited
    assert banding_types.edit_banding_type(constructor, "2", {"name": "ПВХ 2", "thickness": "2", "overhang": "30",
                                                              "compensate": True}).value.overhang == 30


def test_a_type_in_use_is_not_deleted_only_taken_out_of_use(staff):
    constructor = staff["constructor"]
    first, _ = two_order_sheet(staff)
    specs.save_parts(first.id, constructor, [{**QUARTER, "edge_w2": "ПВХ 0,8"}])
    with pytest.raises(ServiceError, match="«ПВХ 0,8» нельзя удалить: она указана в спецификациях"):
        banding_types.delete_banding_type(constructor, "0.8")
    assert "0.8" in banding_types.banding_list()
    assert banding_types.used_codes() == {"0.8"}
    off = banding_types.set_banding_active(constructor, "0.8", False)
    assert not off.value.active and not banding_types.banding_list()["0.8"].active
    # the lines that have it still save and print it
    specs.save_parts(first.id, constructor, specs.parts_of(first.id))
    assert specs.parts_of(first.id)[0].edge_w2 == "0.8"
    assert banding_types.delete_banding_type(constructor, "1").value.name == "ПВХ 1"  # never used
    assert list(banding_types.banding_list()) == ["0.4", "0.8", "2"]
    with pytest.raises(NotFoundError):
        banding_types.delete_banding_type(constructor, "1")


def test_the_specification_names_the_shops_types_and_refuses_others(staff):
    constructor = staff["constructor"]
    first, _ = two_order_sheet(staff)
    banding_types.add_banding_type(constructor, ABS)
    specs.save_parts(first.id, constructor, [{**QUARTER, "edge_l1": "abs 1", "edge_l2": "2 мм", "edge_w1": "0,4"}])
    line = specs.parts_of(first.id)[0]
    assert (line.edge_l1, line.edge_l2, line.edge_w1, line.edge_w2) == ("1-2", "2", "0.4", "")
    with pytest.raises(ValidationError, match="Кромка Д1: «ABS 2» — нет такой кромки .*ПВХ 0,4.*ABS 1"):
        specs.save_parts(first.id, constructor, [{**QUARTER, "edge_l1": "ABS 2"}])


def test_the_cut_sheet_prints_metres_and_cuts_sizes_by_the_edited_types(staff, tmp_path):
    first, second = two_order_sheet(staff)
    constructor = staff["constructor"]
    specs.save_parts(second.id, constructor, [{**QUARTER, "edge_l1": "2", "edge_w1": "0.4"}])

    def printed() -> str:
        result = build_pack(load_sheet(1), tmp_path / "pack.pdf", layouts=layouts_hook(stock_boards.stock_boards()))
        return " ".join(" ".join(page.extract_text() for page in PdfReader(str(result.path)).pages).split())

    assert "Кромка по листу раскроя: ПВХ 0,4 — 1,2 м; ПВХ 2 — 2,5 м" in printed()
    # no overhang on ПВХ 2, which no longer cuts the part smaller; 0,4 renamed with a long overhang
    banding_types.edit_banding_type(constructor, "2", {"name": "ПВХ 2", "thickness": "2", "overhang": "0"})
    banding_types.edit_banding_type(constructor, "0.4", {"name": "Меламин 0,4", "thickness": "0,4", "overhang": "50"})
    text = printed()
    # 2 × 1208 = 2,416 m; 2 × (598 + 50) = 1,296 m
    assert "Кромка по листу раскроя: Меламин 0,4 — 1,3 м; ПВХ 2 — 2,4 м" in text
    assert "кромка: Меламин 0,4 — 1,3 м; ПВХ 2 — 2,4 м" in text  # the order's parts specification
    shelves = [p for p in sheet_pieces(load_sheet(1)) if p.order == str(second.order_no)]
    assert [(p.length, p.width) for p in shelves] == [(1208, 598)]
    banding_types.edit_banding_type(constructor, "0.4", {"name": "Меламин 0,4", "thickness": "0,4", "overhang": "50",
                                                         "compensate": True})
    banding_types.edit_banding_type(constructor, "2", {"name": "ПВХ 2", "thickness": "2", "overhang": "0",
                                                       "compensate": True})
    shelves = [p for p in sheet_pieces(load_sheet(1)) if p.order == str(second.order_no)]
    assert [(p.length, p.width) for p in shelves] == [(1208, 596)]  # 2 off the width; 0,4 rounds off the length


def test_two_pcs_adding_the_same_type_at_once_store_it_once(staff):
    def add() -> None:
        banding_types.add_banding_type(staff["constructor"], ABS)

    errors = run_together(add, add)
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "Название кромки" in str(errors[0])
    assert [t.name for t in banding_types.banding_list().values()].count("ABS 1") == 1


def test_an_older_database_gets_the_built_in_types_when_it_is_upgraded(tmp_path, fake_clock, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:-1])
    db = open_database(url)
    assert not db.table_exists("banding_type")
    close_database()
    monkeypatch.undo()
    open_database(url)
    try:
        assert list(banding_types.banding_list().values()) == list(DEFAULT_BANDING)
    finally:
        close_database()
