"""Deals in known states for the domain tests."""
from __future__ import annotations

import threading
from datetime import date
from typing import Callable

from app.services import deals
from app.store.db import close_database

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


def run_together(*works: Callable[[], object]) -> list[Exception]:
    """Run each callable in its own thread (own database connection), all released at once;
    returns the errors they raised."""
    start, errors = threading.Barrier(len(works)), []

    def run(work):
        try:
            start.wait(timeout=10)
            work()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            close_database()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
