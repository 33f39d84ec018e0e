"""Benchmark: what the permission check adds to a stage move, and what a sign-in costs.
Run by hand: ``nice python tests/bench/bench_permissions.py [--moves N]``.

Moves N deals one workshop operation on (Распил → Фрезеровка) as the production chief (rights
checked: one settings read) and, as the baseline, the same moves as the system (actor None, no
check); then times argon2 sign-ins (the hash is slow on purpose). Last line: one JSON object.
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

from app.services import auth, deals, people  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.models import Role  # noqa: E402


def _median_move_ms(deal_ids: list[int], actor) -> float:
    times = []
    for deal_id in deal_ids:
        start = time.perf_counter()
        deals.move_deal(deal_id, "milling", actor)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-permissions-"))
    open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    chief = people.create_user("chief", "Михаил", Role.PRODUCTION_CHIEF,
                               password_hash=auth.hash_secret("4711"))
    ids = []
    for n in range(args.moves * 2):
        deal = deals.create_deal(None, name=f"Заказ {n}").deal
        deals.move_deal(deal.id, "sawing", None)
        ids.append(deal.id)
    checked = _median_move_ms(ids[: args.moves], chief)
    unchecked = _median_move_ms(ids[args.moves:], None)
    sign_ins = []
    for _ in range(10):
        start = time.perf_counter()
        auth.sign_in(chief.id, "4711")
        sign_ins.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "moves": args.moves,
        "move_with_check_median_ms": round(checked, 3),
        "move_as_system_median_ms": round(unchecked, 3),
        "check_ratio": round(checked / unchecked, 3),
        "sign_in_median_ms": round(statistics.median(sign_ins), 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
