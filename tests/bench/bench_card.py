"""Benchmark: opening the deal card of a deal with a long history, and refreshing it after an edit.
Run by hand: ``nice python tests/bench/bench_card.py [--entries N] [--pictures P]``.

One deal with N timeline lines (default 2,000: notes, task lines, stage changes) and P attached
pictures (default 40, 1600×1200 PNG); measures opening the card (queries, models, first layout with
thumbnails), the refresh after a saved edit, and, as the baseline, the raw SQL query of the same
timeline rows. Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.domain.codes import Role
from app.services import deals, notes, people  # noqa: E402
from app.store import files  # noqa: E402
from app.store.db import database  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.models import TimelineEntry  # noqa: E402
from ui.deal import thumbnails  # noqa: E402
from ui.shell.main_window import MainWindow  # noqa: E402


def fill(folder: Path, entries: int, pictures: int) -> tuple:
    manager = people.create_user("tatiana", "Татьяна", Role.MANAGER)
    deal = deals.create_deal(manager, name="Длинная история", values={"budget": "32 000"}).deal
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    for n in range(pictures):
        image.fill(QColor.fromHsv(n * 9 % 360, 160, 220))
        path = folder / f"design-{n}.png"
        image.save(str(path))
        notes.attach_file(deal.id, manager, path, "design")
    with database.atomic():
        rows = [{"deal": deal.id, "kind": TimelineEntry.NOTE, "user": manager.id,
                 "text": f"Примечание {n}: клиент просит перезвонить, обсудили размеры и цвет кровати"}
                for n in range(entries - TimelineEntry.select().count())]
        for start in range(0, len(rows), 500):
            TimelineEntry.insert_many(rows[start:start + 500]).execute()
    return manager, deal


def timed(action, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--pictures", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-card-"))
    files.set_files_root(folder / "files")
    open_database(f"sqlite:///{folder / 'crm.sqlite3'}")
    app = QApplication.instance() or QApplication([])
    manager, deal = fill(folder, args.entries, args.pictures)
    window = MainWindow(manager)

    def open_card(cold: bool = True):
        if cold:
            thumbnails.forget()
        card = window.open_deal(deal.id)
        card.resize(1600, 900)
        app.processEvents()
        card.grab()
        card.close()
        card.deleteLater()
        app.processEvents()

    open_cold = timed(open_card, args.repeats)
    open_warm = timed(lambda: open_card(cold=False), args.repeats)
    card = window.open_deal(deal.id)
    card.resize(1600, 900)
    app.processEvents()
    budget = iter(range(40_000, 10**9, 100))

    def edit_and_refresh():
        deals.update_deal(deal.id, manager, {"budget": str(next(budget))})
        card.on_changed(type("C", (), {"deal_ids": frozenset({deal.id})})())
        app.processEvents()

    refresh = timed(edit_and_refresh, args.repeats)
    raw = timed(lambda: database.execute_sql(
        "SELECT id, at, kind, text, user_id, attachment_id FROM timeline_entry WHERE deal_id = ? "
        "ORDER BY at, id", (deal.id,)).fetchall(), args.repeats)
    result = {
        "entries": TimelineEntry.select().where(TimelineEntry.deal == deal.id).count(),
        "pictures": args.pictures,
        "open_card_cold_ms": round(statistics.median(open_cold) * 1000, 1),
        "open_card_warm_thumbnails_ms": round(statistics.median(open_warm) * 1000, 1),
        "refresh_after_edit_ms": round(statistics.median(refresh) * 1000, 1),
        "raw_timeline_query_ms": round(statistics.median(raw) * 1000, 2),
    }
    result["refresh_to_raw_ratio"] = round(result["refresh_after_edit_ms"] / max(result["raw_timeline_query_ms"], 0.01), 1)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
