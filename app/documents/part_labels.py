"""Part labels («бирки») of a cut sheet: one label per physical part as the cut layouts place it,
with the cut sheet and board number, the order number and client, the part's name, size and
material, its banded edges drawn, and a Code 128 barcode of the order number, which the workshop
terminal's scan field reads («Номер заказа или штрихкод») to open the order.

Formats (app/domain/label_sheet.py, the shop's «Настройки → Бирки…»): ``a4`` — A4 label sheets
(3 × 8 labels of 70 × 37 mm unless set otherwise); ``roll`` — one label a page (58 × 40 mm), for a
roll label printer. The label's lines, edge drawing and barcode keep their size; a larger label has
more room round them.

Offcuts of the store get labels too, on the same paper: number, size, material, the sheet they came
from, the date, and a Code 128 barcode «OC» + number (printed under it too), which the workshop
terminal's scan field reads to show the offcut."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.cut_plan import SheetPlan
from app.documents.fonts import register_fonts
from app.documents.pack_data import SheetData, sheet_parts
from app.domain import clock
from app.domain.banding import edge_mark
from app.domain.label_sheet import LabelSettings
from app.domain.offcuts import area_text, offcut_code, size_text
from app.domain.specs import EDGE_FIELDS, PartLine


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
    edges: dict[str, str]  # edge_l1 … edge_w2 → what the drawn edge says («0,4»; "" = none)


SAMPLE = Label(12, "лист 1 из 3, ЛДСП 16 Белый", 15, "Иванова", "15-3", "Боковина", 1900, 400, "ЛДСП 16 Белый",
               {"edge_l1": "2", "edge_l2": "0,4", "edge_w1": "", "edge_w2": ""})  # the settings' preview


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
                edges = {key: edge_mark(sheet.banding, getattr(line, key)) if getattr(line, key) else ""
                         for key in EDGE_FIELDS}
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


def build_labels(labels: list[Label], path: Path, kind: str | None = None,
                 settings: LabelSettings | None = None) -> int:
    """Write the labels to a PDF on the label paper of ``settings`` (the defaults if None), A4 sheets
    or the roll as ``kind`` says (the settings' own kind if None); returns the number of pages."""
    return _build(labels, path, kind, settings, _draw, "Нет деталей для бирок")


def build_offcut_labels(labels: list[OffcutLabel], path: Path, kind: str | None = None,
                        settings: LabelSettings | None = None) -> int:
    """Write offcut labels to a PDF on the label paper as ``build_labels`` does; returns the number of pages."""
    return _build(labels, path, kind, settings, _draw_offcut, "Нет остатков для бирок")


def _build(labels: Sequence, path: Path, kind: str | None, settings: LabelSettings | None, draw: Callable,
           empty: str) -> int:
    settings = settings or LabelSettings()
    kind = kind or settings.kind
    regular, bold = register_fonts()
    page_w, page_h = (v * mm for v in settings.page_size(kind))
    width, height = (v * mm for v in settings.label_size(kind))
    slots = [(x * mm, y * mm) for x, y in settings.slots(kind)]
    canvas = Canvas(str(path), pagesize=(page_w, page_h))
    pages = 0
    for n, label in enumerate(labels):
        if n % len(slots) == 0:
            if n:
                canvas.showPage()
            pages += 1
        x, y = slots[n % len(slots)]
        draw(canvas, label, x, y, width, height, regular, bold)
    if not labels:
        canvas.setFont(regular, 9)
        canvas.drawString(5 * mm, page_h / 2, empty)
        pages = 1
    canvas.save()
    return pages


def _draw_offcut(canvas: Canvas, label: OffcutLabel, x: float, y: float, width: float, height: float,
                 regular: str, bold: str) -> None:
    pad = 2.5 * mm
    inner = width - 2 * pad
    line_y = y + height - pad - 3.4 * mm
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
    barcode = Code128(offcut_code(label.number), barHeight=7 * mm, barWidth=0.33 * mm, quiet=False)
    barcode.drawOn(canvas, x + pad, y + pad + 2.5 * mm)
    canvas.setFont(regular, 6)
    canvas.drawString(x + pad, y + pad, offcut_code(label.number))  # to type in when the scanner fails


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def _draw(canvas: Canvas, label: Label, x: float, y: float, width: float, height: float, regular: str,
          bold: str) -> None:
    pad = 2.5 * mm
    inner = width - 2 * pad
    line_y = y + height - pad - 2.6 * mm
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
    _edges(canvas, label.edges, x + width - pad - 12 * mm, line_y, regular)
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
            canvas.drawCentredString((x0 + x1) / 2, (y0 + y1) / 2 - 0.8 * mm, edges[key])
    canvas.setLineWidth(0.3)
