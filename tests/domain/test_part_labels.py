"""Part labels: one per physical part, with the order number the terminal's scan field reads."""
from __future__ import annotations

import argparse

import pytest
from pypdf import PdfReader

from app.cli.print_labels import print_labels
from app.documents.cut_plan import plan_sheet
from app.documents.pack_data import load_sheet
from app.documents.part_labels import build_labels, sheet_labels
from app.domain.errors import PermissionDeniedError, ValidationError
from app.domain.label_sheet import LabelSettings
from app.queries.workstation_queues import parse_order_no
from app.services import label_settings, stock_boards
from app.services.label_settings import KEY
from app.store import setting_values
from tests.domain.test_cut_layouts import PLY, WHITE, two_order_sheet


def _pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def test_one_label_per_part_with_board_order_client_size_and_scannable_number(staff, tmp_path):
    first, second = two_order_sheet(staff)  # 2 + 2 shelves of plywood, 3 chipboard sides for the first
    sheet = load_sheet(1)
    labels = sheet_labels(sheet, plan_sheet(sheet, stock_boards.stock_boards()))
    assert len(labels) == 7
    assert sorted(label.order_no for label in labels) == sorted([first.order_no] * 5 + [second.order_no] * 2)
    assert all(parse_order_no(str(label.order_no)) == label.order_no for label in labels)  # what the barcode holds
    assert build_labels(labels, tmp_path / "a4.pdf") == 1
    (text,) = _pages(tmp_path / "a4.pdf")
    surname = next(order.surname for order in sheet.orders if order.order_no == first.order_no)
    assert text.count("Заказ №") == 7 and text.count(f"Заказ №{first.order_no} · {surname}") == 5
    assert f"лист 1 из 2, {WHITE}" in text and f"лист 1 из 1, {PLY}" in text
    assert "2000×1000 · " + WHITE in text and "1208×598 · " + PLY in text
    assert build_labels(labels, tmp_path / "roll.pdf", "roll") == 7
    roll = _pages(tmp_path / "roll.pdf")
    assert all(page.count("Заказ №") == 1 for page in roll)


def test_print_labels_command_takes_the_format_from_the_settings(staff, tmp_path, capsys):
    two_order_sheet(staff)
    setting_values.write(KEY, "roll")  # as the first version stored it
    out = tmp_path / "labels.pdf"
    assert print_labels(argparse.Namespace(number=1, output=str(out), format=None)) == 0
    assert "7 шт., рулон 58 × 40 мм, 7 стр." in capsys.readouterr().out
    assert len(PdfReader(str(out)).pages) == 7
    assert print_labels(argparse.Namespace(number=99, output=str(out), format="a4")) == 2


def _geometry(path) -> tuple[list[tuple[float, float]], list[int]]:
    """Page sizes in mm and the labels on each page (as many «Заказ №» as labels)."""
    reader = PdfReader(str(path))
    sizes = [(round(float(p.mediabox.width) / 72 * 25.4, 1), round(float(p.mediabox.height) / 72 * 25.4, 1))
             for p in reader.pages]
    return sizes, [page.extract_text().count("Заказ №") for page in reader.pages]


def test_the_label_paper_saved_in_the_settings_is_what_the_labels_are_printed_on(staff, tmp_path, capsys):
    two_order_sheet(staff)  # 7 parts
    constructor = staff["constructor"]
    assert label_settings.label_settings() == LabelSettings()
    saved = label_settings.save_label_settings(constructor, {
        "kind": "a4", "columns": "2", "rows": "3", "width": "99,1", "height": "67,7", "left": "4,6", "top": "8,8",
        "gap_x": "2,5", "gap_y": "0", "roll_width": "75", "roll_height": "50"})
    assert saved.changes.settings and saved.value.width == 99.1
    out = tmp_path / "labels.pdf"
    assert print_labels(argparse.Namespace(number=1, output=str(out), format=None)) == 0
    assert "7 шт., листы A4, 2 × 3 бирок 99,1 × 67,7 мм, 2 стр." in capsys.readouterr().out
    assert _geometry(out) == ([(210.0, 297.0)] * 2, [6, 1])
    assert print_labels(argparse.Namespace(number=1, output=str(out), format="roll")) == 0  # --format overrides
    assert "рулон 75 × 50 мм, 7 стр." in capsys.readouterr().out
    assert _geometry(out) == ([(75.0, 50.0)] * 7, [1] * 7)
    label_settings.save_label_settings(staff["admin"], {**saved.value.as_dict(), "kind": "roll"})
    assert label_settings.label_settings().kind == "roll"
    assert print_labels(argparse.Namespace(number=1, output=str(out), format="a4")) == 0
    assert _geometry(out)[1] == [6, 1]


def test_label_paper_that_does_not_fit_or_is_not_a_size_is_refused_naming_the_field(staff):
    constructor = staff["constructor"]
    for bad, field, message in (
            ({"columns": "3", "width": "75"}, "Ширина бирки", "3 × 75 мм с полем и зазорами — 225 мм, шире листа A4"),
            ({"rows": "8", "height": "37", "top": "5"}, "Высота бирки",
             "8 × 37 мм с полем и зазорами — 301 мм, выше листа A4"),
            ({"columns": "0"}, "Бирок в ряду", "от 1 до 10"),
            ({"rows": "2,5"}, "Рядов на листе", "укажите целое число"),
            ({"width": "узкая"}, "Ширина бирки", "укажите число мм"),
            ({"height": "20"}, "Высота бирки", "от 30 до 297 мм"),
            ({"left": "-1"}, "Поле слева", "от 0 до 100 мм"),
            ({"roll_width": "300"}, "Ширина бирки в рулоне", "от 40 до 120 мм"),
            ({"roll_height": "inf"}, "Высота бирки в рулоне", "укажите число мм"),
            ({"kind": "a5"}, "Формат бирок", "выберите")):
        with pytest.raises(ValidationError, match=f"{field}: {message}"):
            label_settings.save_label_settings(constructor, bad)
        assert field in [p.label for p in label_settings.check_label_settings(bad)]
    with pytest.raises(PermissionDeniedError):
        label_settings.save_label_settings(staff["manager"], {})
    assert label_settings.label_settings() == LabelSettings()
    assert setting_values.read(label_settings.KEY) is None
