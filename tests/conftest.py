"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), a frozen clock, the shop's users, the demo shop; Qt runs offscreen.

What keeps the tests fast without changing what they test: SQLite databases start as copies of one
migrated file; the PostgreSQL database is emptied between tests (rows deleted, sequences restarted;
dropped and migrated again only after a test changed its schema); the demo shop is built once and
copied; passwords are hashed with argon2's cheapest parameters (one test proves the program's own);
the optimiser's time limits count steps of its search, never seconds of a possibly busy machine."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests (and the programs they start) never touch this PC's real settings or data folder.
_SANDBOX = tempfile.mkdtemp(prefix="workshop-crm-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")
os.environ["XDG_STATE_HOME"] = os.path.join(_SANDBOX, "state")  # the log and crash files
os.environ["XDG_CACHE_HOME"] = os.path.join(_SANDBOX, "cache")  # the demo template

# The imports come after the sandbox: nothing they load may see this PC's folders.
import pytest
from argon2 import PasswordHasher, profiles

from app.domain import clock
from app.services import auth
from app.store import files
from app.store.connection import open_database
from app.store.db import close_database, copy_sqlite, database, sqlite_path
from app.store.models import Role

PG_URL = os.environ.get("TEST_DATABASE_URL")
START = datetime(2025, 6, 2, 9, 0)  # 12:00 in St Petersburg


@pytest.fixture(scope="session", autouse=True)
def production_hasher():
    """Tests hash passwords with argon2's cheapest parameters (microseconds instead of 0.1 s a hash);
    the program's own hasher, set aside meanwhile, is what this fixture gives."""
    production = auth.set_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    yield production
    auth.set_hasher(production)


@pytest.fixture(scope="session", autouse=True)
def optimiser_in_steps():
    """Cut layouts of cut sheets (the screen, the print) within time limits counted in steps of the
    search, not in seconds of this machine: a busy machine gets the same layouts."""
    from app.documents import cut_plan
    from tests.step_clock import StepClock

    previous = cut_plan.set_clock(StepClock())
    yield
    cut_plan.set_clock(previous)


def _connect_postgres(url: str):
    import peewee
    from playhouse.db_url import parse

    params = parse(url)
    db = peewee.PostgresqlDatabase(params.pop("database"), **params)
    db.connect()
    return db


def blank_postgres(url: str) -> None:
    """Drop everything in the scratch database: no tables at all (the next reset migrates it again)."""
    db = _connect_postgres(url)
    try:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
    finally:
        db.close()


# Every table, column, default, constraint and index of the public schema, as one checksum.
_SCHEMA_CHECKSUM = """
SELECT md5(string_agg(item, ';' ORDER BY item)) FROM (
  SELECT concat_ws(':', c.relkind, c.relname) AS item
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(':', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'public'::regnamespace
) AS schema_items
"""
_migrated_schema: str | None = None  # the checksum of the schema the migrations make, once known
_scratch = None  # this session's own connection to the scratch database, kept for emptying it


def empty_postgres(url: str) -> None:
    """Leave the scratch database exactly as the migrations leave a new one: the latest schema, no
    rows, every id sequence at its start. When a test changed the schema (or the version), it is
    dropped and migrated again; otherwise deleting the rows is enough (much faster)."""
    global _scratch
    import peewee

    if _scratch is None:
        _scratch = _connect_postgres(url)
    try:
        _empty(_scratch)
    except (peewee.OperationalError, peewee.InterfaceError):  # a test ended the server's sessions
        _scratch.close()
        _scratch = _connect_postgres(url)
        _empty(_scratch)


def _empty(db) -> None:
    global _migrated_schema
    import peewee

    from app.store import migrations
    from app.store.models import ALL_MODELS

    intact = (_migrated_schema is not None
              and db.execute_sql(_SCHEMA_CHECKSUM).fetchone()[0] == _migrated_schema
              and db.execute_sql("SELECT version FROM schema_version").fetchall() == [(migrations.latest(),)])
    if intact:
        children_first = reversed(peewee.sort_models(ALL_MODELS))
        with db.atomic():
            db.execute_sql(";".join(f'DELETE FROM "{model._meta.table_name}"' for model in children_first))
            db.execute_sql("SELECT setval(c.oid, 1, false) FROM pg_class c "
                           "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace")
            with db.bind_ctx(ALL_MODELS):
                migrations.seed_rows()  # as a new database has them
        return
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    with db.bind_ctx(ALL_MODELS):  # the migrations work through the models
        migrations.upgrade(db)
    _migrated_schema = db.execute_sql(_SCHEMA_CHECKSUM).fetchone()[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or the scratch PostgreSQL database with the
    latest schema and no rows."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL не задан: тесты PostgreSQL пропущены")
        empty_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'crm.sqlite3'}"


