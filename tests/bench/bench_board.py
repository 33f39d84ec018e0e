"""Benchmark of the board on a generated shop database (run by hand, not by pytest).

    python tests/bench/bench_board.py --deals 10000
    python tests/bench/bench_board.py --deals 100000
    python tests/bench/bench_board.py --deals 100000 --db postgresql://postgres@127.0.0.1:5432/crm_bench

The database is generated in a child process with bulk inserts (not through the services one by
one): contacts with phones, deals spread over the stages (most of them closed, as years of work
leave them), open tasks on 40 % of the open deals (some overdue: 10,000 open tasks at 100,000 deals). With
``--db postgresql://…`` the shop is generated into that (scratch!) database instead, then ANALYZEd
as an import does. The measuring process then opens it:

- open_s: from "open database" to the first painted board (main window with the board, grabbed);
- peak_mb: the measuring process's peak resident memory;
- filter_ms: median time to apply a typed word to every column (totals + first pages), each word
  three times in a row (as a search field re-applies what is typed); filter_first_ms: the first
  time of each word only (nothing of it read or painted before);
  raw_filter_ms: the same matching rows read by raw SQL through the same index (the raw count per
  stage and the first page per stage); filter_phone_ms: phone fragments («6789», «67-89», …);
  filter_typing_ms: median time of one keystroke typing ``TYPED`` letter by letter (a search at every
  letter, the first one a one-letter word; _max_ms: the slowest keystroke);
- totals_ms: the unfiltered column totals (maintained counters); totals_scan_ms: the same totals
  by GROUP BY over the covering (stage, budget) index, the alternative measured against them;
- reminder_counts_ms: the tray's due/overdue counts of a manager who sees every open task;
  raw_reminder_counts_ms: plain SQL counting the same overdue tasks;
- move_ms_median: median time of one move through the service including the refresh of both
  columns' models and totals (move_painted_ms_median: also until Qt has painted them);
  raw_move_ms: plain SQL doing the same writes in one transaction and reading both columns' counters,
  first pages and cards;
- raw_fetch_s: a raw sqlite3 fetch of the same visible rows (totals, first page per column with
  contact, their open tasks); ratio = open_s / raw_fetch_s;
- paint_queries: SQL queries to open and paint the board;
- *_cpu_ms: this process's CPU time of the same work (fairer than wall time on a busy machine;
  PostgreSQL's server time is not in it), and the load average while measuring.
The last stdout line is one JSON object. ``--only search`` (or ``--only moves``) measures opening and
the search (the moves) alone, the other figures null, to try a change quickly.
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

TARGETS = {"open_s": {10_000: 0.5, 100_000: 2.0}, "peak_mb": 300, "filter_ms": 30, "move_ms_median": 10,
           "totals_ms": 10, "reminder_counts_ms": 10}
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
    from app.store.db import analyze, database
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
                if pipeline.stage(row["stage"]).is_closed or rng.random() >= 0.4:
                    continue
                due = now + timedelta(hours=rng.uniform(-120, 240))
                tasks.append(dict(deal=first_deal + i, text="Связаться с клиентом", assignee_group=shops.id,
                                  due_at=due, created_at=row["stage_entered_at"], rule="new.contact"))
            if tasks:
                Task.insert_many(tasks).execute()
    numbering.ensure_at_least(numbering.ORDER_NO, count)
    analyze(database.obj)
    database.close()


def raw_connect(url: str):
    """A plain DB-API connection to ``url`` and its parameter mark."""
    from app.store.db import postgres_params, sqlite_path

    if url.startswith("sqlite"):
        return sqlite3.connect(str(sqlite_path(url))), "?"
    import psycopg2

    params = postgres_params(url)
    params["dbname"] = params.pop("database")
    return psycopg2.connect(**params), "%s"


def raw_fetch(url: str, stages: list[str]) -> float:
    """Seconds for plain DB-API SQL to read what the first painted board shows."""
    started = time.perf_counter()
    raw, mark = raw_connect(url)
    cursor = raw.cursor()
    cursor.execute("SELECT stage, COUNT(id), SUM(budget) FROM deal GROUP BY stage")
    cursor.fetchall()
    raw_first_pages(cursor, mark, stages)
    raw.close()
    return time.perf_counter() - started


def raw_first_pages(cursor, mark: str, stages) -> None:
    """Read each of ``stages``' first page of cards with their open tasks by plain SQL."""
    for stage in stages:
        cursor.execute(
            "SELECT d.id, d.order_no, d.name, c.full_name, d.budget, d.stage, d.created_at, "
            "d.stage_entered_at, d.version FROM deal d LEFT JOIN contact c ON d.contact_id = c.id "
            f"WHERE d.stage = {mark} ORDER BY d.updated_at DESC, d.id DESC LIMIT 40", (stage,))
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            cursor.execute(f"SELECT deal_id, due_at, all_day FROM task WHERE done_at IS NULL AND deal_id IN "
                           f"({','.join(str(i) for i in ids)})")
            cursor.fetchall()


