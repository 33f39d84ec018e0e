"""The printed pack of a cut sheet: one A4 PDF with the cut sheet first, then per order its pack
(production order form, parts and hardware specifications, drawing, assembly drawing).

How it is built:
1. reportlab lays out the whole document in one pass; every page of an attached PDF drawing gets a
   placeholder page (with the order's header and footer) whose frame position is recorded;
2. the canvas keeps each page's state and draws the footer «Лист раскроя №N · заказ №M · стр. X из Y»
   when the document is saved, so the total page count is known;
3. pypdf merges each drawing page into its placeholder, scaled to fit.
A missing, unreadable or broken drawing never stops the print: it gets a warning page and a line in
``PackResult.warnings``.

Cut layouts (the optimiser's board drawings) go into the cut sheet part through the ``layouts``
hook of ``build_pack``: a function returning reportlab flowables for the sheet, placed after the parts
of all orders under the heading «Схемы раскроя».
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Callable

from PIL import Image as PilImage
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.fonts import register_fonts
from app.documents.pack_data import FileRef, OrderData, SheetData, sheet_parts
from app.domain import clock
from app.domain.banding import banding_metres, edge_mark, metres_text
from app.domain.russian import parts_text
from app.domain.specs import EDGE_FIELDS, area_m2, format_decimal

PAGE_W, PAGE_H = A4
MARGIN = 12 * mm
HEADER_H = 24 * mm
FOOTER_H = 10 * mm
FRAME_W = PAGE_W - 2 * MARGIN
IMAGE_TYPES = {".jpg", ".jpeg", ".png"}
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#e6e6e6")
GROUP_SHADE = colors.HexColor("#f3f3f3")

# Binary (not ASCII85) streams: reportlab's ASCII85 encoder is pure Python and took a third of the
# time of a 50-order pack with photos; binary PDFs are also smaller. (A process-wide reportlab setting.)
rl_config.useA85 = 0

LayoutHook = Callable[[SheetData], list[Flowable]]
Progress = Callable[[int, int], None]

MAX_DRAWING_BYTES = 100 * 2**20  # a drawing is a few MB; anything this big gets its warning page unread


@dataclass
class PackResult:
    """The written PDF, its page count and the warnings to show the constructor."""

    path: Path
    pages: int
    warnings: list[str] = field(default_factory=list)


def _d(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


class _Styles:
    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=9.5)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=bold)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=bold, fontSize=26, leading=30)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=bold, fontSize=13, leading=16,
                                 spaceBefore=8, spaceAfter=4)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=bold, fontSize=10.5, leading=13,
                                 spaceBefore=6, spaceAfter=3)
        self.warning = ParagraphStyle("warn", parent=self.body, fontName=bold, fontSize=22, leading=28,
                                      alignment=TA_CENTER)
        self.warning_text = ParagraphStyle("warnt", parent=self.body, fontSize=11, leading=15,
                                           alignment=TA_CENTER)


def _esc(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br/>"))


def _table(data: list[list], widths: list[float], styles: _Styles, *, header_rows: int = 1,
           extra: list[tuple] | None = None) -> Table:
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    commands = [
        ("FONT", (0, 0), (-1, -1), styles.regular, 8),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
                     ("FONT", (0, 0), (-1, header_rows - 1), styles.bold, 7.5),
                     ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER")]
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


class _DrawingPlaceholder(Flowable):
    """Takes the rest of the frame; records where a page of an attached PDF is merged in later."""

    def __init__(self, requests: list, ref: FileRef, index: int) -> None:
        super().__init__()
        self.requests, self.ref, self.index = requests, ref, index

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height - 2
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.requests.append((self.canv.getPageNumber(), self.ref, self.index, (x, y, self.width, self.height)))
        self.canv.setStrokeColor(colors.HexColor("#bbbbbb"))
        self.canv.setLineWidth(0.4)
        self.canv.rect(0, 0, self.width, self.height)


def _pack_canvas(sheet: SheetData, styles: _Styles):
    """A canvas class that draws every page's footer once the page count is known."""

    class PackCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.pack_order_no: int | None = None
            self._states: list[dict] = []

        def showPage(self):
            self._states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._states)
            for number, state in enumerate(self._states, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            parts = [f"Лист раскроя №{sheet.number}"]
            if self.pack_order_no is not None:
                parts.append(f"заказ №{self.pack_order_no}")
            parts.append(f"стр. {number} из {total}")
            _draw_once(self, "packFooter", self._footer_frame)
            self.setFont(styles.regular, 8)
            self.setFillColor(colors.black)
            self.drawString(MARGIN, MARGIN + 2 * mm, " · ".join(parts))

        def _footer_frame(self) -> None:
            self.setStrokeColor(GRID)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN + FOOTER_H - 3 * mm, PAGE_W - MARGIN, MARGIN + FOOTER_H - 3 * mm)
            self.setFont(styles.regular, 8)
            self.setFillColor(colors.black)
            self.drawRightString(PAGE_W - MARGIN, MARGIN + 2 * mm, "Детские кровати Маня")

    return PackCanvas


