"""Benchmark of the board on a generated shop database (run by hand, not by pytest).

    python tests/bench/bench_board.py --deals 10000
    python tests/bench/bench_board.py --deals 100000

The database is generated in a child process with bulk inserts (not through the services one by
one): contacts with phones, deals spread over the stages (most of them closed, as years of work
leave them), open tasks on the open deals (some overdue). The measuring process then opens it:

- open_s: from "open database" to the first painted board (main window with the board, grabbed);
- peak_mb: the measuring process's peak resident memory;
- filter_ms: median time to apply a typed word to every column (totals + first pages);
- move_ms_median: median time of one move through the service including the refresh of both
  columns' models and totals (move_painted_ms_median: also until Qt has painted them);
- raw_fetch_s: a raw sqlite3 fetch of the same visible rows (totals, first page per column with
  contact, their open tasks); ratio = open_s / raw_fetch_s;
- paint_queries: SQL queries to open and paint the board.
The last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
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

TARGETS = {"open_s": {10_000: 0.5, 100_000: 2.0}, "peak_mb": 300, "filter_ms": 50, "move_ms_median": 10}
SURNAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Соколова", "Михайлова",
            "Новикова", "Федорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семенова", "Егорова",
            "Павлова", "Козлова", "Степанова", "Николаева", "Орлова", "Андреева", "Макарова", "Никитина"]
NAMES = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Юлия", "Светлана", "Дарья"]
BEDS = ["Избушка", "Ярус", "Замок", "Замок с комодом", "Замок с лестницей", "Остров", "МИА", "Маяк",
        "Чердак", "Малиночка"]
BATCH = 500


def stage_weights() -> dict[str, float]:
    """Most deals of a shop's years are closed; the open ones spread over the pipeline."""
    from app.domain import pipeline

    weights = {stage.code: 1.0 for stage in pipeline.STAGES}
    weights.update(new=4.0, first_contact=3.0, won=45.0, lost=20.0)
    return weights


def generate(url: str, count: int, seed: int = 15) -> None:
    """Fill an empty database with ``count`` deals by bulk inserts."""
    from app.domain import clock, pipeline
    from app.domain.codes import OrderKind, Role
    from app.services import numbering, people
    from app.store.connection import open_database
    from app.store.db import database
    from app.store.models import Contact, ContactChannel, Deal, Task

    rng = random.Random(seed)
    open_database(url)
    now = clock.now()
    with database.atomic():
        managers = [people.create_user(f"m{i}", f"Менеджер {i}", Role.MANAGER) for i in range(4)]
        people.create_user("designer", "Дизайнер", Role.DESIGNER)
        people.create_user("chief", "Начальник производства", Role.PRODUCTION_CHIEF)
    weights = stage_weights()
    codes, stage_w = list(weights), list(weights.values())
    kinds = list(OrderKind.NAMES)
    shops = people.group_named(pipeline.GROUP_SHOPS)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with database.atomic():
            first_contact = (Contact.select(Contact.id).order_by(Contact.id.desc()).scalar() or 0) + 1
            contacts, channels, deal_rows = [], [], []
            for i in range(size):
                number = start + i + 1
                full_name = f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}"
                created = now - timedelta(days=rng.uniform(0, 1500), minutes=rng.randint(0, 1440))
                phone = f"79{rng.randint(100000000, 999999999)}"
                contacts.append(dict(full_name=full_name, created_at=created, updated_at=created))
                channels.append(dict(contact=first_contact + i, kind=ContactChannel.PHONE, value="+" + phone))
                stage = rng.choices(codes, stage_w)[0]
                bed = rng.choice(BEDS)
                name = f"{full_name.split()[0]} {bed}"
                manager = rng.choice(managers).id
                entered = min(now, created + timedelta(days=rng.uniform(0, 60)))
                tags = rng.choice(["", "", "инд", "срочно", "рекл"])
                deal_rows.append(dict(
                    order_no=number, name=name, budget=rng.randint(100, 900) * 10_000, stage=stage,
                    stage_entered_at=entered, kind=rng.choice(kinds), contact=first_contact + i,
                    responsible=manager, manager=manager, tags=tags, products=bed,
                    search_text=" ".join(p for p in (str(number), name, tags, bed, full_name, phone) if p).lower(),
                    created_at=created, updated_at=entered))
            Contact.insert_many(contacts).execute()
            ContactChannel.insert_many(channels).execute()
            first_deal = (Deal.select(Deal.id).order_by(Deal.id.desc()).scalar() or 0) + 1
            Deal.insert_many(deal_rows).execute()
            tasks = []
            for i, row in enumerate(deal_rows):
                if pipeline.stage(row["stage"]).is_closed:
                    continue
                due = now + timedelta(hours=rng.uniform(-120, 240))
                tasks.append(dict(deal=first_deal + i, text="Связаться с клиентом", assignee_group=shops.id,
                                  due_at=due, created_at=row["stage_entered_at"], rule="new.contact"))
            if tasks:
                Task.insert_many(tasks).execute()
    numbering.ensure_at_least(numbering.ORDER_NO, count)
    database.close()


