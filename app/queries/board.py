"""What the board reads: pages of deal ids per column, column totals, and card data.

Every function runs a fixed number of queries whatever the number of deals: totals are one
GROUP BY over all deals of the columns (under the current filter), a page is one keyset query
on the (stage, updated_at) index, and the cards of a page are two queries (deals with their
contact, then their open tasks).
"""
from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from datetime import datetime

import peewee as pw

from app.domain.board_text import OpenTask
from app.domain.validation import phone_search_digits
from app.services.tasks import overdue_condition
from app.store import search_index, stage_totals
from app.store.db import database, is_postgres
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


_PHONE_CHARS = re.compile(r"[\d\s()+\-.]+")
PHONE_FRAGMENT = 4  # digits: a search of this many or more phone characters is a phone fragment
FULL_PHONE = 10  # digits: a whole number, written as stored (8 912 … → 7912…)


def search_terms(text: str) -> list[str]:
    """What to look for in ``Deal.search_text``: a phone typed in any format becomes its digits
    («8 (912) 345-67-89» → «79123456789»; a fragment of 4+ digits as typed: «67-89» → «6789»);
    other text is matched word by word."""
    text = text.strip()
    if not text:
        return []
    digits = re.sub(r"\D", "", text)
    if _PHONE_CHARS.fullmatch(text) and len(digits) >= PHONE_FRAGMENT:
        whole = phone_search_digits(text) if len(digits) >= FULL_PHONE else None
        return [whole or digits]
    return text.lower().split()


def _padded_text() -> pw.Expression:
    """``' ' || search_text``: what the index holds (every word, the first too, starts after a space)."""
    return pw.Value(" ").concat(Deal.search_text)


def _pattern(term: str) -> str:
    """The substring of ``' ' + search_text`` that makes a deal match ``term``. A number of 1–3
    digits is the start of a word (e.g. «2» in «Стул 2 шт»), so that «15» does not find every phone
    with a 1 and a 5 in it; so is a two-character word («ив» → « ив», which the trigram index
    serves); anything else is a substring anywhere («6789» in a phone)."""
    if len(term) < search_index.MIN_INDEXED or (term.isdigit() and len(term) < PHONE_FRAGMENT):
        return " " + term
    return term


def _scan(patterns: list[str]) -> pw.Expression:
    """Every pattern is in the padded search text: a substring test on each deal (no index)."""
    position = pw.fn.STRPOS if is_postgres() else pw.fn.INSTR
    return functools.reduce(operator.and_, [position(_padded_text(), pattern) > 0 for pattern in patterns])


def _indexed(patterns: list[str], order_no: int | None) -> pw.Expression:
    """PostgreSQL: the deals containing every pattern (each of 3+ characters), or with order
    number ``order_no``, through the trigram index."""
    condition = functools.reduce(operator.and_, [
        pw.Expression(_padded_text(), pw.OP.LIKE, search_index.like_pattern(pattern)) for pattern in patterns])
    return condition if order_no is None else condition | (Deal.order_no == order_no)


def _order_no(terms: list[str]) -> int | None:
    """A lone number of up to 4 digits is also an order number."""
    lone = terms[0] if len(terms) == 1 else ""
    return int(lone) if lone.isascii() and lone.isdigit() and len(lone) <= PHONE_FRAGMENT else None


def _index_match_of(terms: list[str]) -> search_index.Match | None:
    """What the substring index finds for ``terms`` (their long patterns, checked for the short ones
    on the deals found, or the order number), when the database has the index and a pattern is long;
    on SQLite, a short one alone too (a one-letter word, see app.store.search_index)."""
    if not search_index.available(database.obj):
        return None
    patterns = [_pattern(term) for term in terms]
    long = tuple(pattern for pattern in patterns if len(pattern) >= search_index.MIN_INDEXED)
    if not long and is_postgres():
        return None
    short = tuple(pattern for pattern in patterns if len(pattern) < search_index.MIN_INDEXED)
    return search_index.Match(long, _order_no(terms), short)


def _index_match(flt: BoardFilter) -> search_index.Match | None:
    """The index's match when the deals under ``flt`` are exactly its matches (a text alone), and
    the match table may serve it (not inside a transaction, see app.store.search_index)."""
    if flt.text.strip() == "" or flt != BoardFilter(text=flt.text) or database.in_transaction():
        return None
    if is_postgres() and not getattr(database.obj, "track_changes", False):
        return None  # no change counter to tell when the match table is out of date
    return _index_match_of(search_terms(flt.text))


