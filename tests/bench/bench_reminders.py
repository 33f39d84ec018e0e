"""Benchmark: the reminder scheduler's minute and the «Задачи» list on a busy shop database.
Run by hand: ``nice python tests/bench/bench_reminders.py [--tasks N]``.

A SQLite file with N tasks (default 100,000; 90 % done, the open ones spread over a month before and
after now, a third addressed to «Магазины»); measures the per-minute check of one manager (claim with
nothing new + counts), the counts alone (target ≤ 10 ms), the first check that shows everything due,
and loading «Мои задачи»; the baseline is one raw SQL query over the same open tasks. Last line: one
JSON object.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.domain import clock  # noqa: E402
from app.domain.codes import Role
from app.domain.reminder_rules import ReminderSettings  # noqa: E402
from app.services import my_tasks, people, reminders  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.db import database  # noqa: E402
from app.store.models import Task, TaskType  # noqa: E402


def fill(count: int, seed: int = 15) -> dict:
    rng = random.Random(seed)
    staff = {key: people.create_user(key, key.title(), Role.MANAGER) for key in ("tatiana", "olga", "irina")}
    shops = people.group_named("Магазины")
    now = clock.now()
    rows = []
    for n in range(count):
        done = rng.random() < 0.9
        due = now + timedelta(minutes=rng.randint(-30 * 24 * 60, 30 * 24 * 60))
        to_group = rng.random() < 1 / 3
        rows.append({"type": TaskType.CONTACT, "text": f"Задача {n}", "due_at": due, "all_day": rng.random() < 0.2,
                     "assignee_user": None if to_group else rng.choice(list(staff.values())).id,
                     "assignee_group": shops.id if to_group else None, "created_at": now,
                     "done_at": due if done else None})
    with database.atomic():
        for start in range(0, len(rows), 500):
            Task.insert_many(rows[start:start + 500]).execute()
    return staff


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    staff = fill(args.tasks)
    user, settings = staff["tatiana"], ReminderSettings()

    start = time.perf_counter()
    shown = len(reminders.claim_pending(user, settings))
    first_check_ms = (time.perf_counter() - start) * 1000

    def minute():
        reminders.claim_pending(user, settings)
        reminders.counts(user, settings)

    minute_ms = median_ms(minute, 20)
    counts_ms = median_ms(lambda: reminders.counts(user, settings), 20)  # the tray's due/overdue counts
    list_ms = median_ms(lambda: my_tasks.list_tasks(user), 10)
    rows = len(my_tasks.list_tasks(user))
    groups = [group.id for group in people.groups_of(user)]
    raw_sql = ("SELECT id, due_at, all_day FROM task WHERE done_at IS NULL AND due_at <= ? AND "
               f"(assignee_user_id = ? OR assignee_group_id IN ({','.join('?' * len(groups))}))")
    raw_ms = median_ms(lambda: database.execute_sql(
        raw_sql, (clock.now() + timedelta(minutes=15), user.id, *groups)).fetchall(), 20)
    result = {"tasks": args.tasks, "first_check_shown": shown, "first_check_ms": round(first_check_ms, 1),
              "minute_check_ms": round(minute_ms, 2), "counts_ms": round(counts_ms, 2),
              "raw_sql_ms": round(raw_ms, 2),
              "minute_vs_raw": round(minute_ms / raw_ms, 1), "list_rows": rows, "list_ms": round(list_ms, 1)}
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
