"""The whole life of the seed's test deal «Тест Тестович CRM», order 15, from
«Неразобранное» to «Успешно реализовано», as the shop's guide walks it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.errors import GateError
from app.services import deals, numbering, tasks
from app.store.models import Deal, StageHistory, Task, TimelineEntry

PATH = ["first_contact", "design_agreement", "design", "order_form", "invoice", "paid", "cutting",
        "production", "sawing", "milling", "drilling", "assembly", "rework", "sanding", "priming",
        "painting", "packing", "shipped", "delivered", "won"]


def test_test_deal_from_first_contact_to_won(staff, fake_clock):
    manager, designer, constructor, chief = (staff[k] for k in ("manager", "designer", "constructor", "chief"))
    numbering.ensure_at_least(numbering.ORDER_NO, 14)
    deal = deals.create_deal(manager, name="Тест Тестович CRM", kind="individual", values={
        "contact.full_name": "Тестов Тест Тестович", "contact.phone": "8 800 800-80-00",
        "budget": "32 000"}).deal
    assert deal.order_no == 15

    def step(stage, actor, values=None):
        fake_clock.advance(timedelta(minutes=10))
        return deals.move_deal(deal.id, stage, actor, values)

    for stage in PATH[:3]:
        step(stage, manager)
    # the design loop
    question = tasks.ask_feasibility(deal.id, designer).value
    _, answer = tasks.answer_feasibility(question.id, constructor, True, "такую кровать сделать можем").value
    tasks.complete_task(answer.id, designer, "ок")
    tasks.design_ready(deal.id, designer)
    step("order_form", manager)
    with pytest.raises(GateError) as refused:
        step("invoice", manager)
    assert set(refused.value.fields) == {"contact.email", "passport.series", "passport.number",
                                         "contact.address"}
    step("invoice", manager, {"contact.email": "test@test.ru", "passport.series": "3681",
                              "passport.number": "543578", "contact.address": "г. Нью-Йорк, ул. Бродвей"})
    paid = step("paid", manager, {"payment_date": date(2025, 6, 2), "prepayment": "32000",
                                  "ship_deadline": date(2025, 7, 14), "delivery_type": "До дома",
                                  "delivery_city": "Нью-Йорк"})
    assert paid.sms[0].template == "Оплачено инд"
    assert Deal.get_by_id(deal.id).debt == 0
    step("cutting", manager)
    step("production", constructor)
    for stage in PATH[8:19]:
        step(stage, chief)
    won = step("won", manager)
    assert won.tasks[0].due_at == fake_clock.now() + timedelta(days=7)

    final = Deal.get_by_id(deal.id)
    assert final.stage == "won"
    history = [h.to_stage for h in StageHistory.select().where(StageHistory.deal == deal.id)
               .order_by(StageHistory.id)]
    assert history == ["new"] + PATH
    feed = [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal.id)
            .order_by(TimelineEntry.at, TimelineEntry.id)]
    assert "Новый этап: Оплачено из Счет выставлен" in feed
    assert "Новый этап: Успешно реализовано из Доставлено" in feed
    assert "Контакт создан: Тестов Тест Тестович" in feed
    rules = {t.rule for t in Task.select().where(Task.deal == deal.id)}
    assert {"new.contact", "first_contact.offer", "design.check", "design.contact", "invoice.control",
            "paid.order_form", "cutting.accept", "production.accept", "priming.debt",
            "packing.delivery", "won.feedback"} <= rules
