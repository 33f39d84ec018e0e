"""The cut layouts on the printed cut sheet (the ``layouts`` hook of pack_pdf.build_pack): per
material how many boards to take from the store and whether fewer is impossible, then every board
drawn to scale as reportlab vector graphics with its parts list and utilisation, and the totals."""
from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.cutting import Board, Layout
from app.documents.cut_plan import (
    SheetPlan,
    boards_word,
    order_costs,
    percent,
    plan_sheet,
)
from app.documents.fonts import register_fonts
from app.documents.layout_picture import BoardPicture, fit_label, hatch_lines, picture
from app.documents.pack_data import SheetData, sheet_parts
from app.documents.pack_pdf import FRAME_W, GRID, SHADE, LayoutHook
from app.domain.banding import banding_metres, metres_text
from app.domain.money import format_rub

PART_FILL = colors.HexColor("#f4efe3")
BOARD_FILL = colors.HexColor("#d9d9d9")
HATCH = colors.HexColor("#8a8a8a")
MAX_DRAWING_H = 120 * mm


def layouts_hook(stock: Sequence[Board]) -> LayoutHook:
    """The pack's hook drawing the sheet's layouts on the `stock` boards."""
    def hook(sheet: SheetData) -> list[Flowable]:
        return layout_flowables(plan_sheet(sheet, stock), banding_lines(sheet))
    return hook


def banding_lines(sheet: SheetData) -> list[str]:
    """Metres of each banding type (edges plus overhang) per order of the sheet and in all."""
    types = sheet.banding
    lines = []
    everything = []
    for order in sheet.orders:
        parts = sheet_parts(sheet, order)
        everything += parts
        lines.append(f"№{order.order_no}: {metres_text(banding_metres(parts, types))}")
    return [f"Кромка по листу раскроя: <b>{metres_text(banding_metres(everything, types))}</b>"
            + (f" ({'; '.join(lines)})" if len(lines) > 1 else "") + "."]


class _Styles:
    def __init__(self) -> None:
        self.regular, self.bold = register_fonts()
        self.body = ParagraphStyle("lbody", fontName=self.regular, fontSize=9, leading=11.5)
        self.head = ParagraphStyle("lhead", parent=self.body, fontName=self.bold, fontSize=10, leading=13,
                                   spaceBefore=6, spaceAfter=2)


def layout_flowables(plan: SheetPlan, notes: Sequence[str] = ()) -> list[Flowable]:
    """Summary table, each board's drawing and parts, the totals; `notes` are printed under the
    totals (the banding metres)."""
    s = _Styles()
    if not plan.materials:
        return [Paragraph("На листе нет деталей — раскраивать нечего.", s.body)]
    rows = [["Материал", "Лист, мм", "Взять со склада", "Результат", "Использование"]]
    for m in plan.materials:
        size = m.sizes
        take = m.take if m.result else "—"
        rows.append([Paragraph(m.material, s.body), size, take, Paragraph(m.verdict, s.body),
                     percent(m.utilisation) if m.result else "—"])
    summary = Table(rows, colWidths=[48 * mm, 26 * mm, 28 * mm, FRAME_W - 132 * mm, 30 * mm], repeatRows=1)
    summary.setStyle(_grid(s))
    taken = ", ".join(f"№{n}" for n in plan.offcuts_used)
    story: list[Flowable] = [summary, Spacer(1, 2 * mm),
                             Paragraph(f"Всего взять со склада: <b>{plan.boards_used} "
                                       f"{boards_word(plan.boards_used)}</b>"
                                       + (f" и деловые остатки <b>{taken}</b>" if taken else "")
                                       + f"; использование листов <b>{percent(plan.utilisation)}</b>.", s.body)]
    story += [Paragraph(note, s.body) for note in notes]
    costs = order_costs(plan)
    if any(costs.values()):
        shares = "; ".join(f"№{order} — {format_rub(round(cost * 100))}" for order, cost in sorted(costs.items()))
        story.append(Paragraph(f"Стоимость листов по заказам (по площади деталей): {shares}; "
                               f"всего {format_rub(round(sum(costs.values()) * 100))}.", s.body))
    for m in plan.materials:
        for k, layout in enumerate(m.layouts):
            head = Paragraph(f"{m.material} · {m.board_title(k)} · {layout.board.length}×"
                             f"{layout.board.width} мм · использование {percent(layout.utilisation)}", s.head)
            story += [CondPageBreak(60 * mm), KeepTogether([head, board_drawing(picture(layout), s),
                                                            Spacer(1, 1.5 * mm), _parts_table(layout, s)])]
    return story


