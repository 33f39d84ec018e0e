"""The analytics report as an A4 PDF: per table its bar chart (reportlab's own charts) and the
table with the same figures as the screen (``app.queries.analytics_tables``)."""
from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from app.documents.fonts import register_fonts
from app.domain import clock
from app.queries.analytics import Report
from app.queries.analytics_tables import Table, bar_length, filter_text, tables

SERIES_COLOURS = (colors.HexColor("#4C78A8"), colors.HexColor("#F58518"))
WIDTH = A4[0] - 30 * mm


def chart_drawing(table: Table, font: str) -> Drawing | None:
    """A bar chart of the table's chart columns (None when it has none or no rows): standing bars
    in time order for weeks and months, lying bars top-down for stages, people and sources."""
    if table.chart is None or not table.rows:
        return None
    rows = [row for row in table.rows if row[0] != "Итого"]
    if table.chart.over_time:
        height, left = 150, 40
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = left, 50, WIDTH - left - 10, height - 60
        chart.categoryAxis.labels.angle = 90 if len(rows) > 12 else 0
        chart.categoryAxis.labels.boxAnchor = "e" if len(rows) > 12 else "n"
    else:
        rows = rows[::-1]  # the chart draws its first category at the bottom
        height, left = 40 + len(rows) * (9 * len(table.chart.series) + 4), 150
        chart = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = left, 24, WIDTH - left - 20, height - 34
        chart.categoryAxis.labels.boxAnchor = "e"
    drawing = Drawing(WIDTH, height)
    chart.data = [[bar_length(row[column]) for row in rows] for column in table.chart.series]
    chart.categoryAxis.categoryNames = [str(row[table.chart.label]) for row in rows]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 6 if len(rows) > 30 else 7
    chart.valueAxis.valueMin = 0
    chart.barSpacing, chart.groupSpacing = (0, 1) if len(rows) > 30 else (1, 4)
    for index, colour in enumerate(SERIES_COLOURS[:len(table.chart.series)]):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName, legend.fontSize, legend.x, legend.y = font, 7, left, 6
    legend.alignment, legend.columnMaximum, legend.dx, legend.dy = "right", 1, 8, 8
    legend.colorNamePairs = [(SERIES_COLOURS[i], table.headers[column])
                             for i, column in enumerate(table.chart.series)]
    drawing.add(legend)
    return drawing


def _table_flowable(table: Table, font: str, bold: str) -> PdfTable:
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.5)
    head = ParagraphStyle("head", parent=cell, fontName=bold)
    data = [[Paragraph(text, head) for text in table.headers]]
    data += [[Paragraph(text, cell) for text in row] for row in table.texts()]
    first = WIDTH * (0.4 if len(table.headers) > 2 else 0.6)
    widths = [first] + [(WIDTH - first) / (len(table.headers) - 1)] * (len(table.headers) - 1)
    if table.deal_ids:  # a list of deals: №, name, stage, value
        widths = [WIDTH * 0.1, WIDTH * 0.45, WIDTH * 0.25, WIDTH * 0.2]
    flowable = PdfTable(data, colWidths=widths, repeatRows=1)
    flowable.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return flowable


def build_report_pdf(report: Report, target: Path, responsible_name: str | None = None) -> Path:
    """Write ``report`` as a PDF to ``target``; returns the path."""
    font, bold = register_fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=10, leading=13, spaceBefore=6)
    text = ParagraphStyle("text", fontName=font, fontSize=8, leading=10)
    story = [Paragraph("Аналитика — «Детские кровати Маня»", title),
             Paragraph(filter_text(report.flt, responsible_name), text),
             Paragraph(f"Составлен {clock.to_local(report.made_at):%d.%m.%Y %H:%M}", text), Spacer(1, 4 * mm)]
    for table in tables(report):
        block = [Paragraph(table.title, heading)]
        drawing = chart_drawing(table, font)
        if drawing is not None:
            block.append(drawing)
        if table.note:
            block.append(Paragraph(table.note, text))
        story.append(KeepTogether(block))
        story.append(_table_flowable(table, font, bold) if table.rows else Paragraph("Нет данных за период", text))
        story.append(Spacer(1, 3 * mm))
    target.parent.mkdir(parents=True, exist_ok=True)
    document = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=12 * mm, bottomMargin=12 * mm, title="Аналитика",
                                 author="CRM «Детские кровати Маня»")
    document.build(story)
    return target
