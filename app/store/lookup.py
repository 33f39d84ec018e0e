"""Rows by id, for ids that come from outside (a screen, a command line, another PC's stale list):
anything that cannot be a row id finds nothing, on SQLite and PostgreSQL alike, instead of a
type or overflow error from the database."""
from __future__ import annotations

from typing import TypeVar

import peewee

from app.domain.errors import NotFoundError
from app.domain.validation import is_id
from app.store.db import is_postgres

M = TypeVar("M", bound=peewee.Model)


def by_id(model: type[M], row_id: object, *, lock: bool = False) -> M | None:
    """The row of ``model`` with ``row_id`` (locked for update on PostgreSQL when ``lock``), or None."""
    if not is_id(row_id):
        return None
    query = model.select().where(model._meta.primary_key == row_id)
    return (query.for_update() if lock and is_postgres() else query).first()


def existing(model: type[M], row_id: object, missing: str) -> M:
    """The row of ``model`` with ``row_id``; NotFoundError with the Russian ``missing`` when there is none."""
    row = by_id(model, row_id)
    if row is None:
        raise NotFoundError(missing)
    return row
