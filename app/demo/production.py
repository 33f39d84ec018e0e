"""Demo data for the constructor: parts and hardware specifications of the orders at «Раскрой»,
drawings made at demo-build time (a 2-sheet PDF drawing with reportlab, a PNG assembly drawing with
Pillow) and cut sheet №1, so ``python main.py --demo print-cutsheet 1 -o pack.pdf`` prints a real pack;
and a few stored offcuts («Остатки») left from earlier work.
"""
from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from app.documents.fonts import FONTS_DIR, register_fonts
from app.domain import clock
from app.services import cutsheets, notes, numbering, specs
from app.store.models import Deal, Offcut, User

PLY, PINE, WHITE, HDF = "Фанера 18", "Массив сосны 40", "ЛДСП 16 Белый", "ХДФ 3,2"
# offcuts in the store: material, length, width, days ago (none of plywood 18: cut sheet №1 keeps its layouts)
OFFCUTS = [(WHITE, 1400, 700, 30), (WHITE, 2780, 420, 12), ("Фанера 12", 1200, 600, 5), ("МДФ 16", 900, 450, 2)]

# name, material, thickness, length, width, qty, edges (Д1 Д2 Ш1 Ш2), may rotate, notes
_BUNK = [
    ("Стойка угловая", PINE, 40, 1750, 80, 4, ("", "", "", ""), False, "фаска 3 мм"),
    ("Царга боковая", PLY, 18, 1940, 150, 4, ("", "", "", ""), False, ""),
    ("Царга торцевая", PLY, 18, 840, 150, 4, ("", "", "", ""), False, ""),
    ("Спинка", PLY, 18, 840, 450, 4, ("", "", "", ""), False, "фрезеровка «домик»"),
    ("Бортик защитный", PLY, 18, 1400, 200, 2, ("", "", "", ""), False, "радиус 30"),
    ("Тетива лестницы", PLY, 18, 1600, 100, 2, ("", "", "", ""), False, ""),
    ("Ступень", PLY, 18, 400, 80, 5, ("", "", "", ""), True, ""),
    ("Ламель основания", "Фанера 12", 12, 790, 70, 28, ("", "", "", ""), True, ""),
]
_DRAWERS = [
    ("Фасад ящика", WHITE, 16, 570, 180, 4, ("2", "2", "2", "2"), False, "ручка 128 мм"),
    ("Боковина ящика", WHITE, 16, 450, 150, 8, ("0.4", "", "", ""), True, ""),
    ("Задняя стенка ящика", WHITE, 16, 506, 150, 4, ("0.4", "", "", ""), True, ""),
    ("Дно ящика", HDF, 3.2, 536, 446, 4, ("", "", "", ""), True, ""),
    ("Корпус комода, бок", WHITE, 16, 800, 450, 2, ("2", "", "", ""), False, ""),
    ("Корпус комода, крышка", WHITE, 16, 600, 450, 2, ("2", "", "0.4", "0.4"), False, ""),
]
_ISLAND = [
    ("Боковина", PLY, 18, 2000, 400, 2, ("", "", "", ""), False, "фрезеровка волна"),
    ("Спинка", PLY, 18, 900, 600, 2, ("", "", "", ""), False, ""),
    ("Царга", PLY, 18, 1940, 120, 2, ("", "", "", ""), False, ""),
    ("Ламель основания", "Фанера 12", 12, 890, 70, 26, ("", "", "", ""), True, ""),
    ("Фасад выкатного ящика", WHITE, 16, 1800, 200, 1, ("2", "2", "2", "2"), False, ""),
    ("Дно выкатного ящика", HDF, 3.2, 1760, 780, 1, ("", "", "", ""), True, ""),
]
_CASTLE = [
    ("Башня, стенка", PLY, 18, 1600, 450, 4, ("", "", "", ""), False, "зубцы по шаблону"),
    ("Стена с окном", PLY, 18, 1900, 700, 1, ("", "", "", ""), False, "окно 300×300"),
    ("Царга", PLY, 18, 1940, 150, 2, ("", "", "", ""), False, ""),
    ("Спинка", PLY, 18, 840, 500, 2, ("", "", "", ""), False, ""),
    ("Ламель основания", "Фанера 12", 12, 790, 70, 26, ("", "", "", ""), True, ""),
]

