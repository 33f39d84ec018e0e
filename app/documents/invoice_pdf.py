"""«Счёт на оплату»: the bank block, the seller and the client, the lines, the total, the prepayment
asked for, the amount in words, the validity and the payment QR (ГОСТ Р 56042-2014) that bank apps
read."""
from __future__ import annotations

from pathlib import Path

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.documents.papers_data import InvoiceData
from app.documents.papers_style import (
    FRAME_W,
    GRID,
    SHADE,
    PaperStyles,
    day,
    money,
    seller_line,
    signature_table,
    text,
    write_pdf,
)
from app.domain.amount_words import amount_in_words

QR_SIZE = 40 * mm


def payment_qr(value: str, size: float = QR_SIZE) -> QrCode:
    """The QR of a payment string (error correction M, a quiet zone of 4 modules, as banks expect);
    reportlab's flowable draws the modules straight onto the page (its widget is 3 times slower)."""
    return QrCode(value, width=size, height=size, qrLevel="M", qrBorder=4)


def _bank_block(data: InvoiceData, s: PaperStyles) -> Table:
    shop = data.shop
    inn_kpp = f"ИНН {shop.inn}" + (f"    КПП {shop.kpp}" if not shop.is_ip and shop.kpp else "")
    rows = [
        [Paragraph(text(shop.bank_name), s.cell), "БИК", shop.bik],
        [Paragraph("Банк получателя", s.small), "Сч. №", shop.corr_account],
        [inn_kpp, "Сч. №", shop.account],
        [Paragraph(text(shop.name), s.cell), "", ""],
        [Paragraph("Получатель", s.small), "", ""],
    ]
    table = Table(rows, colWidths=[FRAME_W - 70 * mm, 15 * mm, 55 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), s.regular, 9),
        ("BOX", (0, 0), (-1, -1), 0.6, GRID),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, GRID), ("LINEBELOW", (0, 2), (0, 2), 0.6, GRID),
        ("LINEBEFORE", (1, 0), (1, -1), 0.6, GRID), ("LINEBEFORE", (2, 0), (2, -1), 0.6, GRID),
        ("LINEBELOW", (1, 0), (2, 0), 0.6, GRID), ("LINEBELOW", (1, 1), (2, 1), 0.6, GRID),
        ("SPAN", (1, 2), (1, 4)), ("SPAN", (2, 2), (2, 4)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _lines_table(data: InvoiceData, s: PaperStyles) -> Table:
    rows = [["№", "Товары (работы, услуги)", "Кол-во", "Ед.", "Цена", "Сумма"]]
    for number, line in enumerate(data.lines, start=1):
        rows.append([str(number), Paragraph(text(line.text), s.cell), str(line.quantity), line.unit,
                     money(line.price), money(line.total)])
    table = Table(rows, colWidths=[9 * mm, FRAME_W - 96 * mm, 16 * mm, 13 * mm, 29 * mm, 29 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), s.regular, 9), ("FONT", (0, 0), (-1, 0), s.bold, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _totals(data: InvoiceData, s: PaperStyles) -> Table:
    rows = [["Итого:", money(data.total)], ["Без налога (НДС):", "—"],
            ["Предоплата к оплате:", money(data.to_pay)]]
    table = Table(rows, colWidths=[FRAME_W - 40 * mm, 40 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), s.bold, 9.5), ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _qr_block(data: InvoiceData, s: PaperStyles) -> Table:
    caption = [Paragraph("<b>Оплата по QR-коду</b>", s.body),
               Paragraph(f"Откройте приложение банка, выберите «Оплата по QR» и наведите камеру на код: "
                         f"получатель, счёт и сумма {money(data.to_pay)} руб заполнятся сами.", s.body),
               Spacer(1, 2 * mm),
               Paragraph(f"Назначение: {text(_purpose(data))}", s.small)]
    table = Table([[payment_qr(data.qr_text), caption]], colWidths=[QR_SIZE + 4 * mm, FRAME_W - QR_SIZE - 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    return table


def _purpose(data: InvoiceData) -> str:
    return data.qr_text.rsplit("Purpose=", 1)[-1]


def build_invoice(data: InvoiceData, target: Path) -> Path:
    """Write the invoice to ``target`` (A4 PDF); returns the path."""
    s = PaperStyles()
    client = data.client
    client_parts = [client.full_name] + [value for value in (client.phone, client.email) if value]
    story = [
        _bank_block(data, s), Spacer(1, 5 * mm),
        Paragraph(f"Счёт на оплату № {data.code} от {day(data.issued_on)}", s.title),
        Table([[""]], colWidths=[FRAME_W], rowHeights=[1],
              style=[("LINEABOVE", (0, 0), (-1, -1), 1.5, GRID)]),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>Исполнитель:</b> {text(seller_line(data.shop))}", s.body), Spacer(1, 1.5 * mm),
        Paragraph(f"<b>Заказчик:</b> {text(', '.join(client_parts))}", s.body), Spacer(1, 1.5 * mm),
        Paragraph(f"<b>Основание:</b> Заказ № {data.order_no}", s.body), Spacer(1, 4 * mm),
        _lines_table(data, s), Spacer(1, 2 * mm), _totals(data, s), Spacer(1, 2 * mm),
        Paragraph(f"Всего наименований {len(data.lines)}, на сумму {money(data.total)} руб.", s.body),
        Paragraph(f"<b>{text(amount_in_words(data.total))}</b>", s.body), Spacer(1, 2 * mm),
        Paragraph(f"<b>Счёт действителен до {day(data.valid_until)}</b>", s.body), Spacer(1, 1.5 * mm),
        Paragraph(text(data.note), s.body), Spacer(1, 4 * mm),
        _qr_block(data, s), Spacer(1, 6 * mm),
        signature_table(data.shop, s),
    ]
    return write_pdf(story, target, f"Счёт на оплату № {data.code}", f"{data.shop.name} · счёт № {data.code}")
