"""The whole report computed at once on several PostgreSQL connections sharing one snapshot: the
same figures as one after another, one moment of the database for all of them, what an open
transaction wrote counted, a figure's error raised and no connection left behind."""
from __future__ import annotations

import threading

import pytest

from app.domain.errors import ValidationError
from app.queries import analytics
from app.store.db import database, is_postgres, make_database
from app.store.models import Deal
from tests.domain.analytics_helpers import JUNE, history_deal, june


def _shop() -> None:
    history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("paid", june(5)), ("shipped", june(9))],
                 budget=10_000, debt=4_000)
    history_deal(2, [("new", june(2)), ("first_contact", june(4)), ("lost", june(6))], source="сайт")
    history_deal(3, [("paid", june(3)), ("production", june(4)), ("shipped", june(12)), ("won", june(14))],
                 kind="individual", budget=20_000, debt=1_000)


def _opened(monkeypatch) -> list:
    """The connections the database opens from now on (each psycopg2/sqlite3 connection object)."""
    opened, connect = [], database.obj._connect

    def recording_connect(*args, **kwargs):
        opened.append(connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(database.obj, "_connect", recording_connect)
    return opened


def _figures(report) -> dict:
    return {name: getattr(report, name) for name in ("funnel", "lost", "stage_times", "over_now", "throughput",
                                                     "lead_time", "money", "people", "sources")}


def test_the_report_is_the_same_computed_at_once_or_one_figure_after_another(staff):
    _shop()
    at_once = analytics.build_report(staff["manager"], JUNE)
    jobs = analytics._figure_jobs(analytics.visible_parts(staff["manager"]), JUNE)
    assert _figures(at_once) == analytics._run(jobs, list(jobs))
    assert at_once.money.debt_total == 500_000 and at_once.lead_time.shipped == 2


def test_a_report_inside_a_transaction_counts_what_it_wrote(staff):
    _shop()
    with database.atomic() as transaction:
        Deal.update(debt=Deal.debt + 100_000).where(Deal.order_no == 1).execute()
        assert analytics.build_report(staff["manager"], JUNE).money.debt_total == 600_000
        transaction.rollback()
    assert analytics.build_report(staff["manager"], JUNE).money.debt_total == 500_000


def test_every_figure_sees_the_moment_the_report_began(staff, db_url, monkeypatch):
    """A change another PC commits while the report is being computed is in none of its figures:
    here it is committed by the first figure (the funnel), before the other connection begins."""
    _shop()
    other, changed = make_database(db_url), threading.Event()
    real_funnel, real_in_snapshot = analytics.funnel, analytics._in_snapshot

    def change_then_funnel(*args):
        with other.atomic():
            other.execute_sql("UPDATE deal SET debt = debt + 100000, ship_deadline = '2025-06-01' "
                              "WHERE order_no = 1")
        changed.set()
        return real_funnel(*args)

    def after_the_change(*args):
        changed.wait(timeout=30)
        return real_in_snapshot(*args)

    monkeypatch.setattr(analytics, "funnel", change_then_funnel)
    monkeypatch.setattr(analytics, "_in_snapshot", after_the_change)
    try:
        report = analytics.build_report(staff["manager"], JUNE)
    finally:
        other.close()
    assert changed.is_set()
    if is_postgres():  # the lead time is computed on the other connection, in the report's snapshot
        assert (report.money.debt_total, report.lead_time.with_deadline, report.lead_time.late) == (500_000, 0, 0)
    monkeypatch.undo()
    after = analytics.build_report(staff["manager"], JUNE)
    assert (after.money.debt_total, after.lead_time.with_deadline, after.lead_time.late) == (600_000, 1, 1)


@pytest.mark.parametrize("failing", ["funnel", "stage_times", "money"])
def test_a_figures_error_is_raised_and_no_connection_is_left_open(staff, monkeypatch, failing):
    _shop()
    opened = _opened(monkeypatch)

    def refuse(*args):
        analytics._refuse("stage", "выберите этап из списка")

    monkeypatch.setattr(analytics, failing, refuse)
    with pytest.raises(ValidationError, match="Аналитика не построена"):
        analytics.build_report(staff["manager"], JUNE)
    assert not database.in_transaction()
    if is_postgres():  # the workers' own connections, closed
        assert opened and all(connection.closed for connection in opened)
    monkeypatch.undo()
    assert analytics.build_report(staff["manager"], JUNE).money.debt_total == 500_000


def test_without_a_second_connection_the_figures_are_computed_on_the_first(staff, monkeypatch):
    _shop()
    expected = _figures(analytics.build_report(staff["manager"], JUNE))
    monkeypatch.setattr(analytics, "_in_snapshot", lambda *args: None)
    assert _figures(analytics.build_report(staff["manager"], JUNE)) == expected
