"""The deal's columns the analytics' filters read (kind, source, responsible, manager), copied onto
each of its moves (``stage_history``) and tasks (``task``) as ``deal_kind``, ``deal_source``,
``deal_responsible`` and ``deal_manager``, so that a filtered report reads those tables' indexes
alone, as an unfiltered one does, instead of looking each row's deal up.

A move's copies are written with the move by the stay trigger (``app.store.stage_stays``), a task's
by a trigger on ``task`` (a new task, or one given another deal); a trigger on ``deal`` rewrites the
copies of the deal's moves and tasks when one of the columns changes, whoever changes it (a card's
edit, a move that sets the responsible, an undo, amoCRM's import). ``build`` adds the triggers and
fills the copies of the rows written before (migration 20).
"""
from __future__ import annotations

import peewee

# the copy's column → the deal's
COLUMNS = {"deal_kind": "kind", "deal_source": "source", "deal_responsible": "responsible_id",
           "deal_manager": "manager_id"}
TABLES = ("stage_history", "task")
COPIES = ", ".join(COLUMNS)
DEALS = ", ".join(f"d.{column}" for column in COLUMNS.values())  # the deal ``d``'s, in the same order


def of_deal(deal_id: str) -> str:
    """A subquery: the deal ``deal_id``'s columns, in the order of ``COPIES`` (no row: NULLs)."""
    return f"(SELECT {DEALS} FROM deal d WHERE d.id = {deal_id})"


DEAL_TRIGGER = "deal_copies_rewrite"
TASK_TRIGGER = "task_deal_copies"
_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in COLUMNS.values())
_SET_NEW = ", ".join(f"{copy} = new.{column}" for copy, column in COLUMNS.items())
_REWRITE = "".join(f"  UPDATE {table} SET {_SET_NEW} WHERE deal_id = new.id;\n" for table in TABLES)
_WATCHED = ", ".join(COLUMNS.values())
_TASK_COPY = f"UPDATE task SET ({COPIES}) = {of_deal('new.deal_id')} WHERE id = new.id"

_SQLITE_TRIGGERS = {
    DEAL_TRIGGER: f"CREATE TRIGGER {DEAL_TRIGGER} AFTER UPDATE OF {_WATCHED} ON deal WHEN {_CHANGED} BEGIN\n"
                  f"{_REWRITE}END",
    TASK_TRIGGER: f"CREATE TRIGGER {TASK_TRIGGER} AFTER INSERT ON task WHEN new.deal_id IS NOT NULL BEGIN\n"
                  f"  {_TASK_COPY};\nEND",
    f"{TASK_TRIGGER}_moved": f"CREATE TRIGGER {TASK_TRIGGER}_moved AFTER UPDATE OF deal_id ON task "
                             f"WHEN old.deal_id IS NOT new.deal_id BEGIN\n  {_TASK_COPY};\nEND"}

_PG_FUNCTIONS = (f"""CREATE OR REPLACE FUNCTION {DEAL_TRIGGER}() RETURNS trigger AS $$
BEGIN
{_REWRITE}  RETURN NULL;
END
$$ LANGUAGE plpgsql""", f"""CREATE OR REPLACE FUNCTION {TASK_TRIGGER}() RETURNS trigger AS $$
BEGIN
  SELECT {DEALS} INTO {', '.join(f'NEW.{copy}' for copy in COLUMNS)} FROM deal d WHERE d.id = NEW.deal_id;
  RETURN NEW;
END
$$ LANGUAGE plpgsql""")
_DISTINCT = _CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
_PG_TRIGGERS = {
    (DEAL_TRIGGER, "deal"): f"AFTER UPDATE OF {_WATCHED} ON deal FOR EACH ROW WHEN ({_DISTINCT}) "
                            f"EXECUTE FUNCTION {DEAL_TRIGGER}()",
    (TASK_TRIGGER, "task"): f"BEFORE INSERT ON task FOR EACH ROW EXECUTE FUNCTION {TASK_TRIGGER}()",
    (f"{TASK_TRIGGER}_moved", "task"): f"BEFORE UPDATE OF deal_id ON task FOR EACH ROW "
                                       f"WHEN (old.deal_id IS DISTINCT FROM new.deal_id) "
                                       f"EXECUTE FUNCTION {TASK_TRIGGER}()"}


def _copy(table: str, postgres: bool) -> str:
    """Every row's copies of its deal's columns, where they differ."""
    distinct = "IS DISTINCT FROM" if postgres else "IS NOT"
    return (f"UPDATE {table} SET " + ", ".join(f"{copy} = d.{column}" for copy, column in COLUMNS.items())
            + f" FROM deal d WHERE d.id = {table}.deal_id AND ("
            + " OR ".join(f"{table}.{copy} {distinct} d.{column}" for copy, column in COLUMNS.items()) + ")")


def build(db: peewee.Database) -> None:
    """Create (or replace) the triggers on ``deal`` and ``task`` and fill the copies of the moves
    and tasks written before them (the stay trigger, which copies them for a new move, is
    ``app.store.stage_stays``')."""
    postgres = isinstance(db, peewee.PostgresqlDatabase)
    for table in TABLES:
        db.execute_sql(_copy(table, postgres))
    if postgres:
        for function in _PG_FUNCTIONS:
            db.execute_sql(function)
        for (trigger, table), body in _PG_TRIGGERS.items():
            db.execute_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            db.execute_sql(f"CREATE TRIGGER {trigger} {body}")
    else:
        for trigger, sql in _SQLITE_TRIGGERS.items():
            db.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
            db.execute_sql(sql)
