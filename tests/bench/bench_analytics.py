"""Benchmark of «Аналитика» on a generated shop (run by hand, not by pytest).

    python tests/bench/bench_analytics.py --deals 100000
    python tests/bench/bench_analytics.py --deals 100000 --db postgresql://postgres@127.0.0.1:5432/crm_bench

The database is generated in a child process by the demo's archive writer in batches: four years
of finished orders (won through the workshop, or lost at a sales stage) with their whole stage
history (≈ 14 moves an order), two tasks each. A PostgreSQL database must be empty; it is
migrated first and vacuumed and analysed after the load (``--reuse`` measures it again; a database
migrated since, e.g. to schema 18, wants ``VACUUM ANALYZE`` by hand when autovacuum is off). The measuring
process then, for the last 90 days and the last 365 days:

- report_s: every figure of the screen for a manager (``build_report``: funnel, lost, time in
  every stage, orders over their time, throughput, lead time, money and debts, people, sources);
- screen_s: the same through the screen (the report, its tables, every tab's model and chart
  redrawn in an offscreen window);
- raw_s: a plain SQL fetch of the rows the figures are made of (the period's stage moves with
  their deals) into Python; ratio = report_s / raw_s;
- report_cpu_s, screen_cpu_s: their CPU time in this process (SQLite works in it; a busy machine
  stretches the wall time, not this);
- figures_ms: each figure alone;
- filtered: for each filter above the screen (a kind — standard, three orders of four —, a responsible
  — one of the two managers, half the orders —, a source — «сайт», a third of them), the report, the
  screen with that filter chosen, the report's CPU time, each figure alone, and the raw fetch of the
  period's moves of the filtered deals.
Medians of 3 runs. The last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_S = 1.0
BATCH = 1000
YEARS_DAYS = 4 * 365
RUNS = 3


def generate(url: str, count: int) -> None:
    """Fill an empty database with ``count`` finished orders and their histories."""
    from app.demo.history import add_archive
    from app.demo.shop import DESIGN_PATH, SALES_PATH, create_staff
    from app.domain.codes import OrderKind
    from app.store.connection import open_database
    from app.store.db import database

    open_database(url)
    with database.atomic():
        staff = create_staff()
    paths = {OrderKind.STANDARD: SALES_PATH, OrderKind.INDIVIDUAL: DESIGN_PATH}
    for start in range(0, count, BATCH):
        with database.atomic():
            add_archive(staff, paths, seed=start, count=min(BATCH, count - start), spread_days=YEARS_DAYS)
    if url.startswith("postgres"):  # what the server's autovacuum does after a bulk load (here it may be off):
        database.execute_sql("VACUUM ANALYZE")  # the statistics, and the visibility map index-only scans read
    database.close()


def _median_time(work, clock=time.perf_counter) -> float:
    times = []
    for _ in range(RUNS):
        began = clock()
        work()
        times.append(clock() - began)
    return statistics.median(times)


def raw_fetch(flt) -> float:
    """Seconds to fetch the period's stage moves with their deals (the filtered deals), as plain SQL,
    into Python."""
    from app.queries.analytics import _Sql
    from app.queries.analytics_sql import stamp
    from app.store.db import database

    start, end = flt.bounds()
    param = database.param
    where, params = _Sql(flt).deals()
    sql = ('SELECT h.deal_id, h.from_stage, h.to_stage, h."at", d.kind, d.source, d.budget, d.ship_deadline '
           f'FROM stage_history h JOIN deal d ON d.id = h.deal_id WHERE h."at" >= {param} AND h."at" < {param}'
           f"{where}")
    return _median_time(lambda: database.execute_sql(sql, [stamp(start), stamp(end), *params]).fetchall())


def _figures_ms(figures: dict, flt) -> dict:
    return {name: round(_median_time(lambda f=figure: f(flt)) * 1000, 1) for name, figure in figures.items()}


def measure(url: str, deals_count: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from app.domain import clock
    from app.queries import analytics
    from app.queries.analytics import AnalyticsFilter
    from app.store.connection import open_database
    from app.store.models import StageHistory, User
    from ui.analytics.screen import AnalyticsScreen
    from ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    open_database(url)
    manager = User.get(User.login == "tatiana")
    window = MainWindow(manager)
    screen = AnalyticsScreen(window)
    window.add_screen("analytics", "Аналитика", screen)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    today = clock.local_today()
    result = {"deals": deals_count, "history_rows": StageHistory.select().count(),
              "backend": "postgresql" if url.startswith("postgres") else "sqlite", "target_s": TARGET_S}
    figures = {"funnel": analytics.funnel, "lost": analytics.lost, "stage_times": analytics.stage_times,
               "over_now": analytics.over_now, "throughput": analytics.throughput,
               "lead_time": analytics.lead_time, "money": analytics.money, "people": analytics.people,
               "sources": analytics.sources}
    for days in (90, 365):
        flt = AnalyticsFilter(today - timedelta(days=days - 1), today)
        report_s = _median_time(lambda: analytics.build_report(manager, flt))
        report_cpu_s = _median_time(lambda: analytics.build_report(manager, flt), time.process_time)
        screen.since.setDate(flt.date_from)
        screen.until.setDate(flt.date_to)

        def redraw():
            screen.refresh()
            app.processEvents()

        screen_s = _median_time(redraw)
        screen_cpu_s = _median_time(redraw, time.process_time)
        raw_s = raw_fetch(flt)
        result[f"last_{days}_days"] = {
            "report_s": round(report_s, 3), "report_cpu_s": round(report_cpu_s, 3),
            "screen_s": round(screen_s, 3), "screen_cpu_s": round(screen_cpu_s, 3), "raw_s": round(raw_s, 3),
            "ratio": round(report_s / raw_s, 2), "figures_ms": _figures_ms(figures, flt)}
        for name, narrowed in (("kind", {"kind": "standard"}), ("responsible", {"responsible_id": manager.id}),
                               ("source", {"source": "сайт"})):
            flt = AnalyticsFilter(today - timedelta(days=days - 1), today, **narrowed)
            report_s = _median_time(lambda: analytics.build_report(manager, flt))
            raw_s = raw_fetch(flt)
            combo = getattr(screen, name)  # the screen with the same filter chosen above it
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(next(iter(narrowed.values()))))
            screen_s = _median_time(redraw)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
            result[f"last_{days}_days"].setdefault("filtered", {})[name] = {
                "report_s": round(report_s, 3), "screen_s": round(screen_s, 3),
                "report_cpu_s": round(_median_time(lambda: analytics.build_report(manager, flt), time.process_time), 3),
                "raw_s": round(raw_s, 3), "ratio": round(report_s / raw_s, 2), "figures_ms": _figures_ms(figures, flt)}
    window.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--db", metavar="URL", help="an empty PostgreSQL database (default: a SQLite file)")
    parser.add_argument("--reuse", action="store_true", help="with --db: measure the database generated before")
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated SQLite file in DIR")
    parser.add_argument("--generate-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.deals)
        return 0
    if args.db:
        url, fresh = args.db, not args.reuse
    else:
        folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-analytics-"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"analytics-{args.deals}.sqlite3"
        url, fresh = f"sqlite:///{path}", not path.exists()
    if fresh:
        began = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--deals", str(args.deals), "--generate-only", url], check=True)
        print(f"generated {args.deals} orders in {time.perf_counter() - began:.1f} s: {url}", file=sys.stderr)
    print(json.dumps(measure(url, args.deals), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
