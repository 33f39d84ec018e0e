"""Opening the shop's database from a URL, and the schema version bookkeeping.

``sqlite:///path`` (default: a file in the user's data folder) or ``postgresql://user@host:port/db``.
Models bind to ``database``, a peewee DatabaseProxy initialised by ``app.store.connection.open_database``.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlparse

import peewee
import platformdirs
from playhouse.db_url import parse as parse_url

from app.store import search_index
from app.store.tracked_db import TrackedPostgresqlDatabase, TrackedSqliteDatabase

APP_NAME = "workshop-crm"
APP_AUTHOR = "Manya"

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # FULL: a committed transaction survives a power cut in the workshop.
    "synchronous": "full",
    "cache_size": -32 * 1024,
}
BUSY_TIMEOUT_S = 10


class DatabaseUrlError(ValueError):
    """A database URL this program cannot open."""


def masked_url(url: str) -> str:
    """``url`` fit to print or log: its password (if any) replaced by «***»."""
    parts = urlparse(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def data_dir() -> Path:
    """The per-user folder for the database, backups and attached files."""
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_url() -> str:
    """The zero-setup default: one SQLite file in the user's data folder."""
    return f"sqlite:///{data_dir() / 'crm.sqlite3'}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None for memory and other backends."""
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    raw = url[len("sqlite:///"):]
    if raw in ("", ":memory:"):
        return None
    return Path(raw)


def postgres_params(url: str) -> dict:
    """database, user, password, host, port of a ``postgresql://`` URL (quoted parts decoded)."""
    return parse_url(url, unquote_password=True, unquote_user=True)


def make_database(url: str) -> peewee.Database:
    """A not-yet-connected peewee database for ``url``."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        return TrackedSqliteDatabase(
            str(path) if path else ":memory:",
            pragmas=SQLITE_PRAGMAS,
            timeout=BUSY_TIMEOUT_S,
            lock_type="IMMEDIATE",
        )
    if scheme in ("postgresql", "postgres"):
        params = postgres_params(url)
        # no JIT compilation: the program's queries are short, and for the analytics' larger ones
        # (estimated above jit_above_cost) compiling took longer than running (the funnel of a year
        # on 100,000 orders: 1.3 s of its 1.9 s)
        return TrackedPostgresqlDatabase(
            params.pop("database"), connect_timeout=5, options="-c jit=off", **params
        )
    raise DatabaseUrlError(f"Неизвестный адрес базы данных: {url!r} (нужен sqlite:/// или postgresql://)")


def hold(query: peewee.Query) -> None:
    """Run the write ``query`` whose result nobody reads (no id, no row count); inside a transaction
    on PostgreSQL it goes to the server with the next statement (app.store.held_statements)."""
    database.obj.hold(*query.sql())


def note_deal_changed(deal_id: int) -> None:
    """Tell other PCs (via the change log written at commit) that this transaction touched a deal."""
    target = database.obj
    if target is not None and hasattr(target, "note_deal"):
        target.note_deal(deal_id)


def close_database() -> None:
    """Close the current connection if any."""
    if database.obj is not None and not database.is_closed():
        database.close()


def copy_sqlite(source: Path, target: Path, *, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Copy a live SQLite file consistently (SQLite's online backup API), also while it is in use."""
    src = sqlite3.connect(str(source), timeout=timeout)
    try:
        dst = sqlite3.connect(str(target))
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def is_postgres() -> bool:
    """Whether the open database is PostgreSQL."""
    return isinstance(database.obj, peewee.PostgresqlDatabase)


def analyze(db: peewee.Database | None = None) -> None:
    """Bring the planner's picture of the data up to date after a bulk load (``migrate-to``, an
    import): PostgreSQL's ANALYZE (a column scrolled in 972 ms after a bulk load, 72 ms after it);
    on SQLite, the search index's segments are merged into one. Call it outside a transaction."""
    db = db or database.obj
    if isinstance(db, peewee.PostgresqlDatabase):
        db.execute_sql("ANALYZE")
    else:
        search_index.optimize(db)
