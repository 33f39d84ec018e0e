"""Part labels («бирки») of a cut sheet: one label per physical part as the cut layouts place it,
with the cut sheet and board number, the order number and client, the part's name, size and
material, its banded edges drawn, and a Code 128 barcode of the order number, which the workshop
terminal's scan field reads («Номер заказа или штрихкод») to open the order.

Offcuts of the store get labels too: number, size, material, the sheet they came from, the date,
and a Code 128 barcode «OC» + number.

Formats: ``a4`` — A4 label sheets of 3 × 8 labels of 70 × 37 mm; ``roll`` — one 58 × 40 mm label
a page, for a roll label printer."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.cut_plan import SheetPlan
from app.documents.fonts import register_fonts
from app.documents.pack_data import SheetData, sheet_parts
from app.domain import clock
from app.domain.offcuts import area_text, size_text
from app.domain.specs import PartLine, edge_label
from app.store import setting_values


@dataclass(frozen=True)
class LabelFormat:
    """Label size and how labels sit on a page."""

    width: float
    height: float
    columns: int = 1
    rows: int = 1

    @property
    def page(self) -> tuple[float, float]:
        if self.columns * self.rows == 1:
            return self.width, self.height
        return A4


FORMATS = {"a4": LabelFormat(70 * mm, 37 * mm, 3, 8), "roll": LabelFormat(58 * mm, 40 * mm)}
FORMAT_NAMES = {"a4": "листы A4, 3 × 8 бирок 70 × 37 мм", "roll": "рулон 58 × 40 мм"}
FORMAT_KEY = "labels.format"  # shop-wide setting: "a4" or "roll"


def shop_format() -> str:
    """The label format chosen for the shop (A4 sheets unless set)."""
    key = setting_values.read(FORMAT_KEY, "a4")
    return key if key in FORMATS else "a4"


@dataclass(frozen=True)
class Label:
    """What one label says."""

    sheet_no: int
    board: str  # «лист 2 из 5, ЛДСП 16» or «остаток №7 со склада, ЛДСП 16»
    order_no: int
    surname: str
    part_id: str
    name: str
    length: int
    width: int
    material: str
    edges: dict[str, str]  # edge_l1 … edge_w2 → code ("" = none)


def sheet_labels(sheet: SheetData, plan: SheetPlan) -> list[Label]:
    """One label per part placed on the plan's boards, board by board."""
    lines: dict[str, tuple[int, str, PartLine]] = {}
    for order in sheet.orders:
        for n, line in enumerate(sheet_parts(sheet, order), start=1):
            lines[f"{order.order_no}-{n}"] = (order.order_no, order.surname, line)
    out = []
    for m in plan.materials:
        for k, layout in enumerate(m.layouts):
            for pl in layout.placements:
                order_no, surname, line = lines[pl.id]
                edges = {key: getattr(line, key) for key in ("edge_l1", "edge_l2", "edge_w1", "edge_w2")}
                out.append(Label(sheet.number, f"{m.board_title(k)}, {m.material}", order_no, surname,
                                 pl.id, line.name, line.length, line.width, line.material, edges))
    return out


@dataclass(frozen=True)
class OffcutLabel:
    """What an offcut's label says."""

    number: int
    length: int
    width: int
    area: float  # m²
    material: str
    from_sheet: int | None
    created_at: datetime


def offcut_labels(rows: Sequence) -> list[OffcutLabel]:
    """One label per offcut (rows of app.services.offcuts: number, size, material, sheet, date)."""
    return [OffcutLabel(r.number, r.length, r.width, r.area, r.material, r.from_sheet, r.created_at) for r in rows]


def build_labels(labels: list[Label], path: Path, format_key: str = "a4") -> int:
    """Write the labels to a PDF in the given format; returns the number of pages."""
    return _build(labels, path, format_key, _draw, "Нет деталей для бирок")


def build_offcut_labels(labels: list[OffcutLabel], path: Path, format_key: str = "a4") -> int:
    """Write offcut labels to a PDF in the given format; returns the number of pages."""
    return _build(labels, path, format_key, _draw_offcut, "Нет остатков для бирок")


