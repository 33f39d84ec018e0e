"""«Бланк заказа» for the client: what was agreed — the bed model, sizes, colour, options, the sums
and the deadline — from the production form the constructor edits. No passport data."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.documents.papers_data import OrderFormData
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


def build_order_form(data: OrderFormData, target: Path) -> Path:
    """Write the order form to ``target`` (A4 PDF); returns the path."""
    s = PaperStyles()
    client = data.client
    rest = data.budget - (data.prepayment or 0)
    rows = [
        ("Клиент", client.full_name),
        ("Телефон", client.phone or "—"),
        ("E-mail", client.email or "—"),
        ("Модель кровати", data.bed_model or "—"),
        ("Товары", data.products or "—"),
        ("Размеры", data.dimensions or "—"),
        ("Цвет / покраска", data.colour or "—"),
        ("Опции", data.options or "—"),
        ("Доставка", data.delivery or "—"),
        ("Стоимость", f"{money(data.budget)} руб"),
        ("Предоплата", f"{money(data.prepayment)} руб" if data.prepayment is not None else "—"),
        ("Остаток к оплате", f"{money(rest)} руб"),
        ("Срок отгрузки", day(data.deadline)),
    ]
    table = Table([[Paragraph(f"<b>{text(label)}</b>", s.cell), Paragraph(text(value), s.body)]
                   for label, value in rows],
                  colWidths=[45 * mm, FRAME_W - 45 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    story = [
        Paragraph(f"Бланк заказа № {data.order_no} от {day(data.made_on)}", s.title),
        Paragraph(text(seller_line(data.shop)), s.small), Spacer(1, 5 * mm),
        table, Spacer(1, 4 * mm),
        Paragraph("Заказчик подтверждает модель, размеры, цвет и опции изделия. Изменения после запуска "
                  "в производство согласуются отдельно.", s.body),
        Spacer(1, 8 * mm), signature_table(data.shop, s, client=client.full_name),
    ]
    return write_pdf(story, target, f"Бланк заказа № {data.order_no}",
                     f"{data.shop.name} · бланк заказа № {data.order_no}")