def text_condition(text: str) -> pw.Expression | None:
    """The deals matching every word of ``text``; a lone number of up to 4 digits is also an order
    number. Patterns of 3+ characters go through the substring index where the database has it;
    a one-character word is then checked on the deals they found (alone, it is a scan), except on
    SQLite outside a transaction, where the index's terms find it too (the match table)."""
    terms = search_terms(text)
    if not terms:
        return None
    match = None if is_postgres() else _index_match_of(terms)
    if match is not None and not database.in_transaction():
        return Deal.id.in_(pw.SQL(search_index.matching_ids(database.obj, match)))
    patterns = [_pattern(term) for term in terms]
    order_no = _order_no(terms)
    long = [pattern for pattern in patterns if len(pattern) >= search_index.MIN_INDEXED]
    if not long or not search_index.available(database.obj):
        condition = _scan(patterns)
        return condition if order_no is None else condition | (Deal.order_no == order_no)
    short = [pattern for pattern in patterns if len(pattern) < search_index.MIN_INDEXED]
    if match is not None:  # SQLite inside a transaction: the index asked directly
        condition = Deal.id.in_(pw.SQL(f"(SELECT rowid FROM {search_index.FTS_TABLE} WHERE "
                                       f"{search_index.FTS_TABLE} MATCH ?)", [match.fts_query]))
        condition = condition & _scan(short) if short else condition
        return condition if order_no is None else condition | (Deal.order_no == order_no)
    condition = _indexed(long, order_no)
    return condition & _scan(short) if short else condition


def filter_condition(flt: BoardFilter) -> pw.Expression | None:
    """The WHERE condition on Deal for ``flt`` (None when it filters nothing)."""
    parts = [condition for condition in [text_condition(flt.text)] if condition is not None]
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
    return functools.reduce(operator.and_, parts)


def _scanning(query: pw.Select, flt: BoardFilter) -> pw.Select:
    """On SQLite a text search starts from the matching deals, not from a stage index: the deal
    ids the substring index returns (rowid lookups are still allowed under NOT INDEXED), or, for
    a scan, the table read straight through (random row lookups through a stage index made it
    four times slower at 100,000 deals)."""
    if search_terms(flt.text) and not is_postgres():
        return query.from_(pw.NodeList((Deal, pw.SQL("NOT INDEXED"))))
    return query


def _walking(query: pw.Select) -> pw.Select:
    """On SQLite, walk the column's (stage, updated_at) index newest first, testing each deal
    against the filter (SQLite would rather read every match and sort them)."""
    if is_postgres():
        return query
    return query.from_(pw.NodeList((Deal, pw.SQL("INDEXED BY deal_stage_updated_at"))))


def _where(query: pw.Select, stages: tuple[str, ...], flt: BoardFilter) -> pw.Select:
    query = query.where(Deal.stage == stages[0] if len(stages) == 1 else Deal.stage.in_(stages))
    condition = filter_condition(flt)
    return query if condition is None else query.where(condition)


@dataclass(frozen=True)
class Totals:
    count: int = 0
    budget: int = 0  # kopecks


def totals(stages: tuple[str, ...], flt: BoardFilter = BoardFilter()) -> dict[str, Totals]:
    """Number of deals and budget sum per stage over all deals under ``flt`` (one query): the
    maintained per-stage counters when nothing is filtered."""
    if flt.is_empty:
        counted = stage_totals.read(database.obj, stages)
        return {stage: Totals(*counted.get(stage, (0, 0))) for stage in stages}
    matched = _index_match(flt)
    if matched is not None:  # a text alone: grouped from the match table
        rows = search_index.matched_totals(database.obj, matched, stages, PAGE_SIZE)
        found = {stage: Totals(count, int(budget)) for stage, count, budget in rows}
        return {stage: found.get(stage, Totals()) for stage in stages}
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
    if flt.is_empty:
        return _unfiltered_page(stages, after, limit)
    rows = list(_page_query(stages, flt, after, limit).tuples())
    return _page_of(rows, limit)


def _page_query(stages: tuple[str, ...], flt: BoardFilter, after: Cursor | None, limit: int) -> pw.Select:
    query = _where(_scanning(Deal.select(Deal.id, Deal.updated_at), flt), stages, flt)
    if after is not None:
        query = query.where((Deal.updated_at < after.updated_at)
                            | ((Deal.updated_at == after.updated_at) & (Deal.id < after.deal_id)))
    return query.order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(limit)


_UNFILTERED_SQL: dict[tuple, str] = {}


