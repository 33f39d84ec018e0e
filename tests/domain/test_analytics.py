"""The analytics on hand-built histories with known answers, on SQLite and PostgreSQL: conversions,
medians and 90th percentiles, lateness, money and debts, people, sources, the period's boundaries
in the shop's time, the filters and who may see what."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.domain.errors import PermissionDeniedError, ValidationError
from app.queries import analytics
from app.queries.analytics import AnalyticsFilter
from app.services import people as people_service
from app.store.db import database, is_postgres
from app.store.models import Deal, Task
from tests.domain.analytics_helpers import JUNE, history_deal, june, local


@pytest.fixture
def july_now(db, fake_clock):
    fake_clock.at = datetime(2025, 7, 1, 9, 0)
    return fake_clock


def test_funnel_counts_entered_moved_on_and_lost_per_kind(db):
    history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("order_form", june(5)), ("invoice", june(6))])
    history_deal(2, [("new", june(2)), ("first_contact", june(4)), ("lost", june(6))])
    history_deal(3, [("new", june(3)), ("first_contact", june(3)), ("design_agreement", june(4)),
                     ("design", june(6))], kind="individual")
    history_deal(4, [("new", local(5, 20)), ("first_contact", june(10))])  # entered «new» before June
    rows = {row.stage: row for row in analytics.funnel(JUNE)}
    assert list(rows) == list(analytics.SALES_STAGES)
    assert (rows["new"].entered, rows["new"].moved_on) == (3, 3)
    contact = rows["first_contact"]
    assert (contact.entered, contact.moved_on, contact.conversion) == (4, 2, 0.5)
    assert contact.by_kind == {"standard": (3, 1), "individual": (1, 1)}
    assert (rows["invoice"].entered, rows["invoice"].moved_on, rows["paid"].conversion) == (1, 0, None)
    assert [(row.stage, row.lost, row.by_kind) for row in analytics.lost(JUNE)] == [
        ("first_contact", 1, {"standard": 1})]


def test_moving_back_is_not_moving_on(db):
    history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("new", june(4))])
    rows = {row.stage: row for row in analytics.funnel(JUNE)}
    assert (rows["first_contact"].entered, rows["first_contact"].moved_on) == (1, 0)
    assert (rows["new"].entered, rows["new"].moved_on) == (1, 1)


def test_median_and_90th_percentile_of_the_days_in_a_stage(db):
    for number, days in enumerate([1, 2, 3, 4, 10], start=1):
        history_deal(number, [("sawing", june(1) + timedelta(hours=1)),
                              ("milling", june(1) + timedelta(hours=1, days=days))])
    for number, days in enumerate([1, 2, 3, 4], start=10):  # an even count: between the middle two
        history_deal(number, [("painting", june(2)), ("packing", june(2) + timedelta(days=days))])
    history_deal(20, [("sawing", local(5, 1)), ("milling", local(5, 30))])  # ended before June
    times = {row.stage: row for row in analytics.stage_times(JUNE)}
    sawing = times["sawing"]
    assert (sawing.stays, sawing.median_days, sawing.p90_days) == (5, 3.0, 7.6)
    assert (times["painting"].stays, times["painting"].median_days, times["painting"].p90_days) == (4, 2.5, 3.7)
    assert times["milling"].stays == 0 and times["milling"].median_days is None
    assert [row.order_no for row in analytics.stay_deals(JUNE, "sawing")] == [5, 4, 3, 2, 1]
    if is_postgres():  # the same numbers as PostgreSQL's own percentile_cont
        own = database.execute_sql(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_cont(0.9) WITHIN GROUP "
            "(ORDER BY v) FROM (VALUES (1), (2), (3), (4), (10)) AS t(v)").fetchone()
        assert [round(value, 6) for value in own] == [3.0, 7.6]


def test_orders_now_over_their_stage_time_are_listed_longest_over_first(july_now):
    history_deal(1, [("painting", july_now.at - timedelta(days=6))])  # normal 5 days: 1 over
    history_deal(2, [("sawing", july_now.at - timedelta(days=9))])  # normal 3 days: 6 over
    history_deal(3, [("sawing", july_now.at - timedelta(days=2))])  # within its time
    history_deal(4, [("won", july_now.at - timedelta(days=90))])  # closed: never over
    over = analytics.over_now(JUNE)
    assert [(row.order_no, row.days) for row in over] == [(2, 9.0), (1, 6.0)]
    times = {row.stage: row for row in analytics.stage_times(JUNE)}
    assert (times["sawing"].over_now, times["painting"].over_now, times["sawing"].normal_days) == (1, 1, 3)


def test_lead_time_from_paid_to_shipped_and_the_share_shipped_late(db):
    # shipped on the deadline day at 23:30 in St Petersburg: on time (20:30 UTC)
    history_deal(1, [("paid", june(1, 23, 30)), ("shipped", june(11, 23, 30))], ship_deadline=date(2025, 6, 11))
    # shipped 20 days after payment, 2 days after the deadline
    history_deal(2, [("paid", local(5, 25)), ("cutting", local(5, 26)), ("shipped", june(14))],
                 ship_deadline=date(2025, 6, 12))
    # 30 days, no deadline
    history_deal(3, [("paid", local(5, 20)), ("shipped", june(19))])
    # 00:30 in St Petersburg the day after the deadline is still its evening in UTC: late by 1 day
    history_deal(4, [("paid", local(5, 31, 0, 30)), ("shipped", june(12, 0, 30))], ship_deadline=date(2025, 6, 11))
    lead = analytics.lead_time(JUNE)
    assert (lead.shipped, lead.with_deadline, lead.late, lead.late_share) == (4, 3, 2, 2 / 3)
    assert (lead.median_days, lead.p90_days) == (16.0, 27.0)  # 10, 12, 20, 30 days
    assert [(row.order_no, row.days) for row in analytics.late_deals(JUNE)] == [(2, 2.0), (4, 1.0)]


def test_throughput_per_week(db):
    history_deal(1, [("production", june(2)), ("sawing", june(3)), ("shipped", june(11))])
    history_deal(2, [("production", june(8, 23, 59)), ("shipped", june(9, 0, 1))])  # Sunday / Monday
    weeks = analytics.throughput(JUNE)
    assert weeks[0].week == date(2025, 5, 26) and weeks[-1].week == date(2025, 6, 30)
    by_week = {row.week: (row.entered_production, row.shipped) for row in weeks}
    assert by_week[date(2025, 6, 2)] == (2, 0)
    assert by_week[date(2025, 6, 9)] == (0, 2)
    assert sum(p + s for p, s in by_week.values()) == 4
    start, end = analytics.week_bounds(date(2025, 6, 9))
    assert [row.order_no for row in analytics.entered_deals(JUNE, "shipped", start, end)] == [1, 2]


def test_money_won_per_month_prepayments_average_order_and_debts(db):
    history_deal(1, [("paid", local(5, 10)), ("won", local(5, 31, 23, 0))], budget=50_000)  # May: outside
    history_deal(2, [("paid", june(1)), ("won", june(20))], budget=40_000, prepayment=40_000, debt=0,
                 payment_date=date(2025, 6, 1))
    history_deal(3, [("paid", june(2)), ("won", june(25))], budget=30_001, payment_date=date(2025, 6, 2),
                 prepayment=15_000, debt=15_001)
    history_deal(4, [("paid", june(3)), ("painting", june(10))], budget=70_000, prepayment=20_000, debt=50_000,
                 payment_date=date(2025, 6, 30))
    history_deal(5, [("paid", june(3)), ("lost", june(10))], budget=9_000, prepayment=1_000, debt=8_000,
                 payment_date=date(2025, 7, 1))  # lost: its debt is not outstanding
    money = analytics.money(JUNE)
    assert [(m.month, m.won, m.won_budget, m.paid, m.prepayments) for m in money.months] == [
        ("2025-06", 2, 7_000_100, 3, 7_500_000)]
    assert money.average_order == 3_500_050
    assert [(row.order_no, row.amount) for row in money.debts] == [(4, 5_000_000), (3, 1_500_100)]
    assert (money.debt_deals, money.debt_total) == (2, 6_500_100)


def test_people_done_late_and_overdue_now(staff, july_now):
    tatiana, olga = staff["manager"], staff["manager2"]
    shops = Task.create(text="группа", due_at=june(1), assignee_group=people_service.group_named("Магазины"))
    rows = [
        dict(assignee_user=tatiana, due_at=june(10, 12), done_at=june(10, 11), done_by=tatiana),  # on time
        dict(assignee_user=tatiana, due_at=june(10, 12), done_at=june(10, 13), done_by=tatiana),  # late
        # an all-day task of 10 June done in the evening of 10 June: on time; on 11 June: late
        dict(assignee_user=olga, due_at=june(10, 0), all_day=True, done_at=june(10, 23, 30), done_by=olga),
        dict(assignee_user=olga, due_at=june(10, 0), all_day=True, done_at=june(11, 0, 30), done_by=olga),
        dict(assignee_user=olga, due_at=june(20), done_at=None),  # overdue now
        dict(assignee_user=olga, due_at=july_now.at + timedelta(hours=1), done_at=None),  # not yet due
        dict(assignee_user=olga, due_at=local(5, 1), done_at=local(5, 30), done_by=olga),  # done in May
    ]
    for row in rows:
        Task.create(text="задача", **row)
    people = {row.name: (row.done, row.done_late, row.overdue_now) for row in analytics.people(JUNE)}
    assert people["Татьяна"] == (2, 1, 0)
    assert people["Ольга"] == (2, 1, 1)
    assert people["Магазины (группа)"] == (0, 0, 1) and shops.done_at is None


def test_sources_leads_and_won(db):
    history_deal(1, [("new", june(2)), ("won", june(20))], source="сайт", budget=10_000)
    history_deal(2, [("new", june(3))], source="сайт")
    history_deal(3, [("new", june(4))], source="")
    history_deal(4, [("new", local(5, 4)), ("won", june(20))], source="e-mail")  # created in May
    rows = [(row.name, row.leads, row.won, row.won_budget) for row in analytics.sources(JUNE)]
    assert rows == [("сайт", 2, 1, 1_000_000), ("не указан", 1, 0, 0)]
    assert [row.order_no for row in analytics.source_deals(JUNE, "")] == [3]


def test_the_period_is_whole_shop_local_days(db):
    history_deal(1, [("new", june(1, 0, 0))])  # the first minute of June in St Petersburg (21:00 UTC)
    history_deal(2, [("new", june(30, 23, 59))])
    history_deal(3, [("new", local(5, 31, 23, 59))])
    history_deal(4, [("new", local(7, 1, 0, 0))])
    assert analytics.funnel(JUNE)[0].entered == 2
    assert [row.order_no for row in analytics.entered_deals(JUNE, "new")] == [1, 2]
    one_day = AnalyticsFilter(date(2025, 6, 30), date(2025, 6, 30))
    assert [row.order_no for row in analytics.entered_deals(one_day, "new")] == [2]
    assert [(row.name, row.leads) for row in analytics.sources(JUNE)] == [("не указан", 2)]


def test_a_bar_list_with_a_moment_out_of_range_is_refused_by_name(db):
    history_deal(1, [("new", june(1, 10, 0))])
    for start in (datetime(99, 1, 1), datetime(3000, 1, 1)):  # PostgreSQL rejected year 99 as a raw error
        with pytest.raises(ValidationError) as refused:
            analytics.entered_deals(JUNE, "new", start, datetime(2025, 7, 1))
        assert refused.value.fields == ["analytics.date_from"] and "дата" in str(refused.value)
    assert [row.order_no for row in analytics.entered_deals(JUNE, "new", datetime(2025, 5, 1),
                                                            datetime(2025, 7, 1))] == [1]


def test_filters_narrow_the_deals(staff):
    tatiana = staff["manager"]
    history_deal(1, [("new", june(2))], kind="individual", source="сайт", responsible=tatiana)
    history_deal(2, [("new", june(2))], source="сайт")
    history_deal(3, [("new", june(2))], kind="individual")

    def entered(**filters):
        return analytics.funnel(AnalyticsFilter(JUNE.date_from, JUNE.date_to, **filters))[0].entered

    assert entered() == 3
    assert entered(kind="individual") == 2
    assert entered(source="сайт") == 2 and entered(source="") == 1
    assert entered(responsible_id=tatiana.id) == 1
    assert entered(kind="individual", source="сайт", responsible_id=tatiana.id) == 1


def test_every_figure_of_a_filtered_report_counts_the_filtered_deals_only(staff, july_now):
    """Responsible (or manager), kind, source: each figure of the history, the tasks and the deals."""
    tatiana, olga = staff["manager"], staff["manager2"]
    first = history_deal(1, [("new", june(2)), ("first_contact", june(3)), ("paid", june(4)), ("sawing", june(5)),
                             ("shipped", june(9)), ("won", june(12))], kind="individual", source="сайт",
                         responsible=tatiana, budget=10_000)
    second = history_deal(2, [("new", june(2)), ("first_contact", june(4)), ("lost", june(6))], responsible=olga)
    Deal.update(manager=tatiana).where(Deal.id == second.id).execute()  # olga's, managed by tatiana
    third = history_deal(3, [("new", june(3)), ("sawing", june(6)), ("packing", june(10))], source="сайт",
                         responsible=olga)
    Task.create(deal=first, text="позвонить", due_at=june(3), done_at=june(3), done_by=tatiana)
    Task.create(deal=second, text="позвонить", due_at=june(3), done_at=june(5), done_by=olga)
    Task.create(deal=third, text="позвонить", due_at=june(20), assignee_user=olga)  # overdue now

    def report(**filters):
        flt = AnalyticsFilter(JUNE.date_from, JUNE.date_to, **filters)
        times = {row.stage: (row.stays, row.median_days) for row in analytics.stage_times(flt)}
        return ({row.stage: row.entered for row in analytics.funnel(flt) if row.entered},
                [(row.stage, row.lost) for row in analytics.lost(flt)], times["sawing"],
                sum(row.shipped for row in analytics.throughput(flt)), analytics.money(flt).won,
                {row.name: (row.done, row.overdue_now) for row in analytics.people(flt)},
                {row.name: row.leads for row in analytics.sources(flt)})

    assert report(responsible_id=tatiana.id) == (
        {"new": 2, "first_contact": 2, "paid": 1}, [("first_contact", 1)], (1, 4.0), 1, 1,
        {"Татьяна": (1, 0), "Ольга": (1, 0)}, {"сайт": 1, "не указан": 1})
    assert report(responsible_id=olga.id) == (
        {"new": 2, "first_contact": 1}, [("first_contact", 1)], (1, 4.0), 0, 0, {"Ольга": (1, 1)},
        {"сайт": 1, "не указан": 1})
    assert report(kind="individual") == (
        {"new": 1, "first_contact": 1, "paid": 1}, [], (1, 4.0), 1, 1, {"Татьяна": (1, 0)}, {"сайт": 1})
    assert report(source="сайт") == (
        {"new": 2, "first_contact": 1, "paid": 1}, [], (2, 4.0), 1, 1, {"Татьяна": (1, 0), "Ольга": (0, 1)},
        {"сайт": 2})
    Deal.update(kind="individual").where(Deal.id == third.id).execute()  # the filters follow the deal
    assert report(kind="individual", source="сайт")[2] == (2, 4.0)
    assert report(kind="standard") == ({"new": 1, "first_contact": 1}, [("first_contact", 1)], (0, None), 0, 0,
                                       {"Ольга": (1, 0)}, {"не указан": 1})


def test_who_sees_which_part(staff):
    history_deal(1, [("paid", june(2)), ("sawing", june(3))], budget=10_000, debt=5_000)
    manager = analytics.build_report(staff["manager"], JUNE)
    assert manager.funnel is not None and manager.money.debt_total == 500_000
    assert [row.stage for row in manager.stage_times][0] == "new"
    chief = analytics.build_report(staff["chief"], JUNE)
    assert chief.money is None and chief.funnel is None and chief.people is None
    assert {row.stage for row in chief.stage_times} == set(analytics.WORKSHOP_PART)
    assert chief.lead_time is not None and chief.throughput is not None
    assert analytics.build_report(staff["admin"], JUNE).sections == ["sales", "money", "workshop"]
    with pytest.raises(PermissionDeniedError, match="Аналитика цеха"):
        analytics.build_report(staff["designer"], JUNE)