def raw_filter_ms(url: str, words: list[str]) -> float:
    """Median ms for raw SQL to read the rows a typed word shows (count and budget per stage, the
    first 40 per stage), through the same substring index, for the words of ``words`` of 3+ letters."""
    raw, mark = raw_connect(url)
    cursor = raw.cursor()
    postgres = mark == "%s"
    match = ("(' ' || search_text) LIKE %s" if postgres
             else "id IN (SELECT rowid FROM deal_search WHERE deal_search MATCH ?)")
    times = []
    for word in words:
        value = f"%{word}%" if postgres else f'"{word}"'
        for _ in range(3):
            began = time.perf_counter()
            cursor.execute(f"SELECT stage, COUNT(*), SUM(budget) FROM deal WHERE {match} GROUP BY stage", (value,))
            cursor.fetchall()
            cursor.execute(f"SELECT id, stage FROM (SELECT id, stage, ROW_NUMBER() OVER (PARTITION BY stage "
                           f"ORDER BY updated_at DESC, id DESC) AS place FROM deal WHERE {match}) AS ranked "
                           f"WHERE place <= 40", (value,))
            cursor.fetchall()
            times.append((time.perf_counter() - began) * 1000)
    raw.close()
    return statistics.median(times)


def raw_totals_ms(url: str) -> float:
    """Median ms of the column totals as one GROUP BY over the covering (stage, budget) index."""
    raw, _ = raw_connect(url)
    cursor = raw.cursor()
    times = []
    for _ in range(15):
        began = time.perf_counter()
        cursor.execute("SELECT stage, COUNT(id), SUM(budget) FROM deal GROUP BY stage")
        cursor.fetchall()
        times.append((time.perf_counter() - began) * 1000)
    raw.close()
    return statistics.median(times)


def raw_move_ms(url: str, deal_ids: list[int], stages: tuple[str, str]) -> float:
    """Median ms for plain DB-API SQL to do a move's work: in one transaction lock and read the
    deal, write its stage-history row, its timeline line and its new stage, advance the change
    counter and log the deal (the same triggers fire), commit; then read both columns' counters,
    their first pages (40) and those cards with contact and open tasks."""
    raw, mark = raw_connect(url)
    postgres = mark == "%s"
    if postgres:
        raw.autocommit = True
    else:
        raw.isolation_level = None
        raw.execute("PRAGMA synchronous = FULL")  # as the program's connection
    cursor = raw.cursor()
    times = []
    for deal_id in deal_ids:
        for target, source in (stages, stages[::-1]):
            began = time.perf_counter()
            cursor.execute("BEGIN")
            lock = " FOR UPDATE" if postgres else ""
            cursor.execute(f"SELECT id, stage, version FROM deal WHERE id = {mark}{lock}", (deal_id,))
            cursor.fetchall()
            now = clock_now_text()
            cursor.execute(f"INSERT INTO stage_history (deal_id, from_stage, to_stage, at) VALUES ({mark}, {mark}, "
                           f"{mark}, {mark})", (deal_id, source, target, now))
            cursor.execute(f"INSERT INTO timeline_entry (deal_id, at, kind, text) VALUES ({mark}, {mark}, 'stage', "
                           f"{mark})", (deal_id, now, f"Новый этап: {target}"))
            cursor.execute(f"UPDATE deal SET stage = {mark}, stage_entered_at = {mark}, updated_at = {mark}, "
                           f"version = version + 1 WHERE id = {mark}", (target, now, now, deal_id))
            cursor.execute(f"UPDATE counter SET value = value + 1 WHERE name = {mark}", ("changes",))
            cursor.execute(f"SELECT value FROM counter WHERE name = {mark}", ("changes",))
            seq = cursor.fetchone()[0]
            cursor.execute(f"INSERT INTO change_log (seq, deal_id) VALUES ({mark}, {mark})", (seq, deal_id))
            cursor.execute("COMMIT")
            cursor.execute(f"SELECT stage, deals, budget FROM stage_total WHERE stage IN ({mark}, {mark})", stages)
            cursor.fetchall()
            raw_first_pages(cursor, mark, stages)
            times.append((time.perf_counter() - began) * 1000)
    raw.close()
    return statistics.median(times)


