"""Benchmark: the printed pack of a cut sheet with 50 orders, each with a 2-page PDF drawing and a
JPG assembly drawing (target ≤ 3 s). Run by hand: ``nice python tests/bench/bench_pack.py``.
Prints the time per page and, as the last line, one JSON object (wall and CPU seconds, and the load
average: on a busy shared machine the CPU time is the fairer number). The raw baseline is plain
reportlab laying out the same flowables into a SimpleDocTemplate (no page headers and footers, no
merged drawing pages); ratio = pack CPU / baseline CPU."""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from app.demo.production import _hardware_rows, _part_rows, make_pdf_drawing  # noqa: E402
from app.documents.pack_data import load_sheet  # noqa: E402
from app.documents.pack_pdf import FOOTER_H, HEADER_H, MARGIN, PackBuilder, build_pack  # noqa: E402
from app.services import cutsheets, deals, notes, people, specs  # noqa: E402
from app.store import files  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.db import close_database  # noqa: E402

ORDERS = 50
VALUES = {"contact.email": "bench@test.ru", "contact.phone": "+7 912 345-67-89", "passport.series": "4001",
          "passport.number": "123456", "contact.address": "г. Санкт-Петербург", "budget": "46 800",
          "payment_date": "2025-06-02", "prepayment": "46 800", "ship_deadline": "2025-07-14",
          "delivery_type": "До дома", "delivery_city": "Санкт-Петербург"}


def _setup(folder: Path) -> None:
    open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    files.set_files_root(folder / "files")
    constructor = people.create_user("constructor", "Сергей Волков", "constructor")
    photo = folder / "сборка.jpg"
    Image.new("RGB", (2400, 1700), "white").save(photo, quality=85)
    ids = []
    for index in range(ORDERS):
        deal = deals.create_deal(None, name=f"Заказчик{index} Ярус с комодом",
                                 values={**VALUES, "contact.full_name": f"Заказчикова{index} Анна Петровна"}).deal
        for stage in ("invoice", "paid", "cutting"):
            deals.move_deal(deal.id, stage, None)
        specs.save_parts(deal.id, constructor, _part_rows("Ярус с комодом"))
        specs.save_hardware(deal.id, constructor, _hardware_rows("Ярус с комодом"))
        drawing = make_pdf_drawing(folder / f"чертеж{index}.pdf", "Ярус с комодом", deal.order_no, sheets=2)
        notes.attach_file(deal.id, constructor, drawing, "drawing")
        notes.attach_file(deal.id, constructor, photo, "assembly_drawing")
        ids.append(deal.id)
    cutsheets.create_cut_sheet(constructor, ids)


def _raw_baseline(sheet, target: Path) -> float:
    """CPU seconds for plain reportlab to lay out the pack's flowables (the same pages' content)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    started = time.process_time()
    builder = PackBuilder(sheet)
    story = builder._sheet_story()
    for order in sheet.orders:
        story += [PageBreak(), *builder._order_story(order)]
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                      topMargin=MARGIN + HEADER_H, bottomMargin=MARGIN + FOOTER_H).build(story)
    return time.process_time() - started


def _print_time(source: Path, target: Path, pages: int = 20) -> tuple[float, int]:
    """Seconds to render the first ``pages`` pages onto a printer (a PDF-file printer at 200 dpi)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pypdf import PdfReader, PdfWriter
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPrintSupport import QPrinter

    from ui.cutsheets.printing import print_pdf

    if QGuiApplication.instance() is None:
        _print_time.app = QGuiApplication([])  # painting needs one; kept alive on the function
    part = target.with_name("part.pdf")
    writer = PdfWriter()
    for page in PdfReader(str(source)).pages[:pages]:
        writer.add_page(page)
    writer.write(str(part))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(200)
    started = time.perf_counter()
    count = print_pdf(part, printer)
    return time.perf_counter() - started, count


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _setup(folder)
        runs = []
        for attempt in range(3):
            started, cpu_started = time.perf_counter(), time.process_time()
            sheet = load_sheet(1)
            loaded = time.perf_counter()
            result = build_pack(sheet, folder / f"pack{attempt}.pdf")
            done = time.perf_counter()
            runs.append({"load_s": loaded - started, "build_s": done - loaded, "total_s": done - started,
                         "cpu_s": time.process_time() - cpu_started,
                         "pages": result.pages, "warnings": len(result.warnings)})
            print(f"попытка {attempt + 1}: {result.pages} стр. за {done - started:.2f} с "
                  f"({(done - started) / result.pages * 1000:.1f} мс/стр.)")
        raw_cpu_s = min(_raw_baseline(load_sheet(1), folder / f"raw{attempt}.pdf") for attempt in range(2))
        printing_s, printed_pages = _print_time(folder / "pack0.pdf", folder / "printed.pdf")
        close_database()
    total = statistics.median(run["total_s"] for run in runs)
    pages = runs[0]["pages"]
    print(f"печать (отрисовка страниц для принтера, 200 dpi): {printing_s / printed_pages * 1000:.0f} мс/стр.")
    print(json.dumps({"orders": ORDERS, "pages": pages, "median_s": round(total, 3),
                      "print_ms_per_page": round(printing_s / printed_pages * 1000, 1),
                      "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 3),
                      "load_average": round(os.getloadavg()[0], 1),
                      "median_load_s": round(statistics.median(r["load_s"] for r in runs), 3),
                      "ms_per_page": round(total / pages * 1000, 2), "warnings": runs[0]["warnings"],
                      "raw_cpu_s": round(raw_cpu_s, 3),
                      "ratio_cpu_to_raw": round(statistics.median(r["cpu_s"] for r in runs) / raw_cpu_s, 2),
                      "target_s": 3.0, "ok": total <= 3.0}, ensure_ascii=False))


if __name__ == "__main__":
    main()
