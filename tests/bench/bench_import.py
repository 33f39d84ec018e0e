"""Benchmark: the amoCRM import of N leads with their contacts (default 10,000; target ≤ 30 s).
Run by hand: ``nice python tests/bench/bench_import.py [--leads N] [--db URL]``.

Writes a leads CSV (cp1251, «;», notes, tags, a quarter of the people with two deals, a phone written
two ways) and a contacts CSV, times reading + importing them into an empty database, then a second
import of the same files (nothing to change), and as the baseline a plain ``executemany`` of the same
deals and contacts into a bare table pair. Last line: one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.integrations.amocrm_files import read_table  # noqa: E402
from app.services.amocrm_import import ImportOptions, import_tables  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from tests.domain import amocrm_samples as samples  # noqa: E402

STAGES = ("Неразобранное", "Первичный контакт", "Согласование дизайна", "Счет выставлен", "Оплачено",
          "Производство", "Успешно реализовано", "Закрыто и не реализовано")


def _rows(count: int) -> tuple[list[list[str]], list[list[str]]]:
    leads, contacts = [], []
    people = max(count * 3 // 4, 1)
    for n in range(count):
        person = n % people
        phone = f"+7 912 {person // 10000:03d}-{person // 100 % 100:02d}-{person % 100:02d}"
        if n >= people:
            phone = "8" + phone[2:].replace(" ", "").replace("-", "")  # the same person, written otherwise
        leads.append(samples.lead(100000 + n, f"Клиент {person} (Ярус)", f"{30000 + n % 500 * 100} ",
                                  tags="инд, сайт" if n % 3 else "", notes=[f"Звонок {n}", "Перезвонить"][: n % 3],
                                  stage=STAGES[n % len(STAGES)], closed="10.06.2017 18:30:00" if n % 8 >= 6 else "",
                                  contact=f"Клиент {person}", mobile=phone, email=f"client{person}@mail.ru",
                                  city="Санкт-Петербург", source="Сайт", product="Ярус", utm="yandex"))
        if n < people:
            contacts.append(samples.contact_row(500000 + n, f"Клиент {person}", mobile=phone,
                                                email=f"client{person}@mail.ru"))
    return leads, contacts


def _baseline(leads: list[list[str]], contacts: list[list[str]], folder: Path) -> float:
    """The same rows with a plain executemany into two bare tables (no merging, no timeline)."""
    connection = sqlite3.connect(folder / "baseline.sqlite3")
    connection.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, amo_id INTEGER UNIQUE, name TEXT, "
                       "phone TEXT, email TEXT)")
    connection.execute("CREATE TABLE deal (id INTEGER PRIMARY KEY, amo_id INTEGER UNIQUE, name TEXT, "
                       "budget INTEGER, stage TEXT, contact TEXT)")
    start = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO contact (amo_id, name, phone, email) VALUES (?, ?, ?, ?)",
                               [(row[0], row[2], row[13], row[14]) for row in contacts])
        connection.executemany("INSERT INTO deal (amo_id, name, budget, stage, contact) VALUES (?, ?, ?, ?, ?)",
                               [(row[0], row[1], int(row[2]), row[15], row[17]) for row in leads])
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    leads, contacts = _rows(args.leads)
    leads_file = samples.write_csv(folder / "leads.csv", samples.LEADS_HEADER, leads, encoding="cp1251",
                                   delimiter=";")
    contacts_file = samples.write_csv(folder / "contacts.csv", samples.CONTACTS_HEADER, contacts)
    open_database(args.db or f"sqlite:///{folder / 'bench.sqlite3'}")
    start, cpu = time.perf_counter(), time.process_time()
    first = import_tables(read_table(leads_file), read_table(contacts_file), None, ImportOptions())
    import_s, import_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    again = import_tables(read_table(leads_file), read_table(contacts_file), None, ImportOptions())
    again_s = time.perf_counter() - start
    baseline_s = _baseline(leads, contacts, folder)
    print(json.dumps({
        "leads": args.leads, "contacts": len(contacts),
        "import_s": round(import_s, 2), "import_cpu_s": round(import_cpu_s, 2), "reimport_s": round(again_s, 2),
        "baseline_executemany_s": round(baseline_s, 3), "ratio": round(import_s / baseline_s, 1),
        "leads_per_s": round(args.leads / import_s), "target_s": 30, "first": first.summary(),
        "again_created_updated": [again.deals_created, again.deals_updated],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