def clock_now_text() -> str:
    from app.domain import clock

    return clock.now().isoformat(sep=" ")


def raw_counts_ms(url: str, user_id: int) -> float:
    """Median ms for plain SQL to count the user's overdue open tasks (one query, the same rows)."""
    raw, mark = raw_connect(url)
    cursor = raw.cursor()
    times = []
    for _ in range(15):
        began = time.perf_counter()
        cursor.execute(f"SELECT COUNT(*) FROM task WHERE done_at IS NULL AND due_at < {mark} AND (assignee_user_id = "
                       f"{mark} OR assignee_group_id IN (SELECT group_id FROM user_group WHERE user_id = {mark}))",
                       (clock_now_text(), user_id, user_id))
        cursor.fetchall()
        times.append((time.perf_counter() - began) * 1000)
    raw.close()
    return statistics.median(times)


WORDS = ["иванова", "ярус", "8 (912) 345-67-89", "замок с", "мия", "срочно", "орлова анна", ""]
PHONE_FRAGMENTS = ["6789", "67-89", "345-67-89", "912 34"]
TYPED = ["иванова", "замок с", "орлова анна"]  # typed letter by letter, each text searched at every letter


def measure(url: str, settings_path: Path, deals_count: int, only: str | None = None) -> dict:
    from playhouse.test_utils import count_queries
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    from app.domain import pipeline
    from app.store.connection import open_database
    from app.store.db import database
    from app.store.models import User
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
    raw_s = min(raw_fetch(url, list(pipeline.STAGE_CODES)) for _ in range(3))

    backend = database.obj.__class__.__name__
    figures = {
        "deals": deals_count,
        "backend": "postgresql" if "Postgres" in backend else "sqlite",
        "open_s": round(open_s, 3),
        "peak_mb": None,
    }
    search = dict.fromkeys(SEARCH_KEYS) if only == "moves" else measure_search(url, board, app)
    rest = dict.fromkeys(REST_KEYS) if only == "search" else measure_rest(url, board, app, only == "moves")
    database.close()
    figures.update(search, **rest)
    figures.update(raw_fetch_s=round(raw_s, 4), ratio_open_to_raw=round(open_s / raw_s, 1),
                   paint_queries=paint_queries,
                   peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                   load_average=round(os.getloadavg()[0], 1))
    figures["targets"] = {"open_s": TARGETS["open_s"].get(deals_count), "peak_mb": TARGETS["peak_mb"],
                          "filter_ms": TARGETS["filter_ms"], "move_ms_median": TARGETS["move_ms_median"],
                          "totals_ms": TARGETS["totals_ms"], "reminder_counts_ms": TARGETS["reminder_counts_ms"]}
    return figures


def measure_search(url: str, board, app) -> dict:
    """The search figures (``SEARCH_KEYS``) on the open ``board``."""
    from app.queries.board import BoardFilter

    first_times, first_cpu = [], []

    def typed(words: list[str]) -> tuple[list[float], list[float]]:
        times, cpu = [], []
        for word in words:
            for repeat in range(3):
                began, cpu_began = time.perf_counter(), time.process_time()
                board.set_filter(BoardFilter(text=word))
                app.processEvents()
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - cpu_began) * 1000)
                if repeat == 0 and words is WORDS:
                    first_times.append(times[-1])
                    first_cpu.append(cpu[-1])
        board.set_filter(BoardFilter())
        return times, cpu

    (filter_times, filter_cpu), (phone_times, _) = typed(WORDS), typed(PHONE_FRAGMENTS)
    letter_times, letter_cpu = [], []
    for text in TYPED:
        for end in range(1, len(text) + 1):
            began, cpu_began = time.perf_counter(), time.process_time()
            board.set_filter(BoardFilter(text=text[:end]))
            app.processEvents()
            letter_times.append((time.perf_counter() - began) * 1000)
            letter_cpu.append((time.process_time() - cpu_began) * 1000)
        board.set_filter(BoardFilter())
    raw_filter = raw_filter_ms(url, ["иванова", "ярус", "79123456789", "мия", "срочно", "6789"])
    return {
        "filter_ms": round(statistics.median(filter_times), 1),
        "filter_ms_max": round(max(filter_times), 1),
        "filter_cpu_ms": round(statistics.median(filter_cpu), 1),
        "filter_first_ms": round(statistics.median(first_times), 1),
        "filter_first_cpu_ms": round(statistics.median(first_cpu), 1),
        "filter_phone_ms": round(statistics.median(phone_times), 1),
        "filter_typing_ms": round(statistics.median(letter_times), 1),
        "filter_typing_max_ms": round(max(letter_times), 1),
        "filter_typing_cpu_ms": round(statistics.median(letter_cpu), 1),
        "raw_filter_ms": round(raw_filter, 1),
        "ratio_filter_to_raw": round(statistics.median(filter_times) / raw_filter, 1),
    }


