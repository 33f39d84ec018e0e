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

from app.domain import clock
from app.domain.board_text import OpenTask
from app.domain.validation import phone_search_digits
from app.services.tasks import day_start_utc
from app.store.db import is_postgres
from app.store.models import Contact, Deal, MailLetter, Task, User

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


def _contains(text: str) -> pw.Expression:
    """``Deal.search_text`` contains ``text`` (both lower-case): a plain substring test, faster
    than LIKE, which would fold case again and treats % and _ as wildcards."""
    position = pw.fn.STRPOS(Deal.search_text, text) if is_postgres() else pw.fn.INSTR(Deal.search_text, text)
    return position > 0


def term_condition(term: str) -> pw.Expression:
    """A short number is an order number (or a word starting with it, e.g. «2» in «Стул 2 шт»),
    so that «15» does not find every phone with a 1 and a 5 in it; anything else is a substring."""
    if term.isdigit() and len(term) < 5:
        return (Deal.order_no == int(term)) | _contains(" " + term)
    return _contains(term)


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


def _scanning(query: pw.Select, flt: BoardFilter) -> pw.Select:
    """A text search has to read every deal: on SQLite, read the table straight through instead
    of through a stage index (random row lookups made it four times slower at 100,000 deals)."""
    if search_terms(flt.text) and not is_postgres():
        return query.from_(pw.NodeList((Deal, pw.SQL("NOT INDEXED"))))
    return query


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
    query = _where(_scanning(Deal.select(Deal.stage, pw.fn.COUNT(Deal.id), pw.fn.SUM(Deal.budget)), flt),
                   stages, flt)
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
    return _page_of(rows, limit)


def _page_of(rows: list[tuple[int, datetime]], limit: int) -> tuple[list[int], Cursor | None]:
    cursor = Cursor(rows[-1][1], rows[-1][0]) if len(rows) == limit else None
    return [deal_id for deal_id, _ in rows], cursor


def first_pages(columns: list[tuple[str, ...]], flt: BoardFilter = BoardFilter(),
                limit: int = PAGE_SIZE) -> list[tuple[list[int], Cursor | None]]:
    """``page`` of every column at once. Unfiltered, each column walks its index (one cheap
    query per column); filtered, the whole board is one query ranking the matches per stage
    (the filter has to look at every deal anyway)."""
    if flt.is_empty:
        return [page(stages, flt, None, limit) for stages in columns]
    place = pw.fn.ROW_NUMBER().over(partition_by=[Deal.stage],
                                    order_by=[Deal.updated_at.desc(), Deal.id.desc()])
    every_stage = tuple(code for stages in columns for code in stages)
    ranked = _where(_scanning(Deal.select(Deal.id, Deal.stage, Deal.updated_at, place.alias("place")), flt),
                    every_stage, flt).alias("ranked")
    query = (Deal.select(ranked.c.id, ranked.c.stage, ranked.c.updated_at).from_(ranked)
             .where(ranked.c.place <= limit))
    by_stage: dict[str, list[tuple[int, datetime]]] = {}
    for deal_id, stage, updated_at in query.tuples():
        by_stage.setdefault(stage, []).append((deal_id, Deal.updated_at.python_value(updated_at)))
    pages = []
    for stages in columns:
        rows = sorted((row for code in stages for row in by_stage.get(code, ())),
                      key=lambda row: (row[1], row[0]), reverse=True)[:limit]
        pages.append(_page_of(rows, limit))
    return pages


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
    imported_from: str = ""  # the mailbox whose letter made the deal («импорт krovatispb@gmail.com»)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _in(field: pw.Field, ids: list[int]) -> pw.Expression:
    """``field IN (1, 2, …)`` with the ids written into the SQL (they are ints: building a
    parameter node per id made a board refresh spend its time in SQL generation)."""
    return pw.Expression(field, pw.OP.IN, pw.SQL("(%s)" % ",".join(str(int(i)) for i in ids)))


def cards(ids: list[int]) -> dict[int, CardData]:
    """Card data of ``ids`` (deals that no longer exist are left out): two queries per 500 ids."""
    found: dict[int, CardData] = {}
    for chunk in _chunks(list(ids)):
        query = (Deal.select(Deal.id, Deal.order_no, Deal.name, Contact.full_name, Deal.budget, Deal.stage,
                             Deal.created_at, Deal.stage_entered_at, Deal.version, MailLetter.mailbox)
                 .join(Contact, pw.JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id))
                 .switch(Deal)  # a deal is made by one letter at most
                 .join(MailLetter, pw.JOIN.LEFT_OUTER, on=(MailLetter.deal == Deal.id)
                       & (MailLetter.status == MailLetter.LEAD_CREATED))
                 .where(_in(Deal.id, chunk)))
        for row in query.tuples():
            found[row[0]] = CardData(row[0], row[1], row[2], row[3] or "", row[4], row[5], row[6], row[7],
                                     row[8], imported_from=row[9] or "")
        open_tasks = (Task.select(Task.deal, Task.due_at, Task.all_day)
                      .where(_in(Task.deal, chunk), Task.done_at.is_null()).tuples())
        for deal_id, due_at, all_day in open_tasks:
            if deal_id in found:
                found[deal_id].tasks.append(OpenTask(due_at, bool(all_day)))
    return found


def responsible_choices() -> list[tuple[int, str]]:
    """(id, name) of the active users, for the «Ответственный» filter."""
    return list(User.select(User.id, User.full_name).where(User.active).order_by(User.full_name).tuples())
