"""The time in stage reads its percentiles' rows by rank (``_stay_percentiles``): the same numbers as
ranking every stay of the period (``_ranked`` over ``_stays``), whatever the group sizes (1, 2, even,
odd), ties, stays without a start, stays outside the period, and the filters; and the funnel's
shortcut through ``next_stage`` gives what looking every deal's moves up gives."""
from __future__ import annotations

from datetime import timedelta

from app.queries import analytics
from app.queries.analytics import MEDIAN, NEAR, P90, AnalyticsFilter, fetch
from app.store.models import Deal, StageHistory
from tests.domain.analytics_helpers import JUNE, history_deal, june, local


def _ranked(flt) -> dict:
    """{stage: (stays, median, 90th percentile)} of the period's stays of the filtered deals (the
    filter on the deal itself), every one ranked."""
    q = analytics._Sql(flt)
    where, deal_params = q.deals()
    stays = ("SELECT h.from_stage AS stage, h.stay_days AS v FROM stage_history h JOIN deal d ON d.id = h.deal_id "
             f'WHERE h."at" >= {q.p} AND h."at" < {q.p} AND h.from_stage IN {analytics._in(analytics.OPEN_STAGES)}'
             f"{where}")
    params = [analytics.stamp(q.start), analytics.stamp(q.end), *deal_params]
    sizes = {grp: int(n) for grp, n in fetch(f"SELECT x.stage, COUNT(*) FROM ({stays}) x GROUP BY x.stage", params)}
    if not sizes:
        return {}
    n = "CASE x.stage " + " ".join(f"WHEN {q.p} THEN {count}" for count in sizes.values()) + " END"
    rows = fetch(f"SELECT grp, {MEDIAN}, {P90} FROM (SELECT x.stage AS grp, x.v AS v, {n} AS n, "
                 f"ROW_NUMBER() OVER (PARTITION BY x.stage ORDER BY x.v) - 1 AS rk FROM ({stays}) x) r "
                 f"WHERE {NEAR} GROUP BY grp", [*sizes, *params])
    return {grp: (sizes[grp], analytics._rounded(median), analytics._rounded(p90)) for grp, median, p90 in rows}


def test_the_percentiles_read_by_rank_are_those_of_every_stay_ranked(db):
    order = 0
    for stage, lengths in (("new", [1]), ("first_contact", [2, 5]), ("invoice", [1, 1, 1, 4]),
                           ("sawing", [0.5, 7, 3, 3, 9, 2.25, 11]), ("painting", [h / 24 for h in range(1, 23)])):
        for hours_in, length in enumerate(lengths):
            order += 1
            start = june(2, 8) + timedelta(hours=hours_in)
            history_deal(order, [(stage, start), ("won", start + timedelta(days=length))])
    history_deal(90, [("sawing", local(4, 1)), ("painting", local(5, 1))])  # ended before the period
    history_deal(91, [("sawing", june(28)), ("painting", local(7, 9))])  # ended after it
    deal = Deal.create(order_no=92, name="Без начала", stage="milling", stage_entered_at=june(9))
    StageHistory.create(deal=deal, from_stage="sawing", to_stage="milling", at=june(9))  # a stay without a start
    q = analytics._Sql(JUNE)
    by_rank = analytics._stay_percentiles(q, analytics.OPEN_STAGES)
    assert by_rank == _ranked(JUNE)
    assert by_rank["new"] == (1, 1.0, 1.0) and by_rank["first_contact"] == (2, 3.5, 4.7)
    assert by_rank["sawing"][0] == 8  # seven stays and the one without a start
    assert analytics._stay_percentiles(analytics._Sql(analytics.AnalyticsFilter(june(1).date() - timedelta(
        days=400), june(1).date() - timedelta(days=300))), analytics.OPEN_STAGES) == {}


def test_the_filtered_percentiles_read_by_rank_are_those_of_the_filtered_deals_stays_ranked(staff):
    tatiana, olga = staff["manager"], staff["manager2"]
    people = [(tatiana, tatiana), (olga, olga), (tatiana, olga), (olga, tatiana), (None, None)]
    for order in range(1, 41):
        start = june(2, 8) + timedelta(hours=order)
        deal = history_deal(order, [("sawing", start), ("painting", start + timedelta(days=order % 7 + order / 10)),
                                    ("packing", start + timedelta(days=9 + order % 3))],
                            kind="individual" if order % 3 == 0 else "standard",
                            source=("сайт", "", "Авито")[order % 3], responsible=people[order % 5][0])
        Deal.update(manager=people[order % 5][1]).where(Deal.id == deal.id).execute()
    filters = [{"kind": "individual"}, {"kind": "standard"}, {"source": ""}, {"source": "Авито"},
               {"source": "нет такого"}, {"responsible_id": tatiana.id}, {"responsible_id": olga.id},
               {"kind": "standard", "source": "сайт", "responsible_id": tatiana.id}]
    for fields in filters:
        flt = AnalyticsFilter(JUNE.date_from, JUNE.date_to, **fields)
        assert analytics._stay_percentiles(analytics._Sql(flt), analytics.OPEN_STAGES) == _ranked(flt), fields
    # by hand: the individual orders are 3, 6, …, 39, in «Распил» (order % 7 + order / 10) days
    lengths = sorted(order % 7 + order / 10 for order in range(3, 41, 3))
    individual = {row.stage: row for row in analytics.stage_times(AnalyticsFilter(JUNE.date_from, JUNE.date_to,
                                                                                  kind="individual"))}
    assert individual["sawing"].stays == 13
    assert individual["sawing"].median_days == round(lengths[6], 1)
    assert individual["sawing"].p90_days == round(lengths[10] + 0.8 * (lengths[11] - lengths[10]), 1)


def test_the_funnel_through_next_stages_is_the_funnel_of_the_deals_moves(db):
    history_deal(1, [("new", june(1)), ("first_contact", june(2)), ("invoice", june(3))])  # on and on
    history_deal(2, [("new", june(1)), ("first_contact", june(2)), ("new", june(3)),  # back, then past it
                     ("invoice", june(4))])
    history_deal(3, [("new", june(1)), ("first_contact", june(2)), ("lost", june(3))])  # lost: not on
    history_deal(4, [("first_contact", june(2)), ("new", june(3))])  # back only
    history_deal(5, [("first_contact", june(29)), ("invoice", local(7, 3))])  # went on after the period
    rows = {row.stage: (row.entered, row.moved_on) for row in analytics.funnel(JUNE)}
    assert rows["new"] == (4, 3) and rows["first_contact"] == (5, 3)
