"""What the board reads: pages of deal ids per column, column totals, and card data.

Every function runs a fixed number of queries whatever the number of deals: totals are one
GROUP BY over all deals of the columns (under the current filter), a page is one keyset query
on the (stage, updated_at) index, and the cards of a page are two queries (deals with their
contact, then their open tasks).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import peewee as pw

from app import clock
from app.board_text import OpenTask
from app.models import Contact, Deal, Task, User
from app.services.tasks import day_start_utc
from app.validation import phone_search_digits

PAGE_SIZE = 40
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class BoardFilter:
    """The search and filters above the board; the default shows everything."""

    text: str = ""
    responsible_id: int | None = None
    kind: str | None = None
    mine_user_id: int | None = None  # «Мои сделки»: the user is the responsible or the manager
    overdue_only: bool = False

    @property
    def is_empty(self) -> bool:
        return self == BoardFilter()


def search_terms(text: str) -> list[str]:
    """What to look for in ``Deal.search_text``: a phone typed in any format becomes its digits
    («8 (912) 345-67-89» → «79123456789»); other text is matched word by word."""
    text = text.strip()
    if not text:
        return []
    digits = phone_search_digits(text)
    if digits is not None:
        return [digits]
    return text.lower().split()


def overdue_condition(now: datetime | None = None) -> pw.Expression:
    """Open tasks that are overdue now: timed ones past due, all-day ones whose local day is over."""
    now = now or clock.now()
    today_start = day_start_utc(clock.to_local(now).date())
    return Task.done_at.is_null() & (
        ((Task.all_day == False) & (Task.due_at < now))  # noqa: E712
        | ((Task.all_day == True) & (Task.due_at < today_start)))  # noqa: E712


def term_condition(term: str) -> pw.Expression:
    """A short number is an order number (or a word starting with it, e.g. «2» in «Стул 2 шт»),
    so that «15» does not find every phone with a 1 and a 5 in it; anything else is a substring."""
    if term.isdigit() and len(term) < 5:
        return (Deal.order_no == int(term)) | Deal.search_text.contains(" " + term)
    return Deal.search_text.contains(term)


def filter_condition(flt: BoardFilter) -> pw.Expression | None:
    """The WHERE condition on Deal for ``flt`` (None when it filters nothing)."""
    parts = [term_condition(term) for term in search_terms(flt.text)]
    if flt.responsible_id is not None:
        parts.append(Deal.responsible == flt.responsible_id)
    if flt.kind:
        parts.append(Deal.kind == flt.kind)
    if flt.mine_user_id is not None:
        parts.append((Deal.responsible == flt.mine_user_id) | (Deal.manager == flt.mine_user_id))
    if flt.overdue_only:
        parts.append(Deal.id.in_(Task.select(Task.deal).where(overdue_condition())))
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition &= part
    return condition


def _where(query: pw.Select, stages: tuple[str, ...], flt: BoardFilter) -> pw.Select:
    query = query.where(Deal.stage == stages[0] if len(stages) == 1 else Deal.stage.in_(stages))
    condition = filter_condition(flt)
    return query if condition is None else query.where(condition)


@dataclass(frozen=True)
class Totals:
    count: int = 0
    budget: int = 0  # kopecks


def totals(stages: tuple[str, ...], flt: BoardFilter = BoardFilter()) -> dict[str, Totals]:
    """Number of deals and budget sum per stage over all deals under ``flt`` (one query)."""
    query = _where(Deal.select(Deal.stage, pw.fn.COUNT(Deal.id), pw.fn.SUM(Deal.budget)), stages, flt)
    found = {stage: Totals(count, int(budget or 0))
             for stage, count, budget in query.group_by(Deal.stage).tuples()}
    return {stage: found.get(stage, Totals()) for stage in stages}


@dataclass(frozen=True)
class Cursor:
    """Where the next page of a column starts (keyset paging: newest changes first)."""

    updated_at: datetime
    deal_id: int


def page(stages: tuple[str, ...], flt: BoardFilter = BoardFilter(), after: Cursor | None = None,
         limit: int = PAGE_SIZE) -> tuple[list[int], Cursor | None]:
    """The next ``limit`` deal ids of a column, most recently changed first, and the cursor
    after them (None when the column has no more)."""
    query = _where(Deal.select(Deal.id, Deal.updated_at), stages, flt)
    if after is not None:
        query = query.where((Deal.updated_at < after.updated_at)
                            | ((Deal.updated_at == after.updated_at) & (Deal.id < after.deal_id)))
    rows = list(query.order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(limit).tuples())
    cursor = Cursor(rows[-1][1], rows[-1][0]) if len(rows) == limit else None
    return [deal_id for deal_id, _ in rows], cursor


@dataclass
class CardData:
    """Everything a board card shows of one deal."""

    deal_id: int
    order_no: int
    name: str
    contact_name: str
    budget: int
    stage: str
    created_at: datetime
    stage_entered_at: datetime
    version: int
    tasks: list[OpenTask] = field(default_factory=list)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def cards(ids: list[int]) -> dict[int, CardData]:
    """Card data of ``ids`` (deals that no longer exist are left out): two queries per 500 ids."""
    found: dict[int, CardData] = {}
    for chunk in _chunks(list(ids)):
        query = (Deal.select(Deal.id, Deal.order_no, Deal.name, Contact.full_name, Deal.budget, Deal.stage,
                             Deal.created_at, Deal.stage_entered_at, Deal.version)
                 .join(Contact, pw.JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id))
                 .where(Deal.id.in_(chunk)))
        for row in query.tuples():
            found[row[0]] = CardData(row[0], row[1], row[2], row[3] or "", row[4], row[5], row[6], row[7],
                                     row[8])
        open_tasks = (Task.select(Task.deal, Task.due_at, Task.all_day)
                      .where(Task.deal.in_(chunk), Task.done_at.is_null()).tuples())
        for deal_id, due_at, all_day in open_tasks:
            if deal_id in found:
                found[deal_id].tasks.append(OpenTask(due_at, bool(all_day)))
    return found


def responsible_choices() -> list[tuple[int, str]]:
    """(id, name) of the active users, for the «Ответственный» filter."""
    return list(User.select(User.id, User.full_name).where(User.active).order_by(User.full_name).tuples())
