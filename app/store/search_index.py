"""The substring index of the board's search over ``deal.search_text``.

SQLite: an FTS5 table with the trigram tokenizer (``deal_search``, contentless), kept in step by
triggers on ``deal`` in the same transaction as any write. PostgreSQL: a ``pg_trgm`` GIN index on
the same text (the database keeps it in step itself). Both index ``' ' || search_text`` so that a
two-character word start (« ив») is a three-character pattern the index can serve; SQLite's ends with
a space too, so that a one-letter word start (« и») is the start of some three-character pattern in
every text that has it, even as its last word (« и », « ив», … found in the index's terms). Where neither
is available (an SQLite built without FTS5/trigram, a server without ``pg_trgm``) the search stays
a plain scan and finds the same deals.
"""
from __future__ import annotations

from dataclasses import dataclass

import peewee

from app.store.tracked_db import CHANGES, COUNTER_TABLE

FTS_TABLE = "deal_search"
PG_INDEX = "deal_search_trgm"
MIN_INDEXED = 3  # trigrams: a pattern shorter than this cannot use the index
TERMS_TABLE = "temp.deal_search_terms"  # the index's terms (trigrams), an fts5vocab table of the connection


def _padded(text: str) -> str:
    """What SQLite's index holds of the search text ``text`` (an SQL expression): it between spaces."""
    return f"' ' || {text} || ' '"


_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS deal_search_insert AFTER INSERT ON deal BEGIN
      INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, {_padded('new.search_text')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS deal_search_delete AFTER DELETE ON deal BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, {_padded('old.search_text')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS deal_search_update AFTER UPDATE OF search_text ON deal
    WHEN old.search_text IS NOT new.search_text BEGIN
      INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, {_padded('old.search_text')});
      INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, {_padded('new.search_text')});
    END""",
)


def _is_postgres(db: peewee.Database) -> bool:
    return isinstance(db, peewee.PostgresqlDatabase)


def build(db: peewee.Database) -> bool:
    """Create the index (and its triggers) and fill it from the existing deals; a no-op when it
    exists. Returns whether the database has the index now."""
    db._deal_search_index = _build_postgres(db) if _is_postgres(db) else _build_sqlite(db)
    return db._deal_search_index


def _build_sqlite(db: peewee.Database) -> bool:
    if db.table_exists(FTS_TABLE):
        return True
    try:
        with db.atomic():
            db.execute_sql(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='', tokenize='trigram')")
    except peewee.OperationalError:  # no FTS5 or no trigram tokenizer (SQLite < 3.34)
        return False
    db.execute_sql(f"INSERT INTO {FTS_TABLE}(rowid, text) SELECT id, {_padded('search_text')} FROM deal")
    for statement in _SQLITE_TRIGGERS:
        db.execute_sql(statement)
    return True


def _build_postgres(db: peewee.Database) -> bool:
    try:
        with db.atomic():  # a savepoint: a failure must not abort the migration's transaction
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except (peewee.ProgrammingError, peewee.OperationalError, peewee.NotSupportedError):
        return False  # not installed on the server, or no right to create it
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON deal USING gin ((' ' || search_text) gin_trgm_ops)")
    return True


ROWS_INDEX = "deal_search_rows"


def rebuild(db: peewee.Database) -> None:
    """SQLite: the index built again as ``build`` makes it now (the text between spaces; it was
    only preceded by one), and the deals' (id, stage, budget, updated_at) in an index of their own,
    what the board reads of each match: a few pages for all deals, where looking up each match's row
    in the deal table visits most of its pages (a common word matches 20,000 deals at 100,000)."""
    if _is_postgres(db):
        return
    if db.table_exists(FTS_TABLE):
        for trigger in ("deal_search_insert", "deal_search_delete", "deal_search_update"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        db.execute_sql(f"DROP TABLE {FTS_TABLE}")
        build(db)
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {ROWS_INDEX} ON deal (id, stage, budget, updated_at)")


def available(db: peewee.Database) -> bool:
    """Whether ``db`` has the search index (remembered on the connection object)."""
    known = getattr(db, "_deal_search_index", None)
    if known is None:
        if _is_postgres(db):
            known = db.execute_sql("SELECT 1 FROM pg_indexes WHERE indexname = %s", (PG_INDEX,)).fetchone() is not None
        else:
            known = db.table_exists(FTS_TABLE)
        db._deal_search_index = known
    return known


def fts_phrase(pattern: str) -> str:
    """``pattern`` as one FTS5 string (a substring for the trigram tokenizer)."""
    return '"' + pattern.replace('"', '""') + '"'


def like_pattern(pattern: str) -> str:
    """``pattern`` as a LIKE pattern matching it anywhere (wildcards in it taken literally)."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def optimize(db: peewee.Database) -> None:
    """Merge the SQLite index's segments into one (after a bulk load; quicker matches)."""
    if not _is_postgres(db) and available(db):
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


