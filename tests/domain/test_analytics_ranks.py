"""The time in stage without a filter reads its percentiles' rows by rank (``_stay_percentiles``):
the same numbers as ranking every stay of the period (``_percentiles`` over ``_stays``), whatever the
group sizes (1, 2, even, odd), ties, stays without a start, and stays outside the period; and the
funnel's shortcut through ``next_stage`` gives what looking every deal's moves up gives."""
from __future__ import annotations

from datetime import timedelta

from app.queries import analytics
from app.store.models import Deal, StageHistory
from tests.domain.analytics_helpers import JUNE, history_deal, june, local


def _ranked(flt) -> dict:
    q = analytics._Sql(flt)
    stays, params = analytics._stays(q)
    return analytics._percentiles(q, f"SELECT s.stage AS grp, s.v FROM ({stays}) s", params)


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


def test_the_funnel_through_next_stages_is_the_funnel_of_the_deals_moves(db):
    history_deal(1, [("new", june(1)), ("first_contact", june(2)), ("invoice", june(3))])  # on and on
    history_deal(2, [("new", june(1)), ("first_contact", june(2)), ("new", june(3)),  # back, then past it
                     ("invoice", june(4))])
    history_deal(3, [("new", june(1)), ("first_contact", june(2)), ("lost", june(3))])  # lost: not on
    history_deal(4, [("first_contact", june(2)), ("new", june(3))])  # back only
    history_deal(5, [("first_contact", june(29)), ("invoice", local(7, 3))])  # went on after the period
    rows = {row.stage: (row.entered, row.moved_on) for row in analytics.funnel(JUNE)}
    assert rows["new"] == (4, 3) and rows["first_contact"] == (5, 3)
