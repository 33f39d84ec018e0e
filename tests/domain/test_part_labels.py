"""Part labels: one per physical part, with the order number the terminal's scan field reads."""
from __future__ import annotations

import argparse

from pypdf import PdfReader

from app.cli.print_labels import print_labels
from app.documents.cut_plan import plan_sheet
from app.documents.pack_data import load_sheet
from app.documents.part_labels import FORMAT_KEY, build_labels, sheet_labels
from app.queries.workstation_queues import parse_order_no
from app.services import stock_boards
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
    setting_values.write(FORMAT_KEY, "roll")
    out = tmp_path / "labels.pdf"
    assert print_labels(argparse.Namespace(number=1, output=str(out), format=None)) == 0
    assert "7 шт., рулон 58 × 40 мм, 7 стр." in capsys.readouterr().out
    assert len(PdfReader(str(out)).pages) == 7
    assert print_labels(argparse.Namespace(number=99, output=str(out), format="a4")) == 2