def raw_fetch(path: Path, stages: list[str]) -> float:
    """Seconds for plain sqlite3 to read what the first painted board shows."""
    started = time.perf_counter()
    raw = sqlite3.connect(str(path))
    raw.execute("SELECT stage, COUNT(id), SUM(budget) FROM deal GROUP BY stage").fetchall()
    for stage in stages:
        rows = raw.execute(
            "SELECT d.id, d.order_no, d.name, c.full_name, d.budget, d.stage, d.created_at, "
            "d.stage_entered_at, d.version FROM deal d LEFT JOIN contact c ON d.contact_id = c.id "
            "WHERE d.stage = ? ORDER BY d.updated_at DESC, d.id DESC LIMIT 40", (stage,)).fetchall()
        ids = [row[0] for row in rows]
        if ids:
            raw.execute(f"SELECT deal_id, due_at, all_day FROM task WHERE done_at IS NULL AND deal_id IN "
                        f"({','.join('?' * len(ids))})", ids).fetchall()
    raw.close()
    return time.perf_counter() - started


def measure(url: str, path: Path, deals_count: int) -> dict:
    from playhouse.test_utils import count_queries
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    from app.domain import pipeline
    from app.queries.board import BoardFilter
    from app.store.connection import open_database
    from app.store.db import database
    from app.store.models import Deal, User
    from ui.board.board import BoardWidget
    from ui.shell.main_window import MainWindow

    started = time.perf_counter()
    with count_queries() as counter:
        open_database(url)
        user = User.select().where(User.login == "m0").get()
        window = MainWindow(user)
        board = BoardWidget(window, settings)
        window.add_screen("board", "Сделки", board)
        window.resize(1600, 900)
        window.show()
        app.processEvents()
        window.grab()
    open_s = time.perf_counter() - started
    paint_queries = counter.count
    raw_s = min(raw_fetch(path, list(pipeline.STAGE_CODES)) for _ in range(3))

    filter_times = []
    for word in ["иванова", "ярус", "8 (912) 345-67-89", "замок с", "мия", "срочно", "орлова анна", ""]:
        for _ in range(3):
            began = time.perf_counter()
            board.set_filter(BoardFilter(text=word))
            app.processEvents()
            filter_times.append((time.perf_counter() - began) * 1000)
    board.set_filter(BoardFilter())

    ids = [d.id for d in Deal.select(Deal.id).where(Deal.stage == "first_contact").limit(15)]
    move_times, painted_times = [], []
    for deal_id in ids:
        for stage in ("design_agreement", "first_contact"):
            began = time.perf_counter()
            board.move_deals([deal_id], stage)  # service + announce + refresh of both columns
            moved = time.perf_counter()
            app.processEvents()  # Qt paints the two columns
            move_times.append((moved - began) * 1000)
            painted_times.append((time.perf_counter() - began) * 1000)
    database.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "deals": deals_count,
        "open_s": round(open_s, 3),
        "peak_mb": round(peak_mb, 1),
        "filter_ms": round(statistics.median(filter_times), 1),
        "filter_ms_max": round(max(filter_times), 1),
        "move_ms_median": round(statistics.median(move_times), 2),
        "move_painted_ms_median": round(statistics.median(painted_times), 2),
        "raw_fetch_s": round(raw_s, 4),
        "ratio_open_to_raw": round(open_s / raw_s, 1),
        "paint_queries": paint_queries,
        "targets": {"open_s": TARGETS["open_s"].get(deals_count), "peak_mb": TARGETS["peak_mb"],
                    "filter_ms": TARGETS["filter_ms"], "move_ms_median": TARGETS["move_ms_median"]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated database in DIR")
    parser.add_argument("--generate-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.deals)
        return 0
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-board-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"board-{args.deals}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        began = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--deals", str(args.deals), "--generate-only", url],
                       check=True)
        print(f"generated {args.deals} deals in {time.perf_counter() - began:.1f} s: {path}", file=sys.stderr)
    print(json.dumps(measure(url, path, args.deals), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
