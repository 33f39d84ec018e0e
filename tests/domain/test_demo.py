"""The demo shop has content in every column, and the seed's test deal as the source shows it."""
from __future__ import annotations

from app.demo.shop import build_demo
from app.domain import pipeline
from app.store.models import Deal, Passport, StageHistory


def test_every_column_has_deals_and_order_15_is_the_test_deal(db):
    build_demo()
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
