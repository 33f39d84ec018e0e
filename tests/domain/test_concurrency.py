"""Two processes move and edit the same 200 deals at once: nothing lost, nothing applied twice;
a process killed in the middle of its moves leaves a consistent database."""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from itertools import pairwise

from app.domain.codes import Role
from app.services import deals, people
from app.store.connection import open_database
from app.store.db import close_database, database
from app.store.integrity import check_sqlite_file
from app.store.models import Deal, StageHistory
from tests import concurrency_workers as workers
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES

DEALS = 200
COMPLETE = {**INVOICE_VALUES, **PAID_VALUES}  # every gate's fields: the workers may move them anywhere


def _make_deals(staff) -> list[int]:
    with database.atomic():
        return [deals.create_deal(staff["manager"], name=f"Сделка {n}", values=COMPLETE).deal.id
                for n in range(DEALS)]


def _histories() -> dict[int, list[StageHistory]]:
    found: dict[int, list] = {}
    for row in StageHistory.select().order_by(StageHistory.id):
        found.setdefault(row.deal_id, []).append(row)
    return found


def _assert_history_matches_stage(deal: Deal, rows: list[StageHistory]) -> None:
    assert rows[0].from_stage is None
    for before, after in pairwise(rows):
        assert after.from_stage == before.to_stage, f"deal {deal.id}: history chain broken"
    assert rows[-1].to_stage == deal.stage


def test_two_processes_on_same_deals_lose_nothing(db, db_url, staff):
    ids = _make_deals(staff)
    close_database()
    ctx = multiprocessing.get_context("spawn")
    together, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=workers.move_and_edit, args=(db_url, name, ids, together, results))
             for name in ("A", "B")]
    for proc in procs:
        proc.start()
    reports = {report["name"]: report for report in (results.get(timeout=60) for _ in procs)}
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    open_database(db_url)
    moves = Counter(reports["A"]["moves"]) + Counter(reports["B"]["moves"])
    histories = _histories()
    all_deals = list(Deal.select().order_by(Deal.id))
    for deal in all_deals:
        rows = histories[deal.id]
        _assert_history_matches_stage(deal, rows)
        assert len(rows) == 1 + moves[deal.id], f"deal {deal.id}: a move was lost or applied twice"
    for name, report in reports.items():
        field = workers.EDITED_FIELD[name]
        for deal_id, value in report["edits"].items():
            assert getattr(Deal.get_by_id(int(deal_id)), field) == value, f"{name}'s edit was lost"
    created = set(reports["A"]["created"]) | set(reports["B"]["created"])
    assert created <= {deal.id for deal in all_deals}
    assert [deal.order_no for deal in all_deals] == list(range(1, len(all_deals) + 1))
    # the run really was concurrent: both worked at the same time
    assert all(report["moves"] for report in reports.values()), reports
    assert max(r["began"] for r in reports.values()) < min(r["ended"] for r in reports.values())


def test_killed_in_the_middle_of_moves_leaves_consistent_database(tmp_path, fake_clock):
    path = tmp_path / "crm.sqlite3"
    open_database(f"sqlite:///{path}")
    people.create_user("chief", "Начальник производства Михаил", Role.PRODUCTION_CHIEF)
    with database.atomic():
        ids = [deals.create_deal(None, name=f"Заказ {n}", values=COMPLETE).deal.id for n in range(50)]
    close_database()
    ctx = multiprocessing.get_context("spawn")
    halfway, done = ctx.Event(), ctx.Value("i", 0)
    proc = ctx.Process(target=workers.move_until_killed, args=(f"sqlite:///{path}", ids, halfway, done))
    proc.start()
    try:
        assert halfway.wait(60), "the worker did not get going"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(10)
    assert proc.exitcode == -signal.SIGKILL

    assert check_sqlite_file(path).ok
    open_database(f"sqlite:///{path}")
    try:
        histories = _histories()
        for deal in Deal.select():
            _assert_history_matches_stage(deal, histories[deal.id])
        moved = StageHistory.select().where(StageHistory.from_stage.is_null(False)).count()
        assert moved >= 150
    finally:
        close_database()
