"""``python main.py migrate-to URL``: copy a whole SQLite database into an empty PostgreSQL one.

Every table of ``models.ALL_MODELS`` is copied with its ids, in foreign-key order, in one transaction
on the target; PostgreSQL's id sequences are then moved past the copied ids, and the row counts and
the sums of every integer column (money included) are compared between the two databases.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import peewee

from app.domain.money import format_rub
from app.domain.russian import ROWS, count_text
from app.store import migrations, models
from app.store.connection_check import check_connection
from app.store.db import analyze, make_database, sqlite_path

BATCH = 500
MONEY = (models.Deal.budget, models.Deal.prepayment, models.Deal.debt)
# tables whose rows mean the target is already in use (migrations may seed others)
IN_USE = (models.User, models.Contact, models.Deal, models.Task)


class TransferError(RuntimeError):
    """The copy was refused or did not verify; nothing was committed on the target."""


@dataclass(frozen=True)
class TableSummary:
    rows: int
    sums: tuple[int, ...]  # of every integer column, in field order


@dataclass
class TransferReport:
    tables: dict[str, TableSummary]
    money: dict[str, int]

    @property
    def rows(self) -> int:
        return sum(summary.rows for summary in self.tables.values())


def _summed_fields(model: type[peewee.Model]) -> list[peewee.Field]:
    return [f for f in model._meta.sorted_fields
            if isinstance(f, peewee.IntegerField) and not isinstance(f, peewee.AutoField)]


def summarize(db: peewee.Database, model: type[peewee.Model]) -> TableSummary:
    """Row count and integer column sums of ``model``'s table in ``db``."""
    columns = [peewee.fn.COUNT(peewee.SQL("*"))] + [peewee.fn.COALESCE(peewee.fn.SUM(f), 0)
                                                    for f in _summed_fields(model)]
    row = model.select(*columns).bind(db).tuples().first()
    return TableSummary(int(row[0]), tuple(int(value) for value in row[1:]))


def _open(url: str, role: str) -> peewee.Database:
    db = make_database(url)
    try:
        db.connect()
    except peewee.DatabaseError as error:
        raise TransferError(f"{role}: {check_connection(url).message}") from error
    with db.bind_ctx(models.ALL_MODELS):  # the migrations work through the models
        migrations.upgrade(db, backup_path=sqlite_path(url))
    return db


def _require_empty(db: peewee.Database) -> None:
    used = {model.__name__: model.select().bind(db).count() for model in IN_USE}
    if any(used.values()):
        shown = ", ".join(f"{name}: {count}" for name, count in used.items() if count)
        raise TransferError(f"Целевая база не пуста ({shown}). Нужна новая пустая база данных.")


def _copy_table(source: peewee.Database, target: peewee.Database, model: type[peewee.Model],
                progress: Callable[[str], None]) -> int:
    fields = model._meta.sorted_fields
    pk = model._meta.primary_key
    key_index = fields.index(pk)
    total, copied, last = model.select().bind(source).count(), 0, None
    while True:
        query = model.select(*fields).order_by(pk).limit(BATCH)
        if last is not None:
            query = query.where(pk > last)
        rows = list(query.bind(source).tuples())
        if not rows:
            break
        model.insert_many(rows, fields=fields).as_rowcount().bind(target).execute()
        copied, last = copied + len(rows), rows[-1][key_index]
        progress(f"  {model._meta.table_name}: {copied} из {total}")
    return copied


def _reset_sequences(target: peewee.Database) -> None:
    if not isinstance(target, peewee.PostgresqlDatabase):
        return
    for model in models.ALL_MODELS:
        pk = model._meta.primary_key
        if isinstance(pk, peewee.AutoField):
            table, column = model._meta.table_name, pk.column_name
            target.execute_sql(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), '
                f'MAX("{column}") IS NOT NULL) FROM "{table}"', (table, column))


def migrate_to(source_url: str, target_url: str, progress: Callable[[str], None] = print) -> TransferReport:
    """Copy the database at ``source_url`` into the empty one at ``target_url`` and verify it."""
    if source_url == target_url:
        raise TransferError("Источник и цель — одна и та же база.")
    source = _open(source_url, "Источник")
    target = _open(target_url, "Цель")
    try:
        _require_empty(target)
        ordered = peewee.sort_models(models.ALL_MODELS)
        progress(f"Копирую {len(ordered)} таблиц в {target_url.split('@')[-1]} …")
        with target.atomic():
            for model in reversed(ordered):  # rows the target's migrations may have seeded
                model.delete().bind(target).execute()
            for model in ordered:
                _copy_table(source, target, model, progress)
            _reset_sequences(target)
        analyze(target)  # a bulk load: the planner's statistics are stale until ANALYZE
        return verify(source, target, progress)
    finally:
        source.close()
        target.close()


def verify(source: peewee.Database, target: peewee.Database,
           progress: Callable[[str], None] = print) -> TransferReport:
    """Compare counts and integer sums table by table; TransferError on any difference."""
    tables: dict[str, TableSummary] = {}
    wrong = []
    for model in models.ALL_MODELS:
        before, after = summarize(source, model), summarize(target, model)
        tables[model._meta.table_name] = after
        if before != after:
            wrong.append(f"{model._meta.table_name}: было {count_text(before.rows, ROWS)}, стало {after.rows}"
                         + ("" if before.rows != after.rows else " (суммы не совпадают)"))
    if wrong:
        raise TransferError("Копия не совпадает с источником: " + "; ".join(wrong))
    deal = models.Deal
    names = [field.name for field in _summed_fields(deal)]
    money = {field.name: tables[deal._meta.table_name].sums[names.index(field.name)] for field in MONEY}
    progress(f"Проверено: {count_text(sum(t.rows for t in tables.values()), ROWS)} в {len(tables)} таблицах совпадают; "
             f"сделок {tables['deal'].rows}, бюджеты {format_rub(money['budget'])}, "
             f"предоплаты {format_rub(money['prepayment'])}, долги {format_rub(money['debt'])}.")
    return TransferReport(tables, money)
