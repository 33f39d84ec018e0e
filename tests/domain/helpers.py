"""Deals in known states for the domain tests."""
from __future__ import annotations

from datetime import date

from app.services import deals

INVOICE_VALUES = {
    "contact.full_name": "Тестов Тест Тестович",
    "contact.email": "test@test.ru",
    "contact.phone": "8 800 800-80-00",
    "passport.series": "3681",
    "passport.number": "543578",
    "contact.address": "г. Нью-Йорк, ул. Бродвей",
    "budget": "32 000",
}
PAID_VALUES = {
    "payment_date": date(2025, 6, 2),
    "prepayment": "32 000",
    "ship_deadline": date(2025, 7, 14),
    "delivery_type": "До дома",
    "delivery_city": "Нью-Йорк",
}


def new_deal(actor, name="Тест Тестович CRM", **values):
    """A deal just created in «Неразобранное» by ``actor``."""
    return deals.create_deal(actor, name=name, values=values).deal


def complete_deal(actor, **extra):
    """A deal with every field any gate asks for."""
    return new_deal(actor, **{**INVOICE_VALUES, **PAID_VALUES, **extra})


def cutting_deal(actor, name="Тест Ярус", **extra):
    """A complete deal moved along to «Раскрой»."""
    deal = complete_deal(actor, name=name, **extra)
    for stage in ("invoice", "paid", "cutting"):
        deals.move_deal(deal.id, stage, actor)
    return deals.load_deal(deal.id)
