"""«Договор»: the shop's template text, filled with the client's data, laid out on A4 with the
signatures of both sides. The first line of the text is its title; lines that start with a digit
and a dot («1. Предмет договора») are section headings."""
from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from app.documents.papers_data import ContractData
from app.documents.papers_style import PaperStyles, signature_table, text, write_pdf

HEADING = re.compile(r"^\d+\.\s+\S")


def build_contract(data: ContractData, target: Path) -> Path:
    """Write the contract to ``target`` (A4 PDF); returns the path."""
    s = PaperStyles()
    title = ParagraphStyle("contract-title", parent=s.title, alignment=TA_CENTER)
    body = ParagraphStyle("contract-body", parent=s.body, alignment=TA_JUSTIFY, spaceAfter=3)
    heading = ParagraphStyle("contract-heading", parent=s.bold_body, spaceBefore=5, spaceAfter=2)
    lines = data.text.strip().splitlines()
    story: list = []
    for index, line in enumerate(lines):
        if not line.strip():
            story.append(Spacer(1, 2 * mm))
        elif index == 0:
            story.append(Paragraph(text(line), title))
        elif index == 1 and lines[1].strip():
            story.append(Paragraph(text(line), ParagraphStyle("contract-sub", parent=s.body, alignment=TA_CENTER)))
        elif HEADING.match(line) and len(line) < 80:
            story.append(Paragraph(text(line), heading))
        else:
            story.append(Paragraph(text(line), body))
    story += [Spacer(1, 8 * mm), signature_table(data.shop, s, client=data.client_name)]
    return write_pdf(story, target, f"Договор № {data.order_no}", f"{data.shop.name} · договор № {data.order_no}")
