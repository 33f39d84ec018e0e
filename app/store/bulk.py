"""Many rows into one table fast (an import's batch): multi-row INSERT statements of plain values,
without building peewee's query tree per row. Inside the caller's transaction; the change counter
sees the writes as usual (they go through the database's ``execute_sql``)."""
from __future__ import annotations

from datetime import date, datetime

import peewee

from app.store.db import database

MAX_PARAMS = 900  # below SQLite's oldest limit of 999 variables a statement


def _plain(value, field: peewee.Field, sqlite: bool):
    value = field.db_value(value)
    if sqlite and isinstance(value, (datetime, date)):
        return str(value)  # peewee's own text form; sqlite3's default adapters are deprecated
    return value


def insert_rows(model: type[peewee.Model], rows: list[dict]) -> None:
    """Insert ``rows`` (dicts keyed by field name, all with the same keys) into ``model``'s table; the
    fields they leave out get the model's defaults."""
    if not rows:
        return
    given = list(rows[0])
    defaults = {name: field.default for name, field in model._meta.fields.items()
                if name not in given and field.default is not None}
    names = given + list(defaults)
    fields = [model._meta.fields[name] for name in names]
    values = {name: default() if callable(default) else default for name, default in defaults.items()}
    sqlite = not isinstance(database.obj, peewee.PostgresqlDatabase)
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    one = "(" + ", ".join([database.param] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMS // len(fields))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params = [_plain(row[name] if name in row else values[name], field, sqlite)
                  for row in chunk for name, field in zip(names, fields)]
        database.execute_sql(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
                             + ", ".join([one] * len(chunk)), params)