MATCH_TABLE = "temp.deal_match"


@dataclass(frozen=True)
class Match:
    """What the index is asked: the deals whose padded search text contains every one of
    ``patterns`` (3+ characters, found through the index) and every one of ``also`` (shorter: on
    PostgreSQL checked on the deals found, on SQLite found through the index's terms too), or whose
    order number is ``order_no``."""

    patterns: tuple[str, ...]
    order_no: int | None = None
    also: tuple[str, ...] = ()

    def narrows(self, other: "Match") -> bool:
        """Whether every deal this finds is one ``other`` finds (a text typed further: «ива» after
        «ив», «ярус д» after «ярус»): each of ``other``'s patterns is inside one of these, and no
        order number of its own."""
        mine = self.patterns + self.also
        return self.order_no is None and all(any(pattern in longer for longer in mine)
                                             for pattern in other.patterns + other.also)

    @property
    def fts_query(self) -> str:
        return " AND ".join(fts_phrase(pattern) for pattern in self.patterns)

    def postgres_condition(self) -> tuple[str, list]:
        """The WHERE condition on ``deal`` (and its parameters) that finds the same deals."""
        tests = ["(' ' || search_text) LIKE %s"] * len(self.patterns) + ["strpos(' ' || search_text, %s) > 0"] * len(
            self.also)
        condition = "(" + " AND ".join(tests) + ")"
        params = [like_pattern(pattern) for pattern in self.patterns] + list(self.also)
        if self.order_no is not None:
            condition += " OR order_no = %s"
            params.append(self.order_no)
        return condition, params


# The match table (SQLite): the ids of the deals of the search typed last, filled once per search in
# a temporary table of the connection (not a change of the shop: written straight on the connection,
# not through the database object, which would advance the change counter every other PC polls). The
# board asks several queries of one search in a row (totals, the pages of the columns), and the
# search field re-applies what is typed: the table is reused while nothing has been written since it
# was filled (this connection's ``total_changes`` and the file's ``data_version``), so its deals are
# the ones the search finds now. Typed further with nothing written in between («ива» after «ив»), a
# search that finds as many deals as the previous one finds the same deals: their totals are kept
# rather than grouped again (a lookup of every match). PostgreSQL keeps no table: the totals and
# first pages of the search typed last are read in one statement and remembered while the shop's
# change counter (advanced by every committed write) stays. Inside a transaction neither is used (a
# rollback would undo what they were read from): the callers ask the index directly then.


def matching_ids(db: peewee.Database, match: Match) -> str:
    """SQLite: a subquery of the ids of the deals ``match`` finds, from the match table."""
    _fill(db, match)
    return f"(SELECT id FROM {MATCH_TABLE})"


def matched_totals(db: peewee.Database, match: Match, stages: tuple[str, ...],
                   page_rows: int = 40) -> list[tuple[str, int, int]]:
    """(stage, deals, budget) of the deals ``match`` finds, per stage of ``stages``. SQLite: grouped
    from the match table's deals (their stages and budgets from the index of these columns), once per
    filling (or kept from the previous one, see the match table above). PostgreSQL:
    read with the first ``page_rows`` of each stage in one statement (see ``matched_pages``)."""
    if _is_postgres(db):
        found = _found_postgres(db, match, stages, page_rows)
        return [(stage, *found[1][stage]) for stage in stages if stage in found[1]]
    key = _fill(db, match)
    remembered = getattr(db, "_deal_match_totals", None)
    if remembered is None or remembered[0] != key:
        rows = _run(db, f"SELECT stage, COUNT(*), COALESCE(SUM(budget), 0) FROM {_matched_rows()} GROUP BY stage")
        remembered = db._deal_match_totals = (key, {stage: (count, int(budget)) for stage, count, budget in rows})
    return [(stage, *remembered[1][stage]) for stage in stages if stage in remembered[1]]