@pytest.fixture
def blank_db_url(db_url):
    """``db_url`` without even the schema (a database just created, as for ``migrate-to``)."""
    if db_url == PG_URL:
        blank_postgres(PG_URL)
    return db_url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A new SQLite file brought to the latest schema, once: each test's database starts as a copy."""
    from app.store import migrations
    from app.store.db import make_database
    from app.store.models import ALL_MODELS

    path = tmp_path_factory.mktemp("migrated") / "crm.sqlite3"
    new = make_database(f"sqlite:///{path}")
    with new.bind_ctx(ALL_MODELS):  # the migrations work through the models
        migrations.upgrade(new)
    new.close()
    return path


@pytest.fixture
def fake_clock():
    frozen = clock.FrozenClock(START)
    previous = clock.set_clock(frozen)
    yield frozen
    clock.set_clock(previous)


@pytest.fixture
def db(db_url, tmp_path, fake_clock, migrated_sqlite):
    """An open, migrated, empty database; closed afterwards."""
    path = sqlite_path(db_url)
    if path is not None:
        copy_sqlite(migrated_sqlite, path)
    files.set_files_root(tmp_path / "files")
    database_obj = open_database(db_url)
    yield database_obj
    close_database()
    files.set_files_root(None)


@pytest.fixture
def staff(db):
    """The shop's people: two managers, a designer, a constructor, a production chief, an admin."""
    from app.services.people import create_user

    return {
        "manager": create_user("tatiana", "Татьяна", Role.MANAGER),
        "manager2": create_user("olga", "Ольга", Role.MANAGER),
        "designer": create_user("designer", "Дизайнер Анна", Role.DESIGNER),
        "constructor": create_user("constructor", "Конструктор Сергей", Role.CONSTRUCTOR),
        "chief": create_user("chief", "Начальник производства Михаил", Role.PRODUCTION_CHIEF),
        "admin": create_user("admin", "Администратор", Role.ADMIN),
    }


def table_counts() -> dict[str, int]:
    """Row counts of every table (to assert that a refused action changed nothing)."""
    from app.store.models import ALL_MODELS

    return {model.__name__: model.select().count() for model in ALL_MODELS}


@pytest.fixture
def counts():
    return table_counts


@dataclass(frozen=True)
class DemoShop:
    """The demo shop as built once for the session: its SQLite file and attached files, and what
    it holds (row counts per table, the sum of the budgets)."""

    path: Path
    files: Path
    counts: dict[str, int]
    budgets: int

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


@pytest.fixture(scope="session")
def demo_shop(tmp_path_factory) -> DemoShop:
    """The demo shop, built once per session (with the tests' frozen clock); tests get copies."""
    from app.demo.shop import build_demo
    from app.store.models import Deal

    folder = tmp_path_factory.mktemp("demo-shop")
    previous_clock, previous_db = clock.set_clock(clock.FrozenClock(START)), database.obj
    files.set_files_root(folder / "files")
    try:
        open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
        build_demo()
        shop = DemoShop(folder / "demo.sqlite3", folder / "files", table_counts(),
                        sum(deal.budget for deal in Deal.select()))
        close_database()
    finally:
        files.set_files_root(None)
        clock.set_clock(previous_clock)
        database.initialize(previous_db)
    return shop


@pytest.fixture
def demo_builds(monkeypatch, fake_clock, tmp_path):
    """A small stand-in for the demo builder (the real one is tested in test_demo) with the demo
    template in this test's own cache folder; the keys of the templates it built."""
    from app.demo import template as demo_template
    from app.services import deals, people

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[str] = []

    def build_demo() -> None:
        manager = people.create_user("tatiana", "Татьяна", "manager")
        deals.create_deal(manager, name=f"Демо {len(made) + 1}")
        (files.files_root() / "чертеж.pdf").write_bytes(b"%PDF-1.4")
        made.append(demo_template.template_key())

    monkeypatch.setattr("app.demo.shop.build_demo", build_demo)
    yield made
    close_database()
    files.set_files_root(None)


def copy_demo(shop: DemoShop, url: str, files_dir: Path) -> None:
    """Put an identical copy of the demo shop into the empty database at ``url`` (SQLite: a copy
    of the file; PostgreSQL: migrate-to's verified copy, ids and sequences included), its attached
    files into ``files_dir``."""
    from app.store.transfer import migrate_to

    shutil.copytree(shop.files, files_dir)
    path = sqlite_path(url)
    if path is None:
        migrate_to(shop.url, url, progress=lambda line: None)
    else:
        copy_sqlite(shop.path, path)


@pytest.fixture
def demo_db(demo_shop, db_url, tmp_path, fake_clock):
    """This test's own copy of the demo shop, open; closed afterwards."""
    copy_demo(demo_shop, db_url, tmp_path / "files")
    files.set_files_root(tmp_path / "files")
    database_obj = open_database(db_url)
    yield database_obj
    close_database()
    files.set_files_root(None)
