"""Benchmark: what several PCs cost a single one. Run by hand: ``nice python tests/bench/bench_multipc.py
[--deals N] [--db URL]``.

On a fresh database with N deals (default 2,000, made through the services): the median stage move
with the change counter written at commit vs the same move with the counter off (the ratio is its
overhead), the live-refresh poll when nothing changed and when another connection moved a deal, and
for SQLite the start-up integrity check and one backup (zip with files). Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain import pipeline  # noqa: E402
from app.services import deals, people  # noqa: E402
from app.store import backups, files
from app.store.change_feed import ChangeFeed  # noqa: E402
from app.store.connection import open_database
from app.store.db import close_database, database, make_database, sqlite_path  # noqa: E402
from app.store.integrity import check_sqlite_file  # noqa: E402
from app.store.models import Role  # noqa: E402

FREE = [stage.code for stage in pipeline.STAGES if not stage.gate]


def _median_ms(action, repeats: int) -> float:
    times = []
    for n in range(repeats):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=2000)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-multipc-"))
    url = args.db or f"sqlite:///{folder / 'crm.sqlite3'}"
    files.set_files_root(folder / "files")
    db = open_database(url)
    chief = people.create_user("admin", "Администратор", Role.ADMIN)  # may move into every stage
    with database.atomic():
        ids = [deals.create_deal(chief, name=f"Заказ {n}", values={"products": "Ярус"}).deal.id
               for n in range(args.deals)]

    def move(n: int) -> None:
        deals.move_deal(ids[n % len(ids)], FREE[(n % (len(FREE) - 1)) + 1], chief)

    result = {"deals": args.deals, "backend": url.split(":")[0]}
    timings: dict[bool, list[float]] = {True: [], False: []}
    for n in range(600):  # interleaved, so that the machine's noise hits both alike
        db.track_changes = n % 2 == 0
        start = time.perf_counter()
        move(n)
        timings[db.track_changes].append((time.perf_counter() - start) * 1000)
    db.track_changes = True
    result["move_ms_with_counter"] = round(statistics.median(timings[True]), 3)
    result["move_ms_without_counter"] = round(statistics.median(timings[False]), 3)
    result["counter_overhead_ratio"] = round(result["move_ms_with_counter"] / result["move_ms_without_counter"], 3)

    feed = ChangeFeed()
    result["poll_ms_nothing_changed"] = _median_ms(lambda n: feed.poll(), 300)
    other = make_database(url)
    other.track_changes = True

    def remote_then_poll(n: int) -> None:
        database.initialize(other)
        move(n + 1000)
        database.initialize(db)
        feed.poll()

    result["move_elsewhere_then_poll_ms"] = _median_ms(remote_then_poll, 100)
    path = sqlite_path(url)
    if path is not None:
        close_database()
        result["db_mb"] = round(path.stat().st_size / 1e6, 2)
        start = time.perf_counter()
        assert check_sqlite_file(path).ok
        result["integrity_check_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        backups.backup_sqlite(path, folder / "files")
        result["backup_s"] = round(time.perf_counter() - start, 3)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