def _build(labels: Sequence, path: Path, format_key: str, draw: Callable, empty: str) -> int:
    fmt = FORMATS[format_key]
    regular, bold = register_fonts()
    canvas = Canvas(str(path), pagesize=fmt.page)
    per_page = fmt.columns * fmt.rows
    page_w, page_h = fmt.page
    left = (page_w - fmt.columns * fmt.width) / 2
    top = page_h - (page_h - fmt.rows * fmt.height) / 2
    pages = 0
    for n, label in enumerate(labels):
        if n % per_page == 0:
            if n:
                canvas.showPage()
            pages += 1
        slot = n % per_page
        x = left + (slot % fmt.columns) * fmt.width
        y = top - (slot // fmt.columns + 1) * fmt.height
        draw(canvas, label, x, y, fmt, regular, bold)
    if not labels:
        canvas.setFont(regular, 9)
        canvas.drawString(5 * mm, page_h / 2, empty)
        pages = 1
    canvas.save()
    return pages


def _draw_offcut(canvas: Canvas, label: OffcutLabel, x: float, y: float, fmt: LabelFormat, regular: str,
                 bold: str) -> None:
    pad = 2.5 * mm
    inner = fmt.width - 2 * pad
    line_y = y + fmt.height - pad - 3.4 * mm
    canvas.setFont(bold, 10)
    canvas.drawString(x + pad, line_y, _fit(f"Остаток №{label.number}", bold, 10, inner))
    line_y -= 4.2 * mm
    canvas.setFont(bold, 9)
    canvas.drawString(x + pad, line_y, _fit(f"{size_text(label.length, label.width)} мм · {area_text(label.area)}",
                                            bold, 9, inner))
    line_y -= 3.6 * mm
    canvas.setFont(regular, 7)
    canvas.drawString(x + pad, line_y, _fit(label.material, regular, 7, inner))
    line_y -= 3.2 * mm
    origin = f"лист раскроя №{label.from_sheet} · " if label.from_sheet else ""
    canvas.drawString(x + pad, line_y, _fit(f"{origin}{clock.to_local(label.created_at):%d.%m.%Y}", regular, 7,
                                            inner))
    barcode = Code128(f"OC{label.number}", barHeight=7 * mm, barWidth=0.33 * mm, quiet=False)
    barcode.drawOn(canvas, x + pad, y + pad)


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _draw(canvas: Canvas, label: Label, x: float, y: float, fmt: LabelFormat, regular: str, bold: str) -> None:
    pad = 2.5 * mm
    inner = fmt.width - 2 * pad
    line_y = y + fmt.height - pad - 2.6 * mm
    canvas.setFont(regular, 6.5)
    canvas.drawString(x + pad, line_y, _fit(f"Раскрой №{label.sheet_no} · {label.board}", regular, 6.5, inner))
    line_y -= 3.6 * mm
    canvas.setFont(bold, 8)
    canvas.drawString(x + pad, line_y, _fit(f"Заказ №{label.order_no} · {label.surname}", bold, 8, inner))
    line_y -= 3.8 * mm
    canvas.setFont(bold, 8)
    canvas.drawString(x + pad, line_y, _fit(f"{label.part_id} {label.name}", bold, 8, inner - 14 * mm))
    line_y -= 3.6 * mm
    canvas.setFont(regular, 7)
    canvas.drawString(x + pad, line_y, _fit(f"{label.length}×{label.width} · {label.material}", regular, 7,
                                            inner - 14 * mm))
    _edges(canvas, label.edges, x + fmt.width - pad - 12 * mm, line_y, regular)
    barcode = Code128(str(label.order_no), barHeight=8 * mm, barWidth=0.33 * mm, quiet=False)
    barcode.drawOn(canvas, x + pad, y + pad + 2.5 * mm)
    canvas.setFont(regular, 6)
    canvas.drawString(x + pad, y + pad, str(label.order_no))


def _edges(canvas: Canvas, edges: dict[str, str], x: float, y: float, regular: str) -> None:
    """The part as a small rectangle, banded edges drawn thick with their code: Д1 top, Д2 bottom,
    Ш1 left, Ш2 right."""
    w, h = 12 * mm, 7 * mm
    canvas.setLineWidth(0.3)
    canvas.rect(x, y, w, h)
    sides = {"edge_l1": (x, y + h, x + w, y + h), "edge_l2": (x, y, x + w, y),
             "edge_w1": (x, y, x, y + h), "edge_w2": (x + w, y, x + w, y + h)}
    canvas.setFont(regular, 4.5)
    for key, (x0, y0, x1, y1) in sides.items():
        if edges.get(key):
            canvas.setLineWidth(1.6)
            canvas.line(x0, y0, x1, y1)
            canvas.drawCentredString((x0 + x1) / 2, (y0 + y1) / 2 - 0.8 * mm, edge_label(edges[key]))
    canvas.setLineWidth(0.3)