def _unfiltered_page(stages: tuple[str, ...], after: Cursor | None, limit: int) -> tuple[list[int], Cursor | None]:
    """``page`` without a filter (every refresh after a move): its SQL is written by peewee once
    per stages and database (writing it took longer than running it), its values bound each time."""
    params = [*stages, *(() if after is None else (Deal.updated_at.db_value(after.updated_at),
                                                   Deal.updated_at.db_value(after.updated_at), after.deal_id)), limit]
    key = (stages, after is not None, type(database.obj))
    sql = _UNFILTERED_SQL.get(key)
    if sql is None:
        sql, built = _page_query(stages, BoardFilter(), after, limit).sql()
        if built != params:  # not the shape expected: never cache a wrong statement
            return _page_of([(i, _moment(u)) for i, u in database.execute_sql(sql, built)], limit)
        _UNFILTERED_SQL[key] = sql
    return _page_of([(i, _moment(u)) for i, u in database.execute_sql(sql, params)], limit)


def pages(requests: list[tuple[tuple[str, ...], BoardFilter, int]]) -> list[tuple[list[int], Cursor | None]]:
    """``page`` (from the start) of several columns at once: each request is a column's stages,
    filter and number of rows; one UNION ALL of their page queries per filter (a move refreshes
    two columns, a change on another PC all of them; the board has one filter). One query per
    filter, as SQLite's match table holds the matches of one search at a time."""
    rows: list[list[tuple[int, datetime]]] = [[] for _ in requests]
    for flt in dict.fromkeys(flt for _, flt, _ in requests):
        arms, params = [], []
        for number, (stages, wanted, limit) in enumerate(requests):
            if wanted != flt:
                continue
            sql, values = _unfiltered_sql(stages, limit) if flt.is_empty else _page_query(
                stages, flt, None, limit).sql()
            arms.append(f"SELECT {number} AS arm, id, updated_at FROM ({sql}) AS arm{number}")
            params += values
        for number, deal_id, updated_at in database.execute_sql(" UNION ALL ".join(arms), params):
            rows[number].append((deal_id, _moment(updated_at)))
    return [_page_of(sorted(found, key=lambda row: (row[1], row[0]), reverse=True), limit)
            for found, (_, _, limit) in zip(rows, requests)]


def _unfiltered_sql(stages: tuple[str, ...], limit: int) -> tuple[str, list]:
    """The SQL and parameters of an unfiltered first page (the statement written once)."""
    params = [*stages, limit]
    key = (stages, False, type(database.obj))
    sql = _UNFILTERED_SQL.get(key)
    if sql is None:
        sql, built = _page_query(stages, BoardFilter(), None, limit).sql()
        if built != params:  # not the shape expected: never cache a wrong statement
            return sql, built
        _UNFILTERED_SQL[key] = sql
    return sql, params


def _page_of(rows: list[tuple[int, datetime]], limit: int) -> tuple[list[int], Cursor | None]:
    cursor = Cursor(rows[-1][1], rows[-1][0]) if len(rows) == limit else None
    return [deal_id for deal_id, _ in rows], cursor


WALK_STEP_COST = 1 / 8  # a step along the index (a lookup of the id) against ranking a match (reading its row)


def _walking_is_cheaper(found: dict[str, Totals], limit: int = PAGE_SIZE) -> bool:
    """Whether walking each column's (stage, updated_at) index newest first until ``limit``
    matches (about deals · limit / matches steps per stage) costs less than ranking all the
    matches at once: so for a common word, not for a rare one."""
    matched = {stage: totals.count for stage, totals in found.items() if totals.count}
    sizes = stage_totals.read(database.obj, tuple(matched))
    steps = sum(sizes.get(stage, (count, 0))[0] * min(1.0, limit / count) for stage, count in matched.items())
    return steps * WALK_STEP_COST < sum(matched.values())


def _walked_pages(stages: tuple[str, ...], flt: BoardFilter, limit: int) -> tuple[str, list]:
    """SQL and parameters of the newest ``limit`` matches of each stage, each walked along its
    index: one UNION ALL of the same query per stage, generated once (peewee took longer to write
    22 arms than SQLite to run them)."""
    condition = filter_condition(flt)
    newest = (_walking(Deal.select(Deal.id, Deal.stage, Deal.updated_at))
              .where(Deal.stage == pw.SQL(database.obj.param), *([] if condition is None else [condition]))
              .order_by(Deal.updated_at.desc(), Deal.id.desc()).limit(limit).alias("walk"))
    sql, params = Deal.select(newest.c.id, newest.c.stage, newest.c.updated_at).from_(newest).sql()
    return " UNION ALL ".join([sql] * len(stages)), [value for stage in stages for value in (stage, *params)]


def _ranked_pages(stages: tuple[str, ...], flt: BoardFilter, limit: int) -> pw.Select:
    """The newest ``limit`` matches of each stage, ranking every match (one query)."""
    place = pw.fn.ROW_NUMBER().over(partition_by=[Deal.stage], order_by=[Deal.updated_at.desc(), Deal.id.desc()])
    ranked = _where(_scanning(Deal.select(Deal.id, Deal.stage, Deal.updated_at, place.alias("place")), flt),
                    stages, flt).alias("ranked")
    return Deal.select(ranked.c.id, ranked.c.stage, ranked.c.updated_at).from_(ranked).where(ranked.c.place <= limit)