SEARCH_KEYS = ("filter_ms", "filter_ms_max", "filter_cpu_ms", "filter_first_ms", "filter_first_cpu_ms",
               "filter_phone_ms", "filter_typing_ms", "filter_typing_max_ms", "filter_typing_cpu_ms", "raw_filter_ms",
               "ratio_filter_to_raw")


REST_KEYS = ("totals_ms", "totals_scan_ms", "reminder_counts_ms", "raw_reminder_counts_ms", "ratio_counts_to_raw",
             "move_ms_median", "raw_move_ms", "ratio_move_to_raw", "move_cpu_ms_median", "move_painted_ms_median")


def measure_rest(url: str, board, app, moves_only: bool = False) -> dict:
    """The figures besides the search (``REST_KEYS``): totals, reminder counts, moves (these alone:
    ``moves_only``, the others null)."""
    from app.domain import pipeline
    from app.domain.reminder_rules import ReminderSettings
    from app.queries import board as board_queries
    from app.services import reminders
    from app.store.models import Deal, User
    from tests.bench.bench_reminders import median_ms

    figures = dict.fromkeys(REST_KEYS)
    if not moves_only:
        every_stage = tuple(pipeline.STAGE_CODES)
        totals_ms = median_ms(lambda: board_queries.totals(every_stage), 15)
        manager = User.select().where(User.login == "m0").get()
        counts_ms = median_ms(lambda: reminders.counts(manager, ReminderSettings()), 15)
        raw_counts = raw_counts_ms(url, manager.id)
        figures.update({
            "totals_ms": round(totals_ms, 2),
            "totals_scan_ms": round(raw_totals_ms(url), 2),
            "reminder_counts_ms": round(counts_ms, 2),
            "raw_reminder_counts_ms": round(raw_counts, 2),
            "ratio_counts_to_raw": round(counts_ms / raw_counts, 1),
        })

    ids = [d.id for d in Deal.select(Deal.id).where(Deal.stage == "first_contact").limit(15)]
    move_times, painted_times, move_cpu = [], [], []
    for deal_id in ids:
        for stage in ("design_agreement", "first_contact"):
            began, cpu_began = time.perf_counter(), time.process_time()
            board.move_deals([deal_id], stage)  # service + announce + refresh of both columns
            moved = time.perf_counter()
            move_cpu.append((time.process_time() - cpu_began) * 1000)
            app.processEvents()  # Qt paints the two columns
            move_times.append((moved - began) * 1000)
            painted_times.append((time.perf_counter() - began) * 1000)
    raw_move = raw_move_ms(url, ids[:10], ("design_agreement", "first_contact"))
    return figures | {
        "move_ms_median": round(statistics.median(move_times), 2),
        "raw_move_ms": round(raw_move, 2),
        "ratio_move_to_raw": round(statistics.median(move_times) / raw_move, 1),
        "move_cpu_ms_median": round(statistics.median(move_cpu), 2),
        "move_painted_ms_median": round(statistics.median(painted_times), 2),
    }


def _generated(url: str, count: int) -> bool:
    """Whether ``url`` already holds a generated shop of ``count`` deals (a kept database)."""
    try:
        raw, _ = raw_connect(url)
    except Exception:  # noqa: BLE001 - no database yet
        return False
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT COUNT(*) FROM deal")
        return cursor.fetchone()[0] == count
    except Exception:  # noqa: BLE001 - no schema yet
        return False
    finally:
        raw.close()


def _wipe_postgres(url: str) -> None:
    raw, _ = raw_connect(url)
    raw.autocommit = True
    raw.cursor().execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    raw.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated database in DIR")
    parser.add_argument("--db", metavar="URL", help="a scratch PostgreSQL database to generate into (wiped)")
    parser.add_argument("--only", choices=["search", "moves"],
                        help="measure the search or the moves alone (other figures null)")
    parser.add_argument("--generate-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.deals)
        return 0
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-board-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = args.db or f"sqlite:///{folder / f'board-{args.deals}.sqlite3'}"
    if not _generated(url, args.deals):
        if args.db:
            _wipe_postgres(url)
        began = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--deals", str(args.deals), "--generate-only", url],
                       check=True)
        print(f"generated {args.deals} deals in {time.perf_counter() - began:.1f} s: {url}", file=sys.stderr)
    figures = measure(url, folder / f"board-{args.deals}.ini", args.deals, args.only)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