def matched_pages(db: peewee.Database, match: Match, stages: tuple[str, ...], limit: int) -> list[tuple]:
    """PostgreSQL: (id, stage, updated_at) of the newest ``limit`` deals ``match`` finds in each of
    ``stages``: read with the totals (one pass over the matches, remembered while the shop's change
    counter stays), so the board's totals and first pages of a typed text cost one statement."""
    found = _found_postgres(db, match, stages, limit)
    wanted = set(stages)
    places: dict[str, int] = {}
    rows = []
    for row in found[2]:  # newest first within each stage
        if row[1] in wanted and places.get(row[1], 0) < limit:
            places[row[1]] = places.get(row[1], 0) + 1
            rows.append(row)
    return rows


def ranked_matches(db: peewee.Database, match: Match, stages: tuple[str, ...], limit: int) -> list[tuple]:
    """SQLite: (id, stage, updated_at) of the newest ``limit`` deals ``match`` finds in each of
    ``stages``, the match table's deals ranked (their stages and times from the index of these columns)."""
    _fill(db, match)
    marks = ", ".join("?" * len(stages))
    return db.connection().execute(
        f"SELECT id, stage, updated_at FROM (SELECT id, stage, updated_at, ROW_NUMBER() OVER (PARTITION BY stage "
        f"ORDER BY updated_at DESC, id DESC) AS place FROM {_matched_rows()} WHERE stage IN ({marks})) "
        f"WHERE place <= ?",
        (*stages, limit)).fetchall()


def _matched_rows() -> str:
    """SQLite: the match table's deals with their stage, budget and time, from the deals' index of
    these columns (see ``rebuild``; the ids only come from the substring index: reading id, stage,
    budget and time into the table and grouping it cost more than grouping them straight)."""
    return (f"(SELECT id, stage, budget, updated_at FROM deal INDEXED BY {ROWS_INDEX} "
            f"WHERE id IN (SELECT id FROM {MATCH_TABLE}))")


def _run(db: peewee.Database, sql: str, params=()) -> list[tuple]:
    """Rows of ``sql`` run straight on the connection (see the match table above)."""
    if _is_postgres(db):
        return _on_server(db, lambda cursor: (cursor.execute(sql, params), cursor.fetchall())[1])
    return db.connection().execute(sql, params).fetchall()


def _on_server(db: peewee.Database, action):
    """``action(cursor)`` on a cursor of the PostgreSQL connection, its errors as peewee's (a lost
    server as the program's ``ConnectionLostError``, as through the database object)."""
    drop_broken = getattr(db, "_drop_broken_connection", None)
    if drop_broken is not None:
        drop_broken()

    def run():
        with peewee.__exception_wrapper__:
            with db.connection().cursor() as cursor:
                return action(cursor)

    guard = getattr(db, "_guard", None)
    return run() if guard is None else guard(run)


