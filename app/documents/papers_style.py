"""What the client's papers share: the page, the styles (the bundled DejaVu font), amounts with
kopecks, the signature line, and writing the PDF."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.documents.fonts import register_fonts
from app.documents.pack_pdf import _write_atomic as write_atomic
from app.domain.money import format_rub_kopecks
from app.domain.requisites import ShopDetails

PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
FRAME_W = PAGE_W - 2 * MARGIN
GRID = colors.HexColor("#444444")
SHADE = colors.HexColor("#eeeeee")


class PaperStyles:
    def __init__(self) -> None:
        self.regular, self.bold = register_fonts()
        self.body = ParagraphStyle("paper", fontName=self.regular, fontSize=9.5, leading=12.5)
        self.small = ParagraphStyle("paper-small", parent=self.body, fontSize=8, leading=10)
        self.cell = ParagraphStyle("paper-cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.bold_body = ParagraphStyle("paper-bold", parent=self.body, fontName=self.bold)
        self.title = ParagraphStyle("paper-title", parent=self.body, fontName=self.bold, fontSize=14, leading=18,
                                    spaceBefore=4, spaceAfter=6)


def text(value: object) -> str:
    """A value as Paragraph markup (escaped, line breaks kept)."""
    return escape(str(value)).replace("\n", "<br/>")

money = format_rub_kopecks


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def seller_line(shop: ShopDetails) -> str:
    """The seller in one line: name, ИНН, КПП (a company's), ОГРН/ОГРНИП, address, phone."""
    parts = [shop.name, f"ИНН {shop.inn}"]
    if not shop.is_ip and shop.kpp:
        parts.append(f"КПП {shop.kpp}")
    parts.append(f"{'ОГРНИП' if shop.is_ip else 'ОГРН'} {shop.ogrn}")
    parts += [value for value in (shop.address, f"тел. {shop.phone}" if shop.phone else "", shop.email) if value]
    return ", ".join(parts)


def signature_table(shop: ShopDetails, styles: PaperStyles, *, client: str | None = None) -> Table:
    """«Исполнитель ____ / name /» (and the client's when ``client`` is given)."""
    who = "Индивидуальный предприниматель" if shop.is_ip else "Руководитель"
    signer = shop.signer or shop.name
    rows = [[Paragraph(f"<b>{who}</b>", styles.body), "_" * 22, Paragraph(f"/ {text(signer)} /", styles.body)]]
    if client is not None:
        rows.append([Paragraph("<b>Заказчик</b>", styles.body), "_" * 22,
                     Paragraph(f"/ {text(client)} /", styles.body)])
    table = Table(rows, colWidths=[55 * mm, 50 * mm, FRAME_W - 105 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles.regular, 9), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("TOPPADDING", (0, 0), (-1, -1), 10), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def write_pdf(story: list, target: Path, title: str, footer: str) -> Path:
    """Lay ``story`` out on A4 pages with ``footer`` and page numbers; written atomically to ``target``."""
    styles = PaperStyles()

    def on_page(canv, doc) -> None:
        canv.saveState()
        canv.setFont(styles.regular, 7.5)
        canv.setFillColor(colors.HexColor("#666666"))
        canv.drawString(MARGIN, 9 * mm, footer)
        canv.drawRightString(PAGE_W - MARGIN, 9 * mm, f"стр. {doc.page}")
        canv.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * mm, title=title, author=footer)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    target = Path(target)
    write_atomic(target, buffer.getvalue())
    return target
