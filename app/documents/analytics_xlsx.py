"""The analytics report as an XLSX workbook (openpyxl): one sheet per table, the same figures as
the screen, numbers kept as numbers (money in roubles, shares as percents, days with a decimal)."""
from __future__ import annotations

from pathlib import Path

from app.domain import clock
from app.queries.analytics import Report
from app.queries.analytics_tables import Days, Money, Share, Table, filter_text, tables

FORMATS = {Money: '#,##0.00 "руб"', Days: '0.0 "дн"', Share: "0%"}
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet's name


def cell_value(value):
    """A cell as Excel keeps it: money in roubles, the rest as is (None stays empty)."""
    if isinstance(value, Money):
        return int(value) / 100
    if isinstance(value, (Days, Share)):
        return float(value)
    return value


def _sheet_title(table: Table, taken: set[str]) -> str:
    title = table.title.replace("«", "").replace("»", "").replace("→", "-")[:SHEET_TITLE_LIMIT]
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    while title in taken:
        title = title[:SHEET_TITLE_LIMIT - 2] + f"{len(taken)}"
    taken.add(title)
    return title


def build_report_xlsx(report: Report, target: Path, responsible_name: str | None = None) -> Path:
    """Write ``report`` as an XLSX workbook to ``target``; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Отчет"
    summary.append(["Аналитика — «Детские кровати Маня»"])
    summary.append([filter_text(report.flt, responsible_name)])
    summary.append([f"Составлен {clock.to_local(report.made_at):%d.%m.%Y %H:%M}"])
    summary["A1"].font = Font(bold=True, size=14)
    taken = {summary.title}
    for table in tables(report):
        sheet = book.create_sheet(_sheet_title(table, taken))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([cell_value(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row):
                if type(value) in FORMATS:
                    cell.number_format = FORMATS[type(value)]
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 34
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 18
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(target))
    return target