def _fill(db: peewee.Database, match: Match) -> tuple:
    """SQLite: fill the match table with the id, stage, budget and change time of the deals ``match`` finds,
    unless it holds them already; returns the key it is filled for."""
    connection = db.connection()
    key = (connection, match, connection.execute("PRAGMA data_version").fetchone()[0],
           connection.total_changes)  # the connection too: each thread has its own, and its own counters
    present = connection.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'deal_match'").fetchone()
    if present and getattr(db, "_deal_match_key", None) == key:
        return key
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS deal_match (id INTEGER PRIMARY KEY)")
    connection.execute(f"DELETE FROM {MATCH_TABLE}")
    query = _index_query(connection, match)
    if query is not None:  # else no deal has one of the short patterns
        connection.execute(f"INSERT INTO {MATCH_TABLE}(id) SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                           (query,))
    if match.order_no is not None:
        connection.execute(f"INSERT OR IGNORE INTO {MATCH_TABLE}(id) SELECT id FROM deal WHERE order_no = ?",
                           (match.order_no,))
    count = connection.execute(f"SELECT COUNT(*) FROM {MATCH_TABLE}").fetchone()[0]
    previous, previous_count = getattr(db, "_deal_match_key", None), getattr(db, "_deal_match_count", None)
    db._deal_match_key = filled = (*key[:3], connection.total_changes)
    db._deal_match_count = count
    totals = getattr(db, "_deal_match_totals", None)
    if (present and previous is not None and previous[0] is connection and previous[2:] == key[2:]
            and totals is not None and totals[0] == previous and count == previous_count
            and match.narrows(previous[1])):
        # typed further, nothing written since: the deals found are a part of the previous ones,
        # as many, so the same deals, with the same totals
        db._deal_match_totals = (filled, totals[1])
    return filled


def _index_query(connection, match: Match) -> str | None:
    """SQLite: the index's query for ``match``: its long patterns, and each short one as any of the
    index's terms it starts (the text is indexed between spaces: a text with « и» has « и » or « ив»
    or …; found in the index, quicker than reading each match's text); None when no deal has one."""
    if match.also:
        connection.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TERMS_TABLE} USING fts5vocab(main, {FTS_TABLE}, row)")
    parts = [fts_phrase(pattern) for pattern in match.patterns]
    for start in match.also:
        terms = connection.execute(f"SELECT term FROM {TERMS_TABLE} WHERE term > ? AND term < ?",
                                   (start, start[:-1] + chr(ord(start[-1]) + 1))).fetchall()
        if not terms:
            return None
        parts.append("(" + " OR ".join(fts_phrase(term) for term, in terms) + ")")
    return " AND ".join(parts)


def _found_postgres(db: peewee.Database, match: Match, stages: tuple[str, ...], page_rows: int) -> tuple:
    """PostgreSQL: (key, totals per stage, newest ``page_rows`` (id, stage, updated_at) per stage,
    page_rows, stages) of the deals ``match`` finds in ``stages``, read in one statement (one pass
    over the matches: the per-stage groups and the per-stage ranking of the same rows) unless
    remembered for the key (and as many rows of these stages) already. Nothing is written on the
    server (no temporary table to fill, index and rank: that took longer than the search itself).
    The counter is read before the deals: a write committed in between makes the next look read
    again. The stages are a condition of the statement too: with it the planner takes the trigram
    index for a common word as well (10,000-20,000 matches at 100,000 deals; without it, a scan of
    every deal, two to four times slower)."""
    return _on_server(db, lambda cursor: _found_on(db, cursor, match, stages, page_rows))


def _found_on(db: peewee.Database, cursor, match: Match, stages: tuple[str, ...], page_rows: int) -> tuple:
    cursor.execute(f"SELECT value FROM {COUNTER_TABLE} WHERE name = %s", (CHANGES,))
    row = cursor.fetchone()
    key = (cursor.connection, match, row[0] if row else 0)
    found = getattr(db, "_deal_match_found", None)
    if found is not None and found[0] == key and found[3] >= page_rows and found[4].issuperset(stages):
        return found
    db._deal_match_found = None
    condition, params = match.postgres_condition()
    cursor.execute(f"WITH hit AS MATERIALIZED (SELECT id, stage, budget, updated_at FROM deal "
                   f"WHERE stage = ANY(%s) AND ({condition})) "
                   "SELECT stage, id, updated_at, NULL, NULL FROM (SELECT id, stage, updated_at, ROW_NUMBER() OVER "
                   "(PARTITION BY stage COLLATE \"C\" ORDER BY updated_at DESC, id DESC) AS place FROM hit) AS ranked "
                   "WHERE place <= %s UNION ALL "
                   "SELECT stage, NULL, NULL, COUNT(*), COALESCE(SUM(budget), 0) FROM hit GROUP BY stage",
                   [list(stages), *params, page_rows])
    totals: dict[str, tuple[int, int]] = {}
    pages: list[tuple] = []
    for stage, deal_id, updated_at, count, budget in cursor.fetchall():
        if deal_id is None:
            totals[stage] = (count, int(budget))
        else:
            pages.append((deal_id, stage, updated_at))
    pages.sort(key=lambda row: (row[2], row[0]), reverse=True)  # newest first (within each stage too)
    db._deal_match_found = found = (key, totals, pages, page_rows, frozenset(stages))
    return found
