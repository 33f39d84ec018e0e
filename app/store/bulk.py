"""Many rows into one table fast (an import's batch): multi-row INSERT statements of plain values,
without building peewee's query tree per row. Inside the caller's transaction; the change counter
sees the writes as usual (they go through the database's ``execute_sql``)."""
from __future__ import annotations

from datetime import date, datetime

import peewee

from app.store.db import database

MAX_PARAMS = 900  # below SQLite's oldest limit of 999 variables a statement


def _to_id(value):
    return value.get_id() if isinstance(value, peewee.Model) else value


def _to_text(value):
    return str(value) if isinstance(value, (datetime, date)) else value  # peewee's own text form


def _converter(field: peewee.Field, sqlite: bool):
    """How a value of ``field`` goes to the driver (None: as it is)."""
    if isinstance(field, peewee.ForeignKeyField):
        return _to_id
    if sqlite and isinstance(field, (peewee.DateTimeField, peewee.DateField)):
        return _to_text  # sqlite3's default date adapters are deprecated
    return None


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
    converters = [(name, _converter(field, sqlite)) for name, field in zip(names, fields)]
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params = []
        for row in chunk:
            for name, convert in converters:
                value = row[name] if name in row else values[name]
                params.append(convert(value) if convert is not None else value)
        database.execute_sql(f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
                             + ", ".join([one] * len(chunk)), params)