_HARDWARE = [
    ("Конфирмат 7×50", "КФ-750", 48, "шт"), ("Стяжка эксцентриковая с дюбелем", "ЭС-15", 16, "шт"),
    ("Болт мебельный М6×70 с гайкой", "БМ-670", 16, "шт"), ("Заглушка под конфирмат, белая", "ЗК-Б", 48, "шт"),
]
_DRAWER_HARDWARE = [
    ("Направляющие шариковые 450 мм", "НШ-450", 4, "компл."), ("Ручка-скоба 128 мм, белая", "РС-128Б", 4, "шт"),
]
_ISLAND_HARDWARE = [("Колесо мебельное d40", "КМ-40", 4, "шт"), ("Лента светодиодная 12 В", "LED-12", 2.5, "м")]

MODELS = {
    "Ярус с комодом": (_BUNK + _DRAWERS, _HARDWARE + _DRAWER_HARDWARE, "1900×800, высота 1750"),
    "Остров": (_ISLAND, _HARDWARE + _ISLAND_HARDWARE, "2000×900, спальное место 1900×800"),
    "Замок": (_CASTLE, _HARDWARE, "1900×800, высота 1600"),
}


def _part_rows(model: str) -> list[dict]:
    keys = ("name", "material", "thickness", "length", "width", "quantity")
    return [{**dict(zip(keys, row[:6])), "edge_l1": row[6][0], "edge_l2": row[6][1], "edge_w1": row[6][2],
             "edge_w2": row[6][3], "may_rotate": row[7], "notes": row[8]} for row in MODELS[model][0]]


def _hardware_rows(model: str) -> list[dict]:
    return [dict(zip(("item", "article", "quantity", "unit"), row)) for row in MODELS[model][1]]


def make_pdf_drawing(target: Path, title: str, order_no: int, sheets: int = 2) -> Path:
    """A simple technical drawing (landscape A4, title block) of a bed, ``sheets`` pages."""
    regular, bold = register_fonts()
    page_w, page_h = landscape(A4)
    canv = pdf_canvas.Canvas(str(target), pagesize=(page_w, page_h))
    for sheet in range(1, sheets + 1):
        canv.setLineWidth(1.2)
        canv.rect(20 * mm, 5 * mm, page_w - 25 * mm, page_h - 10 * mm)
        # title block (штамп) in the bottom right corner
        x0, y0 = page_w - 5 * mm - 185 * mm, 5 * mm
        canv.rect(x0, y0, 185 * mm, 40 * mm)
        canv.line(x0, y0 + 15 * mm, x0 + 185 * mm, y0 + 15 * mm)
        canv.line(x0 + 120 * mm, y0, x0 + 120 * mm, y0 + 40 * mm)
        canv.setFont(bold, 14)
        canv.drawString(x0 + 4 * mm, y0 + 26 * mm, f"Кровать «{title}»")
        canv.setFont(regular, 9)
        canv.drawString(x0 + 4 * mm, y0 + 19 * mm, f"Заказ №{order_no}")
        canv.drawString(x0 + 4 * mm, y0 + 6 * mm, "Разраб.: Волков С.   Пров.: —   Утв.: —")
        canv.drawString(x0 + 124 * mm, y0 + 26 * mm, "Масштаб 1:15")
        canv.drawString(x0 + 124 * mm, y0 + 6 * mm, f"Лист {sheet}   Листов {sheets}")
        canv.setLineWidth(0.8)
        ox, oy, s = 40 * mm, 60 * mm, mm / 15  # 1:15
        if sheet == 1:
            canv.setFont(bold, 11)
            canv.drawString(ox, page_h - 20 * mm, f"Вид спереди, заказ №{order_no}")
            canv.rect(ox, oy, 1940 * s, 150 * s)
            for x in (0, 1900):
                canv.rect(ox + x * s, oy - 0 * s, 80 * s, 1750 * s)
            canv.rect(ox, oy + 900 * s, 1980 * s, 150 * s)
            canv.rect(ox + 300 * s, oy + 1050 * s, 1400 * s, 200 * s)
            canv.setFont(regular, 8)
            canv.line(ox, oy - 10 * mm, ox + 1980 * s, oy - 10 * mm)
            canv.drawCentredString(ox + 990 * s, oy - 14 * mm, "1980")
            canv.line(ox - 8 * mm, oy, ox - 8 * mm, oy + 1750 * s)
            canv.drawString(ox - 18 * mm, oy + 875 * s, "1750")
        else:
            canv.setFont(bold, 11)
            canv.drawString(ox, page_h - 20 * mm, "Детали: спинка и бортик")
            canv.rect(ox, oy, 840 * s * 1.5, 450 * s * 1.5)
            canv.circle(ox + 420 * s * 1.5, oy + 225 * s * 1.5, 60 * s * 1.5)
            canv.rect(ox + 140 * mm, oy + 30 * mm, 1400 * s, 200 * s)
            canv.setFont(regular, 8)
            canv.drawString(ox, oy - 6 * mm, "Спинка 840×450, фрезеровка «домик», 4 шт")
            canv.drawString(ox + 140 * mm, oy + 24 * mm, "Бортик 1400×200, R30, 2 шт")
        canv.showPage()
    canv.save()
    return target


