"""The demo shop has content in every column, and the seed's test deal as the source shows it."""
from __future__ import annotations

import pytest

from app.domain import pipeline
from app.store.models import Deal, Passport, StageHistory


def test_every_column_has_deals_and_order_15_is_the_test_deal(demo_db):
    stages = {d.stage for d in Deal.select(Deal.stage)}
    assert stages == set(pipeline.STAGE_CODES)
    deal = Deal.get(Deal.order_no == 15)
    assert (deal.name, deal.budget, deal.contact.full_name) == ("Тест Тестович CRM", 3_200_000,
                                                                 "Тестов Тест Тестович")
    channels = sorted(c.value for c in deal.contact.channels)
    assert channels == ["+78008008000", "test@test.ru"]
    passport = Passport.get(Passport.contact == deal.contact)
    assert passport.series + passport.number == "3681543578"
    for each in Deal.select():
        last = StageHistory.select().where(StageHistory.deal == each).order_by(StageHistory.id.desc()).get()
        assert last.to_stage == each.stage


def test_each_test_gets_an_identical_copy_of_the_session_demo(demo_db, demo_shop):
    """Built once, copied for each test (into PostgreSQL by migrate-to's copy): every row the same
    (a stay's length in days as each backend computes it from the same two times: SQLite's
    julianday difference, to the millisecond, PostgreSQL's exact quotient — within 10 ms)."""
    from app.store.db import make_database
    from app.store.models import ALL_MODELS, DaysField

    def rows(model):
        return list(model.select().order_by(model._meta.primary_key).tuples())

    def split(tables):
        """The tables without their day lengths, and the day lengths (as floats) apart."""
        exact, lengths = {}, {}
        for model in ALL_MODELS:
            days = {i for i, f in enumerate(model._meta.sorted_fields) if isinstance(f, DaysField)}
            exact[model.__name__] = [tuple(v for i, v in enumerate(row) if i not in days)
                                     for row in tables[model.__name__]]
            lengths[model.__name__] = [None if row[i] is None else float(row[i])
                                       for row in tables[model.__name__] for i in sorted(days)]
        return exact, lengths

    source = make_database(demo_shop.url)
    with source.bind_ctx(ALL_MODELS):
        built = {model.__name__: rows(model) for model in ALL_MODELS}
    source.close()
    (copied, copied_days), (original, original_days) = split({m.__name__: rows(m) for m in ALL_MODELS}), split(built)
    assert copied == original
    for name, lengths in original_days.items():
        assert [pytest.approx(v, abs=1e-7) if v is not None else None for v in lengths] == copied_days[name]
    assert {name: len(table) for name, table in built.items()} == demo_shop.counts
