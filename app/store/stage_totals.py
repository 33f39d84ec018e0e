"""Per-stage counters of the board's column headers: the number of deals and their budget.

``stage_total`` holds one row per stage, kept in step by triggers on ``deal`` (insert, delete, a
change of stage or budget), so every write, by the services or by a bulk import, changes the
counters in its own transaction. Reading the unfiltered totals is then a handful of rows instead
of a pass over every deal (35 ms at 100,000 deals through the (stage, budget) index).
"""
from __future__ import annotations

import peewee

TABLE = "stage_total"

_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS stage_total_insert AFTER INSERT ON deal BEGIN
      INSERT INTO {TABLE}(stage, deals, budget) VALUES (new.stage, 1, new.budget)
        ON CONFLICT(stage) DO UPDATE SET deals = deals + 1, budget = budget + excluded.budget;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS stage_total_delete AFTER DELETE ON deal BEGIN
      UPDATE {TABLE} SET deals = deals - 1, budget = budget - old.budget WHERE stage = old.stage;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS stage_total_update AFTER UPDATE OF stage, budget ON deal
    WHEN old.stage IS NOT new.stage OR old.budget IS NOT new.budget BEGIN
      UPDATE {TABLE} SET deals = deals - 1, budget = budget - old.budget WHERE stage = old.stage;
      INSERT INTO {TABLE}(stage, deals, budget) VALUES (new.stage, 1, new.budget)
        ON CONFLICT(stage) DO UPDATE SET deals = deals + 1, budget = budget + excluded.budget;
    END""",
)

# Both rows are locked in stage order before either changes, so that two PCs moving deals
# A → B and B → A at once queue instead of deadlocking.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION stage_total_keep() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.stage IS NOT DISTINCT FROM NEW.stage
     AND OLD.budget IS NOT DISTINCT FROM NEW.budget THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {TABLE}(stage, deals, budget) VALUES (NEW.stage, 0, 0) ON CONFLICT (stage) DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM 1 FROM {TABLE} WHERE stage IN (OLD.stage, NEW.stage) ORDER BY stage FOR UPDATE;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE {TABLE} SET deals = deals - 1, budget = budget - OLD.budget WHERE stage = OLD.stage;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE {TABLE} SET deals = deals + 1, budget = budget + NEW.budget WHERE stage = NEW.stage;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def build(db: peewee.Database) -> None:
    """Create the counters and their triggers and count the existing deals (a no-op when they exist)."""
    if db.table_exists(TABLE):
        return
    db.execute_sql(f"CREATE TABLE {TABLE} (stage VARCHAR(255) PRIMARY KEY, deals INTEGER NOT NULL, "
                   f"budget BIGINT NOT NULL)")
    db.execute_sql(f"INSERT INTO {TABLE}(stage, deals, budget) "
                   f"SELECT stage, COUNT(*), COALESCE(SUM(budget), 0) FROM deal GROUP BY stage")
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql(_PG_FUNCTION)
        db.execute_sql("CREATE TRIGGER stage_total_keep AFTER INSERT OR DELETE OR UPDATE OF stage, budget "
                       "ON deal FOR EACH ROW EXECUTE FUNCTION stage_total_keep()")
    else:
        for statement in _SQLITE_TRIGGERS:
            db.execute_sql(statement)


def read(db: peewee.Database, stages: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """(deals, budget) of each of ``stages`` that has a counter row."""
    marks = ", ".join([db.param] * len(stages))
    rows = db.execute_sql(f"SELECT stage, deals, budget FROM {TABLE} WHERE stage IN ({marks})", stages)
    return {stage: (deals, budget) for stage, deals, budget in rows.fetchall()}