def make_png_assembly(target: Path, title: str, order_no: int) -> Path:
    """A simple assembly drawing as a PNG (exploded view with numbered steps)."""
    image = Image.new("RGB", (1600, 1130), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONTS_DIR / "DejaVuSans.ttf"), 28)
    big = ImageFont.truetype(str(FONTS_DIR / "DejaVuSans-Bold.ttf"), 40)
    draw.rectangle((10, 10, 1589, 1119), outline="black", width=4)
    draw.text((40, 30), f"Сборочный чертеж: «{title}», заказ №{order_no}", fill="black", font=big)
    steps = ["1. Стойки + царги (конфирмат 7×50)", "2. Основание: ламели на царги",
             "3. Спинки и бортик (эксцентрики)", "4. Лестница: тетивы + ступени"]
    for index, step in enumerate(steps):
        x, y = 60 + (index % 2) * 770, 140 + (index // 2) * 480
        draw.rectangle((x, y, x + 700, y + 420), outline="#444444", width=2)
        draw.text((x + 20, y + 15), step, fill="black", font=font)
        draw.rectangle((x + 80, y + 120, x + 620, y + 170), outline="black", width=3)
        draw.rectangle((x + 80, y + 200, x + 120, y + 380), outline="black", width=3)
        draw.rectangle((x + 580, y + 200, x + 620, y + 380), outline="black", width=3)
        draw.line((x + 350, y + 180, x + 350, y + 260), fill="#b00000", width=4)
    image.save(target, compress_level=3)
    return target


def _documents(deal: Deal, model: str, actor: User, folder: Path, *, assembly: bool = True,
               form: specs.FormValues | None = None) -> None:
    specs.save_parts(deal.id, actor, _part_rows(model))
    specs.save_hardware(deal.id, actor, _hardware_rows(model))
    specs.save_form(deal.id, actor, form or specs.FormValues(
        bed_model=model, dimensions=MODELS[model][2], colour="Белый (эмаль), массив — лак",
        options="Бортик справа, лестница слева"))
    drawing = make_pdf_drawing(folder / f"Чертеж {deal.order_no}.pdf", model, deal.order_no)
    notes.attach_file(deal.id, actor, drawing, "drawing")
    if assembly:
        picture = make_png_assembly(folder / f"Сборка {deal.order_no}.png", model, deal.order_no)
        notes.attach_file(deal.id, actor, picture, "assembly_drawing")


def add_production_documents(staff: dict[str, User]) -> None:
    """Specifications and drawings for the demo's orders at «Раскрой», and cut sheet №1."""
    constructor = staff["constructor"]
    by_name = {deal.name: deal for deal in cutsheets.cutting_orders()}
    plan = [("Ружанович Остров", "Остров"), ("Братковская Ярус с комодом", "Ярус с комодом"),
            ("Серегина Д. Ярус с комодом", "Ярус с комодом")]
    with tempfile.TemporaryDirectory(prefix="demo-drawings-") as tmp:
        folder = Path(tmp)
        for name, model in plan:
            _documents(by_name[name], model, constructor, folder)
        individual = by_name["Антимонова Инд."]
        _documents(individual, "Замок", constructor, folder, assembly=False, form=specs.FormValues(
            bed_model="Замок", dimensions="2000×900, башня 1600", colour="Розовый пастельный RAL 3015",
            options="Индивидуальный проект: окно в стене, флажок на башне"))
    sheet_orders = [by_name[name].id for name, _ in plan] + [individual.id]
    cutsheets.create_cut_sheet(constructor, sheet_orders, PLY)


def add_stored_offcuts(constructor: User) -> None:
    """Offcuts left from the sheets cut before the program (so they come from no sheet of it)."""
    for material, length, width, days in OFFCUTS:
        Offcut.create(number=numbering.next_number(numbering.OFFCUT_NO), material=material, length=length,
                      width=width, created_by=constructor, created_at=clock.now() - timedelta(days=days))
