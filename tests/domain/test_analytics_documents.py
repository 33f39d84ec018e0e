"""The printed report (PDF with reportlab's charts) and the workbook (XLSX) carry exactly the
figures of the screen's tables; ``main.py report`` writes either without a display."""
from __future__ import annotations

import re
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from app.cli.report import run_report
from app.documents.analytics_pdf import build_report_pdf
from app.documents.analytics_xlsx import build_report_xlsx, cell_value
from app.queries.analytics import build_report
from app.queries.analytics_tables import tables
from main import build_parser
from tests.domain.analytics_helpers import JUNE, history_deal, june, local


def _shop():
    history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("invoice", june(4)), ("paid", june(5)),
                     ("sawing", june(9)), ("painting", june(12)), ("shipped", june(20)), ("won", june(25))],
                 budget=47_070, prepayment=20_000, debt=27_070, payment_date=date(2025, 6, 5),
                 ship_deadline=date(2025, 6, 18), source="сайт")
    history_deal(2, [("new", june(2)), ("first_contact", june(2, 15)), ("lost", june(8))], source="e-mail")
    history_deal(3, [("paid", local(5, 20)), ("sawing", june(1)), ("shipped", june(10))], kind="individual",
                 budget=84_200, prepayment=84_200, debt=0, ship_deadline=date(2025, 6, 30))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_and_xlsx_have_the_screens_figures(db, tmp_path):
    _shop()
    report = build_report(None, JUNE)
    shown = tables(report)
    assert {t.key for t in shown} >= {"funnel", "stage_times", "throughput", "lead_time", "money", "debts",
                                      "people", "sources"}
    pdf = build_report_pdf(report, tmp_path / "report.pdf")
    text = _squeezed("".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    for table in shown:
        assert _squeezed(table.title) in text
        for row in table.texts():
            for cell in row:
                assert _squeezed(cell) in text, (table.key, cell)
    assert _squeezed("27 070 руб") in text and "50%" in text  # the debt; one of two shipped late

    book = load_workbook(build_report_xlsx(report, tmp_path / "report.xlsx"))
    sheets = {sheet["A1"].value: sheet for sheet in book.worksheets[1:]}
    for table in shown:
        sheet = sheets[table.title]
        assert [cell.value for cell in sheet[2]] == table.headers
        values = [[cell.value for cell in row[:len(table.headers)]]
                  for row in sheet.iter_rows(min_row=3, max_row=2 + len(table.rows))]
        assert values == [[cell_value(value) for value in row] for row in table.rows], table.key
    assert sheets["Контроль задолженности"]["D3"].value == 27_070


def test_report_command_writes_pdf_and_xlsx(db, tmp_path, capsys):
    _shop()
    parser = build_parser()
    for name in ("june.pdf", "june.xlsx"):
        args = parser.parse_args(["report", "--from", "01.06.2025", "--to", "2025-06-30", "-o",
                                  str(tmp_path / name)])
        assert run_report(args) == 0
        assert (tmp_path / name).stat().st_size > 1000
    assert "01.06.2025 — 30.06.2025" in capsys.readouterr().out
    bad = parser.parse_args(["report", "--from", "2025-06-30", "--to", "2025-06-01", "-o", str(tmp_path / "x.pdf")])
    assert run_report(bad) == 2 and "раньше" in capsys.readouterr().err