def first_pages(columns: list[tuple[str, ...]], flt: BoardFilter = BoardFilter(), limit: int = PAGE_SIZE,
                found: dict[str, Totals] | None = None) -> list[tuple[list[int], Cursor | None]]:
    """``page`` of every column at once, in one query: unfiltered, or for a common word, each
    column walks its index until a page (of matches); for a rare word all matches are ranked per
    stage; on PostgreSQL a text alone is read from the match table (app.store.search_index).
    ``found``: the column totals under ``flt``, when the caller has them (they choose the way;
    stages without a match are not read)."""
    every_stage = tuple(code for stages in columns for code in stages)
    if found is not None:
        every_stage = tuple(code for code in every_stage if found[code].count)
    by_stage: dict[str, list[tuple[int, datetime]]] = {}
    if every_stage:
        matched = _index_match(flt) if is_postgres() else None
        if matched is not None:  # a text alone: read along the match table's (stage, updated_at) index
            rows = search_index.matched_pages(database.obj, matched, every_stage, limit)
        elif flt.is_empty or (found is not None
                              and _walking_is_cheaper({code: found[code] for code in every_stage}, limit)):
            rows = database.execute_sql(*_walked_pages(every_stage, flt, limit))
        elif (matched := _index_match(flt)) is not None:  # SQLite, a text alone: ranked in the match table
            rows = search_index.ranked_matches(database.obj, matched, every_stage, limit)
        else:
            rows = database.execute(_ranked_pages(every_stage, flt, limit))
        for deal_id, stage, updated_at in rows:
            by_stage.setdefault(stage, []).append((deal_id, _moment(updated_at)))
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


def _moment(value: datetime | str) -> datetime:
    """A stored moment as a datetime: SQLite returns its ISO text (``fromisoformat`` reads it ten
    times faster than peewee's format-by-format parsing), PostgreSQL a datetime already."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def cards(ids: list[int]) -> dict[int, CardData]:
    """Card data of ``ids`` (deals that no longer exist are left out): one query per 500 ids (the
    deals with their contact and open tasks, a row per open task), its rows read straight from the
    cursor (a board shows 880 cards at once)."""
    found: dict[int, CardData] = {}
    sql, params = _cards_sql(type(database.obj))
    for chunk in _chunks(list(ids)):
        listed = ",".join(str(int(i)) for i in chunk)
        for (deal_id, order_no, name, contact, budget, stage, created, entered, version,
             mailbox, due_at, all_day) in database.execute_sql(sql.replace(_IDS, listed), params):
            card = found.get(deal_id)
            if card is None:
                card = found[deal_id] = CardData(deal_id, order_no, name, contact or "", budget, stage,
                                                 _moment(created), _moment(entered), version,
                                                 imported_from=mailbox or "")
            if due_at is not None:
                card.tasks.append(OpenTask(_moment(due_at), bool(all_day)))
    return found


_IDS = "-1 /* ids */"  # where ``cards`` writes a chunk's ids into its statement


@functools.lru_cache(maxsize=4)
def _cards_sql(backend: type) -> tuple[str, list]:
    """The statement of ``cards`` for the database class ``backend``, written by peewee once
    (writing it took longer than running it for a few cards)."""
    ids = [pw.SQL(_IDS)]
    query = (Deal.select(Deal.id, Deal.order_no, Deal.name, Contact.full_name, Deal.budget, Deal.stage,
                         Deal.created_at, Deal.stage_entered_at, Deal.version, MailLetter.mailbox, Task.due_at,
                         Task.all_day)
             .join(Contact, pw.JOIN.LEFT_OUTER, on=(Deal.contact == Contact.id))
             .switch(Deal)  # a deal is made by one letter at most
             .join(MailLetter, pw.JOIN.LEFT_OUTER, on=(MailLetter.deal == Deal.id)
                   & (MailLetter.status == MailLetter.LEAD_CREATED))
             .switch(Deal)
             .join(Task, pw.JOIN.LEFT_OUTER, on=(Task.deal == Deal.id) & Task.done_at.is_null())
             .where(Deal.id.in_(ids))
             .order_by(Deal.id, Task.due_at, Task.id))
    return query.sql()


def responsible_choices() -> list[tuple[int, str]]:
    """(id, name) of the active users, for the «Ответственный» filter."""
    return list(User.select(User.id, User.full_name).where(User.active).order_by(User.full_name).tuples())