def _draw_once(canv, name: str, draw: Callable[[], None]) -> None:
    """Draw what ``draw`` draws on this page: the first time into a PDF form XObject ``name``,
    which every later page only refers to (a header repeated on 200 pages is drawn once)."""
    if not canv.hasForm(name):
        canv.beginForm(name)
        draw()
        canv.endForm()
    canv.doForm(name)


def _stamp_cancelled(canv) -> None:
    canv.saveState()
    canv.setFillColor(colors.Color(0.8, 0, 0, alpha=0.25))
    canv.setFont(register_fonts()[1], 64)
    canv.translate(PAGE_W / 2, PAGE_H / 2)
    canv.rotate(40)
    canv.drawCentredString(0, 0, "АННУЛИРОВАН")
    canv.restoreState()


def _barcode(value: str, height: float) -> Drawing:
    return createBarcodeDrawing("Code128", value=value, barHeight=height, barWidth=0.95,
                                humanReadable=True, fontSize=8, quiet=False)


def _qr(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barBorder=0)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


class PackBuilder:
    """Builds one pack; see the module's docstring."""

    def __init__(self, sheet: SheetData, *, layouts: LayoutHook | None = None,
                 progress: Progress | None = None) -> None:
        self.sheet = sheet
        self.layouts = layouts
        self.progress = progress
        self.styles = _Styles()
        self.requests: list = []  # (page number, FileRef, page index, (x, y, w, h))
        self.warnings: list[str] = []
        self.printed_on = clock.to_local(clock.now()).strftime("%d.%m.%Y %H:%M")
        self._readers: dict[Path, PdfReader] = {}
        self._progress_index = -1

    # ---- page templates -------------------------------------------------------------------
    def _frame(self) -> Frame:
        return Frame(MARGIN, MARGIN + FOOTER_H, FRAME_W, PAGE_H - 2 * MARGIN - FOOTER_H - HEADER_H,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def _sheet_page(self, canv, doc) -> None:
        canv.pack_order_no = None
        s = self.styles
        top = PAGE_H - MARGIN
        canv.setFont(s.bold, 10)
        canv.drawString(MARGIN, top - 5 * mm, "Детские кровати Маня · производство")
        canv.setFont(s.regular, 8)
        canv.drawRightString(PAGE_W - MARGIN, top - 5 * mm, f"Напечатано {self.printed_on}")
        canv.setStrokeColor(GRID)
        canv.line(MARGIN, top - 8 * mm, PAGE_W - MARGIN, top - 8 * mm)
        if self.sheet.cancelled:
            _stamp_cancelled(canv)

    def _order_page(self, order: OrderData, index: int):
        form = f"orderHeader{index}"

        def on_page(canv, doc) -> None:
            canv.pack_order_no = order.order_no
            if self.progress and self._progress_index < index:
                self._progress_index = index
                self.progress(index + 1, len(self.sheet.orders) + 1)
            _draw_once(canv, form, lambda: self._order_header(canv, order))
            if self.sheet.cancelled:
                _stamp_cancelled(canv)
        return on_page

    def _order_header(self, canv, order: OrderData) -> None:
        """The header of every page of an order's pack (drawn once per order, as a form)."""
        s = self.styles
        top = PAGE_H - MARGIN
        canv.setFont(s.bold, 20)
        canv.drawString(MARGIN, top - 9 * mm, f"ЗАКАЗ № {order.order_no}")
        canv.setFont(s.regular, 9)
        canv.drawString(MARGIN, top - 15 * mm, f"{order.client} · {order.bed_model or 'модель не указана'}"
                                              f" · срок отгрузки {_d(order.deadline)}")
        canv.setFont(s.regular, 8)
        canv.drawString(MARGIN, top - 19.5 * mm, f"Лист раскроя №{self.sheet.number}"
                                                f"{' · ' + self.sheet.material if self.sheet.material else ''}")
        code = _barcode(str(order.order_no), 11 * mm)
        renderPDF.draw(code, canv, PAGE_W - MARGIN - code.width, top - 17 * mm)
        canv.setStrokeColor(GRID)
        canv.setLineWidth(1)
        canv.line(MARGIN, top - HEADER_H + 2 * mm, PAGE_W - MARGIN, top - HEADER_H + 2 * mm)

    # ---- the cut sheet ----------------------------------------------------------------------
    def _sheet_story(self) -> list:
        s, sheet = self.styles, self.sheet
        title = [Paragraph(f"ЛИСТ РАСКРОЯ № {sheet.number}", s.h1), Spacer(1, 3 * mm),
                 Paragraph(f"Дата: <b>{_d(sheet.created_on)}</b> &nbsp;&nbsp; Материал: "
                           f"<b>{_esc(sheet.material or 'все материалы заказов')}</b>", s.body),
                 Paragraph(f"Составил: {_esc(sheet.created_by)} &nbsp;&nbsp; Заказов: {len(sheet.orders)}"
                           + (" &nbsp;&nbsp; <b>АННУЛИРОВАН</b>" if sheet.cancelled else ""), s.body)]
        qr = _qr(f"cutsheet:{sheet.number}", 26 * mm)
        head = Table([[title, qr]], colWidths=[FRAME_W - 30 * mm, 30 * mm])
        head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story: list = [head, Spacer(1, 4 * mm), Paragraph("Заказы на листе", s.h2)]
        rows = [["№", "Заказ", "Клиент", "Модель кровати", "Срок отгрузки", "Детали"]]
        for position, order in enumerate(sheet.orders, start=1):
            parts = self._sheet_parts(order)
            rows.append([str(position), Paragraph(f"<b>№ {order.order_no}</b>", s.cell),
                         Paragraph(_esc(order.surname), s.cell), Paragraph(_esc(order.bed_model or "—"), s.cell),
                         _d(order.deadline), Paragraph(parts_text(len(parts), sum(p.quantity for p in parts)), s.cell)])
        story.append(_table(rows, [10 * mm, 22 * mm, 58 * mm, 50 * mm, 26 * mm, FRAME_W - 166 * mm], s,
                            extra=[("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (4, 1), (-1, -1), "CENTER")]))
        all_parts = [part for order in sheet.orders for part in self._sheet_parts(order)]
        area = format_decimal(area_m2(all_parts).quantize(Decimal("0.01")))
        story += [Paragraph("Детали по заказам" + (f" — {_esc(sheet.material)}" if sheet.material else ""), s.h2),
                  self._grouped_parts(), Spacer(1, 2 * mm),
                  Paragraph(f"Итого по листу: <b>{parts_text(len(all_parts), sum(p.quantity for p in all_parts))}</b>, "
                            f"площадь {area} м².", s.body)]
        if self.layouts is not None:
            drawings = self.layouts(sheet)
            if drawings:
                story += [CondPageBreak(60 * mm), Paragraph("Схемы раскроя", s.h2), *drawings]
        story += [Spacer(1, 8 * mm), self._signatures(["Конструктор", "Принял (распил)"])]
        return story

    def _sheet_parts(self, order: OrderData) -> list:
        return sheet_parts(self.sheet, order)

    PART_HEAD = ["№", "Деталь", "Материал", "Толщ.", "Длина", "Ширина", "Кол.", "Д1", "Д2", "Ш1", "Ш2",
                 "Пово-\nрот", "Примечание"]
    PART_WIDTHS = [8, 36, 28, 11, 13, 13, 9, 8, 8, 8, 8, 11, 25]

    def _text_cell(self, text: str, width: float, style: ParagraphStyle):
        """Plain text when it fits on one line (much faster to lay out), else a wrapping paragraph."""
        if stringWidth(text, style.fontName, style.fontSize) <= width - 6:
            return text
        return Paragraph(_esc(text), style)

    def _part_cells(self, number: int, part) -> list:
        s, widths = self.styles, self._part_widths()
        return [str(number), self._text_cell(part.name, widths[1], s.cell),
                self._text_cell(part.material or "—", widths[2], s.cell),
                format_decimal(part.thickness), str(part.length), str(part.width), str(part.quantity),
                *(self._text_cell(edge_mark(self.sheet.banding, getattr(part, key)), widths[7], s.small)
                  for key in EDGE_FIELDS), "да" if part.may_rotate else "нет",
                self._text_cell(part.notes, widths[-1], s.small)]

    def _part_widths(self) -> list[float]:
        widths = [w * mm for w in self.PART_WIDTHS]
        widths[-1] = FRAME_W - sum(widths[:-1])
        return widths

    NUMBER_COLUMNS = ("ALIGN", (3, 1), (-2, -1), "CENTER")

    def _grouped_parts(self) -> Table:
        s = self.styles
        rows, extra = [self.PART_HEAD], [self.NUMBER_COLUMNS]
        for order in self.sheet.orders:
            parts = self._sheet_parts(order)
            row = len(rows)
            rows.append([Paragraph(f"<b>Заказ № {order.order_no}</b> — {_esc(order.client)}, "
                                   f"{_esc(order.bed_model or 'модель не указана')}", s.cell)] + [""] * 12)
            extra += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), GROUP_SHADE)]
            if not parts:
                rows.append(["", Paragraph("нет деталей" + (" из этого материала" if self.sheet.material else ""),
                                           s.small)] + [""] * 11)
                extra.append(("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)))
            rows += [self._part_cells(n, part) for n, part in enumerate(parts, start=1)]
        return _table(rows, self._part_widths(), s, extra=extra)

    def _signatures(self, roles: list[str]) -> Table:
        cells = [[f"{role}: ______________ / ______________" for role in roles]]
        table = Table(cells, colWidths=[FRAME_W / len(roles)] * len(roles))
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.styles.regular, 8.5),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    # ---- one order's pack ------------------------------------------------------------------
    def _order_story(self, order: OrderData) -> list:
        s = self.styles
        story = [Paragraph("БЛАНК ЗАКАЗА ДЛЯ ПРОИЗВОДСТВА", s.h2), self._form(order),
                 Paragraph("Спецификация на детали", s.h2), self._parts_table(order)]
        story += self._parts_totals(order)
        story += [CondPageBreak(30 * mm), Paragraph("Спецификация на фурнитуру", s.h2),
                  self._hardware_table(order), Spacer(1, 6 * mm),
                  self._signatures(["Конструктор", "Начальник производства"])]
        for kind, title in (("drawing", "Чертеж"), ("assembly_drawing", "Сборочный чертеж")):
            refs = [ref for ref in order.drawings if ref.kind == kind]
            if not refs:
                story += [PageBreak(), *self._warning(order, f"{title} не приложен",
                                                      f"К заказу №{order.order_no} не приложен файл вида "
                                                      f"«{title}». Приложите JPG, PNG или PDF в карточке заказа.")]
                continue
            for ref in refs:
                story += self._drawing(order, ref, title)
        return story

    def _form(self, order: OrderData) -> Table:
        s = self.styles
        pairs = [("Номер заказа", f"№ {order.order_no}"), ("Дата заказа", _d(order.order_date)),
                 ("Крайний срок отгрузки", _d(order.deadline)), ("Клиент", order.client),
                 ("Тип заказа", order.kind_name), ("Модель кровати", order.bed_model or "—"),
                 ("Размеры", order.dimensions or "—"), ("Цвет / покраска", order.colour or "—"),
                 ("Опции", order.options or "—"), ("Ответственный", order.responsible)]
        rows = [[Paragraph(label, s.cell_bold), Paragraph(_esc(value), s.body)] for label, value in pairs]
        return _table(rows, [48 * mm, FRAME_W - 48 * mm], s, header_rows=0,
                      extra=[("BACKGROUND", (0, 0), (0, -1), GROUP_SHADE), ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])

    def _parts_table(self, order: OrderData) -> Table | Paragraph:
        if not order.parts:
            return Paragraph("Спецификация на детали не заполнена.", self.styles.body)
        rows = [self.PART_HEAD] + [self._part_cells(n, part) for n, part in enumerate(order.parts, start=1)]
        return _table(rows, self._part_widths(), self.styles, extra=[self.NUMBER_COLUMNS])

    def _parts_totals(self, order: OrderData) -> list:
        if not order.parts:
            return []
        edges = metres_text(banding_metres(order.parts, self.sheet.banding))
        area = format_decimal(area_m2(order.parts).quantize(Decimal("0.01")))
        total = parts_text(len(order.parts), sum(p.quantity for p in order.parts))
        text = (f"Итого: <b>{total}</b>, площадь {area} м²; "
                f"кромка: {edges}. "
                f"Д1, Д2 — кромка длинных сторон, Ш1, Ш2 — коротких; «нет» в графе «Поворот» — по текстуре.")
        return [Spacer(1, 2 * mm), Paragraph(text, self.styles.small)]

    def _hardware_table(self, order: OrderData) -> Table | Paragraph:
        s = self.styles
        if not order.hardware:
            return Paragraph("Спецификация на фурнитуру не заполнена.", s.body)
        rows = [["№", "Наименование", "Артикул", "Кол-во", "Ед."]]
        rows += [[str(n), Paragraph(_esc(line.item), s.cell), Paragraph(_esc(line.article or "—"), s.cell),
                  format_decimal(line.quantity), line.unit] for n, line in enumerate(order.hardware, start=1)]
        return _table(rows, [8 * mm, FRAME_W - 86 * mm, 44 * mm, 18 * mm, 16 * mm], s,
                      extra=[("ALIGN", (3, 1), (-1, -1), "CENTER")])

    def _warning(self, order: OrderData, title: str, text: str) -> list:
        self.warnings.append(f"Заказ №{order.order_no}: {title}")
        box = Table([[Paragraph(_esc(title), self.styles.warning)], [Paragraph(_esc(text), self.styles.warning_text)]],
                    colWidths=[FRAME_W - 20 * mm])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, colors.HexColor("#b00000")),
                                 ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
        return [Spacer(1, 60 * mm), box]

    def _drawing(self, order: OrderData, ref: FileRef, title: str) -> list:
        caption = f"{title}: {ref.name}"
        if not ref.path.is_file():
            return [PageBreak(), *self._warning(order, f"Файл не найден: {ref.name}",
                                                f"{caption}. Файла нет в папке программы — приложите его заново.")]
        size = ref.path.stat().st_size
        if size > MAX_DRAWING_BYTES:  # never read into memory: a video or a disk image attached by mistake
            return [PageBreak(), *self._warning(
                order, f"Файл слишком большой: {ref.name}",
                f"{caption}. {size // 2**20} МБ — больше {MAX_DRAWING_BYTES // 2**20} МБ, это не чертеж. "
                f"Приложите чертеж в PDF, JPG или PNG.")]
        suffix = ref.path.suffix.lower()
        if suffix in IMAGE_TYPES:
            return self._image(order, ref, caption)
        if suffix == ".pdf":
            return self._pdf(order, ref, caption)
        return [PageBreak(), *self._warning(order, f"Формат не поддерживается: {ref.name}",
                                            f"{caption}. Печатаются только JPG, PNG и PDF.")]

    def _broken(self, order: OrderData, ref: FileRef, caption: str, error: Exception) -> list:
        return [PageBreak(), *self._warning(order, f"Файл повреждён: {ref.name}",
                                            f"{caption}. Файл не открывается ({type(error).__name__}). "
                                            f"Приложите исправный файл и напечатайте заново.")]

    def _image(self, order: OrderData, ref: FileRef, caption: str) -> list:
        try:
            with PilImage.open(ref.path) as probe:
                probe.verify()
            with PilImage.open(ref.path) as probe:
                width_px, height_px = probe.size
                # a JPEG is checked decoded at 1/8 scale (every byte still read, 20× faster);
                # reportlab embeds the file as it is
                probe.draft(probe.mode, (max(1, width_px // 8), max(1, height_px // 8)))
                probe.load()
        except Exception as error:  # noqa: BLE001 - any unreadable image gets the warning page
            return self._broken(order, ref, caption, error)
        return [PageBreak(), Paragraph(_esc(caption), self.styles.h3), _FittedImage(ref.path, width_px, height_px)]

    def _pdf(self, order: OrderData, ref: FileRef, caption: str) -> list:
        try:
            reader = PdfReader(str(ref.path))
            if reader.is_encrypted and not reader.decrypt(""):
                return [PageBreak(), *self._warning(order, f"Файл защищён паролем: {ref.name}",
                                                    f"{caption}. Сохраните чертеж без пароля и приложите заново.")]
            count = len(reader.pages)
            for page in reader.pages:
                _ = page.mediabox.width, page.mediabox.height
            if count == 0:
                raise ValueError("в файле нет страниц")
        except Exception as error:  # noqa: BLE001 - any broken PDF gets the warning page
            return self._broken(order, ref, caption, error)
        self._readers[ref.path] = reader
        story = []
        for index in range(count):
            story += [PageBreak(), Paragraph(_esc(f"{caption} — лист {index + 1} из {count}"), self.styles.h3),
                      _DrawingPlaceholder(self.requests, ref, index)]
        return story

    # ---- assembling -------------------------------------------------------------------------
    def build(self, target: Path) -> PackResult:
        target = Path(target)
        raw = io.BytesIO()
        doc = BaseDocTemplate(raw, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                              topMargin=MARGIN + HEADER_H, bottomMargin=MARGIN + FOOTER_H,
                              title=f"Лист раскроя №{self.sheet.number}", author="Детские кровати Маня",
                              creator="CRM «Детские кровати Маня»")
        templates = [PageTemplate("sheet", [self._frame()], onPage=self._sheet_page)]
        story = self._sheet_story()
        for index, order in enumerate(self.sheet.orders):
            templates.append(PageTemplate(f"order-{index}", [self._frame()], onPage=self._order_page(order, index)))
            story += [NextPageTemplate(f"order-{index}"), PageBreak(), *self._order_story(order)]
        doc.addPageTemplates(templates)
        doc.build(story, canvasmaker=_pack_canvas(self.sheet, self.styles))
        pages = self._merge(raw, target)
        if self.progress:
            total = len(self.sheet.orders) + 1
            self.progress(total, total)
        return PackResult(target, pages, self.warnings)

    def _merge(self, raw: io.BytesIO, target: Path) -> int:
        """Merge the PDF drawings into their placeholder pages and write ``target`` atomically."""
        raw.seek(0)
        if not self.requests:
            data = raw.getvalue()
            _write_atomic(target, data)
            return PdfReader(io.BytesIO(data)).get_num_pages()
        writer = PdfWriter(clone_from=PdfReader(raw))
        for number, (page_no, ref, index, box) in enumerate(self.requests):
            page = writer.pages[page_no - 1]
            try:
                source = self._readers[ref.path].pages[index]
                _place_as_form(writer, page, source, _fit(source, box), f"/Dwg{number}")
            except Exception as error:  # noqa: BLE001 - a page that cannot be merged gets a notice
                self.warnings.append(f"Файл повреждён: {ref.name}, лист {index + 1} ({type(error).__name__})")
                page.merge_page(_notice_page(f"Файл повреждён: {ref.name}, лист {index + 1}", box))
        out = io.BytesIO()
        writer.write(out)
        _write_atomic(target, out.getvalue())
        return len(writer.pages)


def _turn(transform: Transformation, width: float, height: float, degrees: int):
    """Rotate content occupying (0, 0)–(width, height) by ``degrees`` (multiple of 90, counter-clockwise)
    and move it back to the origin; returns the transform and the new width and height."""
    degrees %= 360
    if degrees == 90:
        return transform.rotate(90).translate(height, 0), height, width
    if degrees == 180:
        return transform.rotate(180).translate(width, height), width, height
    if degrees == 270:
        return transform.rotate(270).translate(0, width), height, width
    return transform, width, height


def turn_to_fit(width: float, height: float, box_w: float, box_h: float) -> bool:
    """Whether turning a picture by 90° lets it be printed larger in the box (landscape on portrait)."""
    return min(box_w / height, box_h / width) > min(box_w / width, box_h / height) * 1.05


def _fit(source, box) -> Transformation:
    """Scale and move a source page (honouring its /Rotate, turning landscape drawings to fit a
    portrait box) into the box (x, y, w, h), centred."""
    x, y, w, h = box
    media = source.mediabox
    transform = Transformation().translate(-float(media.left), -float(media.bottom))
    # /Rotate turns the page clockwise for display; the content turns the opposite way
    transform, src_w, src_h = _turn(transform, float(media.width), float(media.height),
                                    -int(source.get("/Rotate") or 0))
    if turn_to_fit(src_w, src_h, w, h):
        transform, src_w, src_h = _turn(transform, src_w, src_h, 90)
    scale = min(w / src_w, h / src_h)
    return transform.scale(scale).translate(x + (w - src_w * scale) / 2, y + (h - src_h * scale) / 2)


class _FittedImage(Flowable):
    """A picture scaled (and turned by 90° when that prints it larger) to fill the rest of the frame."""

    def __init__(self, path: Path, width_px: int, height_px: int) -> None:
        super().__init__()
        self.path, self.width_px, self.height_px = path, width_px, height_px

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height - 2
        return self.width, self.height

    def draw(self):
        turned = turn_to_fit(self.width_px, self.height_px, self.width, self.height)
        img_w, img_h = (self.height_px, self.width_px) if turned else (self.width_px, self.height_px)
        scale = min(self.width / img_w, self.height / img_h)
        w, h = img_w * scale, img_h * scale
        canv = self.canv
        canv.saveState()
        canv.translate((self.width - w) / 2, self.height - h)
        if turned:
            canv.translate(w, 0)
            canv.rotate(90)
            w, h = h, w
        canv.drawImage(str(self.path), 0, 0, width=w, height=h)
        canv.restoreState()


def _place_as_form(writer: PdfWriter, page, source, transform: Transformation, name: str) -> None:
    """Draw ``source`` (a page of another PDF) on ``page`` as a form XObject under ``transform``.

    Unlike pypdf's page merging this does not parse either content stream, so a pack with a hundred
    drawing pages stays fast; the drawing keeps its own resources and graphics state."""
    media = source.mediabox
    form = DecodedStreamObject()
    form.set_data(source.get_contents().get_data() if source.get_contents() is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(value) for value in
                                         (media.left, media.bottom, media.right, media.top)),
    })
    resources = source.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.get_object().clone(writer)
    form_ref = writer._add_object(form)
    page_resources = page[NameObject("/Resources")].get_object()
    if "/XObject" not in page_resources:
        page_resources[NameObject("/XObject")] = DictionaryObject()
    page_resources["/XObject"].get_object()[NameObject(name)] = form_ref
    matrix = " ".join(f"{value:.6f}" for value in transform.ctm)
    drawing = DecodedStreamObject()
    drawing.set_data(f"q {matrix} cm {name[1:] and name} Do Q".encode())
    contents = page[NameObject("/Contents")]
    parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(drawing)])


def _notice_page(text: str, box):
    buffer = io.BytesIO()
    canv = pdf_canvas.Canvas(buffer, pagesize=A4)
    canv.setFont(register_fonts()[1], 18)
    canv.setFillColor(colors.HexColor("#b00000"))
    canv.drawCentredString(box[0] + box[2] / 2, box[1] + box[3] / 2, text)
    canv.save()
    buffer.seek(0)
    return PdfReader(buffer).pages[0]


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".pack-", suffix=".pdf", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_pack(sheet: SheetData, target: Path, *, layouts: LayoutHook | None = None,
               progress: Progress | None = None) -> PackResult:
    """Write the pack of ``sheet`` to ``target``; ``layouts`` adds cut-layout drawings to the sheet,
    ``progress(done, total)`` is called as orders are laid out."""
    return PackBuilder(sheet, layouts=layouts, progress=progress).build(target)
