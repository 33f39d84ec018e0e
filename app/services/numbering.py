"""Sequential numbers (orders, cut sheets) that are unique and never reused.

The counter row is advanced inside the caller's transaction: concurrent writers queue on its lock
(SQLite: the write lock of BEGIN IMMEDIATE; PostgreSQL: the row lock of UPDATE), and a rolled-back
transaction gives its number back, so numbers stay gap-free in creation order.
"""
from __future__ import annotations

from app.store.models import Counter

ORDER_NO = "order_no"
CUT_SHEET_NO = "cut_sheet_no"
OFFCUT_NO = "offcut_no"


def next_number(name: str) -> int:
    """Advance the counter ``name`` and return its new value (call inside a transaction)."""
    if Counter.update(value=Counter.value + 1).where(Counter.name == name).execute() == 0:
        Counter.insert(name=name, value=1).on_conflict(
            conflict_target=[Counter.name], update={Counter.value: Counter.value + 1}).execute()
    return Counter.get_by_id(name).value


def ensure_at_least(name: str, value: int) -> None:
    """Make the next number of ``name`` come after ``value`` (after an import of old orders)."""
    row = Counter.get_or_none(Counter.name == name)
    if row is None:
        Counter.create(name=name, value=value)
    elif row.value < value:
        Counter.update(value=value).where(Counter.name == name).execute()
