"""SQL pieces the analytics need that SQLite and PostgreSQL spell differently: time differences in
days, local days, weeks and months, and percentiles (PostgreSQL's ``percentile_cont`` has no
SQLite twin, so both use the same window-function formula and give the same numbers).

Times are stored as naive UTC; the shop's zone (Europe/Moscow, no daylight saving since 2014) is
applied as a fixed offset in minutes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain import clock
from app.store.db import database, is_postgres

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def offset_minutes(moment: datetime) -> int:
    """The shop zone's offset from UTC at ``moment`` (naive UTC), in minutes."""
    return int(clock.to_local(moment).utcoffset().total_seconds() // 60)


@dataclass(frozen=True)
class Dialect:
    """Expressions for the open backend; ``offset`` is the shop zone's offset in minutes."""

    postgres: bool
    offset: int

    @property
    def param(self) -> str:
        return "%s" if self.postgres else "?"

    def days(self, start: str, end: str) -> str:
        """Days (fractional) from the timestamp ``start`` to ``end``."""
        if self.postgres:
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
        return f"(julianday({end}) - julianday({start}))"

    def _local(self, column: str) -> str:
        return f"({column} + INTERVAL '{self.offset} minutes')"

    def local_date(self, column: str) -> str:
        """The shop-local calendar day of a UTC timestamp (comparable with a DateField)."""
        if self.postgres:
            return f"CAST({self._local(column)} AS DATE)"
        return f"date({column}, '{self.offset:+d} minutes')"

    def local_week(self, column: str) -> str:
        """The Monday of the shop-local week of a UTC timestamp."""
        if self.postgres:
            return f"CAST(date_trunc('week', {self._local(column)}) AS DATE)"
        return f"date({column}, '{self.offset:+d} minutes', 'weekday 0', '-6 days')"

    def local_month(self, column: str) -> str:
        """«2025-06»: the shop-local month of a UTC timestamp."""
        if self.postgres:
            return f"to_char({self._local(column)}, 'YYYY-MM')"
        return f"strftime('%Y-%m', {column}, '{self.offset:+d} minutes')"

    def date_days(self, start: str, end: str) -> str:
        """Whole days from the date ``start`` to the date ``end``."""
        if self.postgres:
            return f"({end} - {start})"
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"

    def day_after(self, column):
        """A peewee expression: the timestamp ``column`` one day later."""
        from peewee import SQL, fn

        return column + SQL("INTERVAL '1 day'") if self.postgres else fn.datetime(column, "+1 day")

    def date_month(self, column: str) -> str:
        """«2025-06»: the month of a date column."""
        return f"to_char({column}, 'YYYY-MM')" if self.postgres else f"strftime('%Y-%m', {column})"


def dialect(at: datetime) -> Dialect:
    """The dialect of the open database, with the shop zone's offset at ``at``."""
    return Dialect(is_postgres(), offset_minutes(at))


def stamp(moment: datetime) -> str:
    """A UTC timestamp as a query parameter both backends compare with stored timestamps."""
    return moment.strftime(DATETIME_FORMAT)


def as_date(value) -> date | None:
    """A date from what a backend returns for a date expression (a date or «YYYY-MM-DD»)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def percentile(value: str, n: str, rank: str, numerator: int, denominator: int) -> str:
    """The continuous percentile ``numerator/denominator`` (as ``percentile_cont``) of ``value``
    over a group, from each row's 0-based ``rank`` in the group ordered by value and the group's
    size ``n``: an aggregate over the group's rows, linear between the two middle ranks.

    Integer arithmetic only (``a - a / b * b`` for the remainder), identical on both backends."""
    position = f"(({n} - 1) * {numerator})"
    low = f"({position} / {denominator})"
    rest = f"({position} - {low} * {denominator})"
    fraction = f"({rest} * 1.0 / {denominator})"
    return (f"SUM(CASE WHEN {rank} = {low} THEN {value} * (1 - {fraction}) ELSE 0 END"
            f" + CASE WHEN {rest} > 0 AND {rank} = {low} + 1 THEN {value} * {fraction} ELSE 0 END)")


def near_percentile(n: str, rank: str, numerator: int, denominator: int) -> str:
    """The condition on a row's ``rank`` that ``percentile`` reads it (the two ranks around the
    percentile): filtering by it first leaves the aggregate a few rows per group."""
    low = f"(({n} - 1) * {numerator} / {denominator})"
    return f"{rank} BETWEEN {low} AND {low} + 1"


def fetch(sql: str, params: list) -> list[tuple]:
    """Rows of one read-only query on the open database."""
    return list(database.execute_sql(sql, params).fetchall())