def _grid(s: _Styles) -> TableStyle:
    return TableStyle([("FONT", (0, 0), (-1, -1), s.regular, 8), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                       ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])


def _parts_table(layout: Layout, s: _Styles) -> Table:
    """The board's parts: number, order, name, size, pieces, turned."""
    counts: dict[str, list] = {}
    for p in layout.placements:
        row = counts.setdefault(p.id, [p.id, f"№{p.order}" if p.order else "—", p.name or "", f"{p.length}×{p.width}",
                                       0, "да" if p.rotated else ""])
        row[4] += 1
    rows = [["Деталь", "Заказ", "Наименование", "Размер, мм", "Шт.", "Повёрнута"]]
    rows += [[*r[:4], str(r[4]), r[5]] for r in sorted(counts.values(), key=lambda r: _natural(r[0]))]
    table = Table(rows, colWidths=[18 * mm, 18 * mm, FRAME_W - 102 * mm, 28 * mm, 14 * mm, 24 * mm], repeatRows=1)
    table.setStyle(_grid(s))
    return table


def _natural(part_id: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in part_id.split("-"))


def board_drawing(pic: BoardPicture, s: _Styles | None = None) -> Drawing:
    """The board to scale (as wide as the frame, at most MAX_DRAWING_H high)."""
    s = s or _Styles()
    scale = min(FRAME_W / pic.length, MAX_DRAWING_H / pic.width)
    w, h = pic.length * scale, pic.width * scale
    d = Drawing(w, h)

    def box(x: float, y: float, sx: float, sy: float) -> tuple[float, float, float, float]:
        return x * scale, h - (y + sy) * scale, sx * scale, sy * scale

    d.add(Rect(0, 0, w, h, fillColor=BOARD_FILL, strokeColor=colors.black, strokeWidth=0.8))
    t = pic.trim * scale
    if t > 0:
        d.add(Rect(t, t, w - 2 * t, h - 2 * t, fillColor=colors.white, strokeColor=GRID, strokeWidth=0.3,
                   strokeDashArray=[2, 2]))
    for x, y, sx, sy in pic.offcuts:
        bx, by, bw, bh = box(x, y, sx, sy)
        for x1, y1, x2, y2 in hatch_lines(bx, by, bw, bh, 3.5):
            d.add(Line(x1, y1, x2, y2, strokeColor=HATCH, strokeWidth=0.3))
        d.add(Rect(bx, by, bw, bh, fillColor=None, strokeColor=HATCH, strokeWidth=0.4))
        _label(d, bx, by, bw, bh, [f"обрезок {sx}×{sy}"], s, HATCH, bold=False)
    for part in pic.parts:
        bx, by, bw, bh = box(part.x, part.y, part.size_x, part.size_y)
        d.add(Rect(bx, by, bw, bh, fillColor=PART_FILL, strokeColor=colors.black, strokeWidth=0.5))
        _label(d, bx, by, bw, bh, part.lines(), s, colors.black)
    return d


def _label(d: Drawing, x: float, y: float, w: float, h: float, lines: list[str], s: _Styles, color,
           bold: bool = True) -> None:
    """Centred label lines, as many as fit, turned upright in narrow tall boxes."""
    lines, size, turned = fit_label(lines, w, h, lambda text, size: stringWidth(text, s.bold, size), 9)
    if not lines:
        return
    if turned:
        w, h = h, w
    group = Group()
    top = h / 2 + len(lines) * size * 1.15 / 2
    for n, line in enumerate(lines):
        font = s.bold if bold and n == 0 else s.regular
        group.add(String(w / 2, top - (n + 1) * size * 1.15 + size * 0.25, line, fontName=font, fontSize=size,
                         fillColor=color, textAnchor="middle"))
    if turned:
        group.transform = (0, 1, -1, 0, x + h, y)
    else:
        group.transform = (1, 0, 0, 1, x, y)
    d.add(group)
