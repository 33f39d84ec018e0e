"""Benchmark: making an invoice from a deal (number, PDF with the payment QR, attached, on the
timeline) and the order form, against a plain reportlab page with the same font (the baseline).
Run by hand: ``nice python tests/bench/bench_papers.py [--count N]``; the last line is JSON."""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from app.demo.shop_details import DEMO_DETAILS  # noqa: E402
from app.documents.fonts import register_fonts  # noqa: E402
from app.services import client_papers, deals, paper_settings  # noqa: E402
from app.store import files  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.db import close_database  # noqa: E402

VALUES = {"contact.full_name": "Заказчикова Анна Петровна", "contact.email": "bench@test.ru",
          "contact.phone": "+7 912 345-67-89", "budget": "46 800", "products": "Ярус с комодом"}


def _timed(work, count: int) -> list[float]:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return times


def _plain_page() -> None:
    regular, _ = register_fonts()
    page = canvas.Canvas(io.BytesIO(), pagesize=A4)
    page.setFont(regular, 10)
    for line in range(40):
        page.drawString(50, 800 - line * 18, f"Счёт на оплату, строка {line}: Тридцать две тысячи рублей 00 копеек")
    page.save()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as folder:
        open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        files.set_files_root(Path(folder) / "files")
        paper_settings.save_shop_details(None, DEMO_DETAILS)
        deal = deals.create_deal(None, name="Заказчикова Ярус", values=VALUES).deal
        client_papers.issue_invoice(deal.id, None)  # fonts registered, modules warm
        cpu = time.process_time()
        invoice = _timed(lambda: client_papers.issue_invoice(deal.id, None), count)
        order_form = _timed(lambda: client_papers.make_order_form(deal.id, None), count)
        cpu = time.process_time() - cpu
        baseline = _timed(_plain_page, count)
        close_database()
    result = {"count": count, "invoice_median_s": round(statistics.median(invoice), 4),
              "order_form_median_s": round(statistics.median(order_form), 4),
              "plain_page_median_s": round(statistics.median(baseline), 4),
              "invoice_vs_plain_page": round(statistics.median(invoice) / statistics.median(baseline), 1),
              "cpu_s": round(cpu, 2), "load": os.getloadavg()[0]}
    print(f"Счёт: {result['invoice_median_s']} с, бланк заказа: {result['order_form_median_s']} с "
          f"(страница reportlab без данных: {result['plain_page_median_s']} с)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
