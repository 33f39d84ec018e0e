"""The printed pack: what production gets on paper, read back from the PDF."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.demo.production import make_pdf_drawing, make_png_assembly
from app.documents.pack_data import load_sheet
from app.documents import pack_pdf
from app.documents.pack_pdf import build_pack
from app.services import cutsheets, notes, specs
from app.store import files
from app.store.db import copy_sqlite
from app.store.models import Attachment
from tests.domain.helpers import cutting_deal

ROOT = Path(__file__).resolve().parents[2]
PART = {"name": "Боковина", "material": "Фанера 18", "thickness": "18", "length": "2000", "width": "400",
        "quantity": "2", "edge_l1": "2"}


def _pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


@pytest.fixture
def sheet_with_orders(staff, tmp_path):
    """Cut sheet №1 with three orders: complete documents, a broken PDF + bad JPG, and none."""
    constructor = staff["constructor"]
    full = cutting_deal(staff["manager"], name="Краева Ярус", **{"contact.full_name": "Краева Ольга Сергеевна"})
    broken = cutting_deal(staff["manager"], name="Басова Остров", **{"contact.full_name": "Басова Вера Сергеевна",
                                                                    "contact.phone": "+7 912 345-67-89"})
    bare = cutting_deal(staff["manager"], name="Иванова Замок",
                        **{"contact.full_name": "Иванова (Румянцева) София Леонидовна"})
    for deal in (full, broken, bare):
        specs.save_parts(deal.id, constructor, [PART, {**PART, "name": "Спинка", "length": "900"}])
        specs.save_hardware(deal.id, constructor, [{"item": "Конфирмат 7×50", "quantity": "48", "unit": "шт"}])
    notes.attach_file(full.id, constructor, make_pdf_drawing(tmp_path / "чертеж.pdf", "Ярус", full.order_no), "drawing")
    notes.attach_file(full.id, constructor, make_png_assembly(tmp_path / "сборка.png", "Ярус", full.order_no),
                      "assembly_drawing")
    bad_pdf, bad_jpg = tmp_path / "испорчен.pdf", tmp_path / "битый.jpg"
    bad_pdf.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    bad_jpg.write_bytes(b"\xff\xd8\xff\xe0 not a jpeg at all")
    notes.attach_file(broken.id, constructor, bad_pdf, "drawing")
    notes.attach_file(broken.id, constructor, bad_jpg, "assembly_drawing")
    cutsheets.create_cut_sheet(constructor, [full.id, broken.id, bare.id], "Фанера 18")
    return full, broken, bare


def test_pack_holds_every_order_and_surname_and_numbered_pages(sheet_with_orders, tmp_path):
    full, broken, bare = sheet_with_orders
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf")
    pages = _pages_text(result.path)
    assert result.pages == len(pages)
    text = "\n".join(pages)
    for deal, surname in ((full, "Краева"), (broken, "Басова"), (bare, "Иванова (Румянцева)")):
        assert f"№ {deal.order_no}" in pages[0] and surname in pages[0]
        assert f"ЗАКАЗ № {deal.order_no}" in text
    assert "ЛИСТ РАСКРОЯ № 1" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"стр. {number} из {len(pages)}" in page
        assert "Лист раскроя №1" in page
    # the order's pages carry its number in the footer; the full order has a 2-page drawing merged in
    full_pages = [page for page in pages if f"заказ №{full.order_no} ·" in page]
    assert any("Вид спереди" in page for page in full_pages)
    assert sum("лист 1 из 2" in page or "лист 2 из 2" in page for page in full_pages) == 2
    assert any("Сборочный чертеж: сборка.png" in page for page in full_pages)
    assert "БЛАНК ЗАКАЗА ДЛЯ ПРОИЗВОДСТВА" in text and "Краева О. С." in text


def test_no_passport_or_phone_anywhere(sheet_with_orders, tmp_path):
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf")
    text = "\n".join(_pages_text(result.path))
    raw = result.path.read_bytes()
    digits = re.sub(r"\D", "", text)
    for secret in ("3681", "543578", "8008008000", "9123456789", "test@test.ru", "Бродвей"):
        assert secret not in text and secret not in digits.replace(" ", "")
        assert secret.encode() not in raw
    assert "Паспорт" not in text and "Телефон" not in text


def test_broken_and_missing_attachments_get_warning_pages(sheet_with_orders, tmp_path):
    _, broken, bare = sheet_with_orders
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf")
    pages = _pages_text(result.path)
    broken_pages = [page for page in pages if f"заказ №{broken.order_no} ·" in page]
    assert any("Файл повреждён: испорчен.pdf" in page for page in broken_pages)
    assert any("Файл повреждён: битый.jpg" in page for page in broken_pages)
    bare_pages = [page for page in pages if f"заказ №{bare.order_no} ·" in page]
    assert any("Чертеж не приложен" in page for page in bare_pages)
    assert any("Сборочный чертеж не приложен" in page for page in bare_pages)
    assert result.warnings == [
        f"Заказ №{broken.order_no}: Файл повреждён: испорчен.pdf",
        f"Заказ №{broken.order_no}: Файл повреждён: битый.jpg",
        f"Заказ №{bare.order_no}: Чертеж не приложен",
        f"Заказ №{bare.order_no}: Сборочный чертеж не приложен",
    ]


def test_cancelled_sheet_prints_stamped(sheet_with_orders, tmp_path):
    cutsheets.cancel_cut_sheet(1, None, "пересчитали")
    pages = _pages_text(build_pack(load_sheet(1), tmp_path / "pack.pdf").path)
    assert all("АННУЛИРОВАН" in page for page in pages)


def test_layout_hook_adds_drawings_to_the_cut_sheet(sheet_with_orders, tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from app.documents.fonts import register_fonts

    style = ParagraphStyle("t", fontName=register_fonts()[0])
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf",
                        layouts=lambda sheet: [Paragraph(f"Схема листа {sheet.number}: 3 плиты", style)])
    first = _pages_text(result.path)[0]
    assert "Схемы раскроя" in first and "Схема листа 1: 3 плиты" in first


def test_print_cutsheet_command_without_a_display(tmp_path, demo_shop):
    target = tmp_path / "pack.pdf"
    code = ("import sys, main; rc = main.main(['--demo', 'print-cutsheet', '1', '-o', sys.argv[1]]); "
            "assert 'PySide6.QtWidgets' not in sys.modules, 'a GUI was loaded'; sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code, str(target)], check=False, cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    pages = _pages_text(target)
    assert "ЛИСТ РАСКРОЯ № 1" in pages[0] and len(pages) > 10
    assert "Сборочный чертеж не приложен" in run.stderr
    shop = tmp_path / "shop.sqlite3"  # the demo shop again, as this PC's database
    copy_sqlite(demo_shop.path, shop)
    missing = subprocess.run([sys.executable, "main.py", "--db", f"sqlite:///{shop}", "print-cutsheet", "99",
                              "-o", str(target)], check=False, cwd=ROOT, capture_output=True, text=True,
                             timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert missing.returncode == 2 and "Лист раскроя №99 не найден" in missing.stderr


def test_long_parts_table_repeats_its_header_on_every_page(staff, tmp_path):
    deal = cutting_deal(staff["manager"], name="Длинный Ярус")
    specs.save_parts(deal.id, None, [{**PART, "name": f"Деталь {n}"} for n in range(1, 121)])
    cutsheets.create_cut_sheet(None, [deal.id])
    pages = _pages_text(build_pack(load_sheet(1), tmp_path / "pack.pdf").path)
    with_parts = [page for page in pages if "Деталь 1" in page]  # «Деталь 1», «Деталь 10…», «Деталь 100…»
    assert len(with_parts) >= 4  # the sheet's grouped table and the order's spec both run over pages
    for page in with_parts:
        assert "Материал" in page and "Ширина" in page and "Д1" in page
    assert "Деталь 120" in "\n".join(pages)


@pytest.mark.parametrize("width, height, rotate, turned", [
    (595, 842, 0, False),   # portrait A4 drawing: as is
    (842, 595, 0, True),    # landscape: turned to print larger
    (595, 842, 90, True),   # portrait sheet shown landscape by /Rotate
    (842, 595, 270, False),  # landscape sheet shown portrait
])
def test_drawing_pages_fit_inside_the_frame(width, height, rotate, turned):
    from pypdf import PageObject

    from app.documents.pack_pdf import _fit, turn_to_fit

    page = PageObject.create_blank_page(width=width, height=height)
    if rotate:
        page.rotate(rotate)
    box = (34.0, 62.0, 527.0, 690.0)
    ctm = _fit(page, box).ctm
    corners = [(ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5])
               for x in (0, width) for y in (0, height)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    assert min(xs) >= box[0] - 0.01 and max(xs) <= box[0] + box[2] + 0.01
    assert min(ys) >= box[1] - 0.01 and max(ys) <= box[1] + box[3] + 0.01
    # it fills the box in one direction
    assert abs(max(xs) - min(xs) - box[2]) < 0.5 or abs(max(ys) - min(ys) - box[3]) < 0.5
    shown_w, shown_h = (height, width) if rotate % 180 else (width, height)
    assert turn_to_fit(shown_w, shown_h, box[2], box[3]) is turned


def test_password_protected_drawing_gets_its_own_warning(staff, tmp_path):
    from pypdf import PdfWriter

    deal = cutting_deal(staff["manager"], name="Закрытый Ярус")
    locked = tmp_path / "закрыт.pdf"
    writer = PdfWriter(clone_from=str(make_pdf_drawing(tmp_path / "open.pdf", "Ярус", deal.order_no)))
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(str(locked))
    notes.attach_file(deal.id, None, locked, "drawing")
    cutsheets.create_cut_sheet(None, [deal.id])
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf")
    assert f"Заказ №{deal.order_no}: Файл защищён паролем: закрыт.pdf" in result.warnings
    assert any("Файл защищён паролем: закрыт.pdf" in " ".join(page.split()) for page in _pages_text(result.path))


def test_a_file_too_large_to_be_a_drawing_gets_its_warning_page_unread(sheet_with_orders, tmp_path, monkeypatch):
    _, broken, _ = sheet_with_orders
    stored = files.path_of(Attachment.get(Attachment.deal == broken.id, Attachment.kind == "drawing").stored_name)
    with stored.open("r+b") as huge:  # sparse: 101 MB on paper, nothing on the disk
        huge.truncate(101 * 2**20)
    opened = []
    real_reader = pack_pdf.PdfReader
    monkeypatch.setattr(pack_pdf, "PdfReader", lambda path, *a, **k: opened.append(path) or real_reader(path, *a, **k))
    result = build_pack(load_sheet(1), tmp_path / "pack.pdf")
    assert f"Заказ №{broken.order_no}: Файл слишком большой: испорчен.pdf" in result.warnings
    assert str(stored) not in opened
    pages = [page for page in _pages_text(result.path) if f"заказ №{broken.order_no} ·" in page]
    assert any("101 МБ" in page and "это не чертеж" in page for page in pages)
