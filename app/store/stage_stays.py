"""Each stay in a stage kept on the move that ends it (``stage_history.from_entered_at`` and
``stage_history.stay_days``), and each move's next one (``stage_history.next_stage``).

A move from stage A at time T ends the deal's stay in A, which began at the deal's move before it
(the previous row in (time, id) order); ``from_entered_at`` is that move's time, so the analytics
read a stay as one row of a period instead of pairing moves at reading time, and ``stay_days`` is
its length in days (``at`` − ``from_entered_at``, as each backend counts it: SQLite's julianday
difference, PostgreSQL's exact numeric), so ranking the stays for their percentiles reads a number
instead of parsing two timestamps per row. ``next_stage`` is the stage of the deal's move after
this one (None for its latest): the funnel reads from it that a deal went on from a stage without
looking its later moves up.

A trigger on ``stage_history`` writes them in the inserting transaction, whoever inserts (the
services' moves and undos, amoCRM's import, the demo's archive, a bulk copy): it fills the new row
(``from_entered_at`` when it leaves a stage and brings no value of its own; ``stay_days`` always,
from the row's two times; ``next_stage`` when a later move was written before it) and the move
before it (whose next stage is the new one), and, should the new move be older than one already
written (another PC's clock behind), makes it the start of that move's stay. ``build`` adds the
trigger and fills the rows written before (migrations 17 and 18).

The same trigger copies into the new move its deal's columns the analytics' filters read
(``app.store.deal_copies``, which keeps them in step when the deal changes; migration 20).
"""
from __future__ import annotations

import peewee

from app.store import deal_copies

TRIGGER = "stage_stay_link"

# the deal's move just before the new row ``new`` (every older row has a smaller id): its time, its id
_PREVIOUS = ('(SELECT MAX(e."at") FROM stage_history e WHERE e.deal_id = new.deal_id AND e."at" <= new."at" '
             'AND e.id < new.id)')
_BEFORE = ('(SELECT b.id FROM stage_history b WHERE b.deal_id = new.deal_id AND b."at" <= new."at" '
           'AND b.id < new.id ORDER BY b."at" DESC, b.id DESC LIMIT 1)')
# the deal's move just after ``new`` in time, when one was written before it: its id, its stage
_FOLLOWING = ('(SELECT f.{column} FROM stage_history f WHERE f.deal_id = new.deal_id AND f."at" > new."at" '
              'ORDER BY f."at", f.id LIMIT 1)')


def days(start: str, end: str, postgres: bool) -> str:
    """Days (fractional) from the timestamp ``start`` to ``end``: the expression the analytics
    always counted a stay with (``app.queries.analytics_sql.Dialect.days``)."""
    if postgres:
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


_SQLITE_TRIGGER = f"""CREATE TRIGGER IF NOT EXISTS {TRIGGER} AFTER INSERT ON stage_history BEGIN
  UPDATE stage_history SET from_entered_at = {_PREVIOUS}
    WHERE id = new.id AND new.from_entered_at IS NULL AND new.from_stage IS NOT NULL;
  UPDATE stage_history SET stay_days = {days('from_entered_at', '"at"', False)},
    next_stage = {_FOLLOWING.format(column="to_stage")},
    ({deal_copies.COPIES}) = {deal_copies.of_deal("new.deal_id")} WHERE id = new.id;
  UPDATE stage_history SET from_entered_at = new."at", stay_days = {days('new."at"', '"at"', False)}
    WHERE id = {_FOLLOWING.format(column="id")};
  UPDATE stage_history SET next_stage = new.to_stage WHERE id = {_BEFORE};
END"""


def _pg(sql: str) -> str:
    return sql.replace("new.", "NEW.")


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
  IF NEW.from_entered_at IS NULL AND NEW.from_stage IS NOT NULL THEN
    NEW.from_entered_at := {_pg(_PREVIOUS)};
  END IF;
  NEW.stay_days := {days('NEW.from_entered_at', 'NEW."at"', True)};
  NEW.next_stage := {_pg(_FOLLOWING.format(column="to_stage"))};
  SELECT {deal_copies.DEALS} INTO {", ".join(f"NEW.{copy}" for copy in deal_copies.COLUMNS)}
    FROM deal d WHERE d.id = NEW.deal_id;
  UPDATE stage_history SET from_entered_at = NEW."at", stay_days = {days('NEW."at"', '"at"', True)}
    WHERE id = {_pg(_FOLLOWING.format(column="id"))};
  UPDATE stage_history SET next_stage = NEW.to_stage WHERE id = {_pg(_BEFORE)};
  RETURN NEW;
END
$$ LANGUAGE plpgsql
"""

# every row's previous move in (time, id) order, as LAG("at") OVER (PARTITION BY deal_id ORDER BY "at", id)
_BACKFILL = ('UPDATE stage_history SET from_entered_at = (SELECT MAX(e."at") FROM stage_history e '
             'WHERE e.deal_id = stage_history.deal_id AND (e."at" < stage_history."at" '
             'OR e."at" = stage_history."at" AND e.id < stage_history.id)) '
             'WHERE from_stage IS NOT NULL AND from_entered_at IS NULL')


def _fill(postgres: bool) -> str:
    """Each row's stay length and next move's stage where missing, in one pass (the next move in
    (time, id) order, as the trigger finds it)."""
    stay = days("stage_history.from_entered_at", 'stage_history."at"', postgres)
    return (f"UPDATE stage_history SET stay_days = {stay}, next_stage = x.following FROM (SELECT s.id, "
            'LEAD(s.to_stage) OVER (PARTITION BY s.deal_id ORDER BY s."at", s.id) AS following '
            "FROM stage_history s) x WHERE x.id = stage_history.id AND (stage_history.stay_days IS NULL "
            "AND stage_history.from_entered_at IS NOT NULL OR stage_history.next_stage IS NULL "
            "AND x.following IS NOT NULL)")


def create_trigger(db: peewee.Database) -> None:
    """Create (or replace) the trigger."""
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(_PG_FUNCTION)
        db.execute_sql(f"DROP TRIGGER IF EXISTS {TRIGGER} ON stage_history")
        db.execute_sql(f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON stage_history "
                       f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()")
    else:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {TRIGGER}")
        db.execute_sql(_SQLITE_TRIGGER)


def build(db: peewee.Database) -> None:
    """Create (or replace) the trigger and fill ``from_entered_at``, ``stay_days`` and
    ``next_stage`` of the moves written before it."""
    db.execute_sql(_BACKFILL)
    db.execute_sql(_fill(isinstance(db, peewee.PostgresqlDatabase)))
    create_trigger(db)
