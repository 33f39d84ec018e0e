"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), a frozen clock, the shop's users; Qt runs offscreen."""
from __future__ import annotations

import os
import tempfile
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests (and the programs they start) never touch this PC's real settings or data folder.
_SANDBOX = tempfile.mkdtemp(prefix="workshop-crm-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SANDBOX, "data")
os.environ["XDG_STATE_HOME"] = os.path.join(_SANDBOX, "state")  # the log and crash files

import pytest  # noqa: E402
from argon2 import PasswordHasher, profiles  # noqa: E402

from app.domain import clock  # noqa: E402
from app.services import auth  # noqa: E402
from app.store import files  # noqa: E402
from app.store.db import close_database  # noqa: E402
from app.store.connection import open_database  # noqa: E402
from app.store.models import Role  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL")
START = datetime(2025, 6, 2, 9, 0)  # 12:00 in St Petersburg


@pytest.fixture(scope="session", autouse=True)
def production_hasher():
    """Tests hash passwords with argon2's cheapest parameters (microseconds instead of 0.1 s a hash);
    the program's own hasher, set aside meanwhile, is what this fixture gives."""
    production = auth.set_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    yield production
    auth.set_hasher(production)


def _reset_postgres(url: str) -> None:
    import peewee
    from playhouse.db_url import parse

    params = parse(url)
    db = peewee.PostgresqlDatabase(params.pop("database"), **params)
    db.connect()
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of an empty database: a SQLite file, or the scratch PostgreSQL database."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL не задан: тесты PostgreSQL пропущены")
        _reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'crm.sqlite3'}"


@pytest.fixture
def fake_clock():
    frozen = clock.FrozenClock(START)
    previous = clock.set_clock(frozen)
    yield frozen
    clock.set_clock(previous)


@pytest.fixture
def db(db_url, tmp_path, fake_clock):
    """An open, migrated, empty database; closed afterwards."""
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
