"""«Проверить подключение» says in Russian what is wrong; settings keep the password out of the file."""
from __future__ import annotations

import json
import sqlite3

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.store import migrations
from app.store.connection import open_database
from app.store.connection_check import check_connection, diagnose_postgres_error
from app.store.connection_settings import POSTGRES, ConnectionSettings, SettingsStore
from app.store.db import close_database
from tests.conftest import PG_URL

SERVER = dict(host="192.168.1.10", port=5432, user="shop", database="crm")


@pytest.mark.parametrize("driver_message, expected", [
    ('connection to server at "192.168.1.10", port 5432 failed: Connection refused\n\tIs the server '
     'running on that host and accepting TCP/IP connections?', "Сервер 192.168.1.10:5432 недоступен"),
    ("timeout expired", "недоступен"),
    ('connection to server failed: FATAL:  password authentication failed for user "shop"',
     "Неверное имя пользователя или пароль"),
    ("fe_sendauth: no password supplied", "Неверное имя пользователя или пароль"),
    ('FATAL:  пользователь "shop" не прошёл проверку подлинности (по паролю)', "Неверное имя"),
    ('FATAL:  database "crm" does not exist', "На сервере нет базы данных «crm»"),
    ('FATAL:  база данных "crm" не существует', "нет базы данных «crm»"),
    ('FATAL:  role "shop" does not exist', "нет пользователя «shop»"),
    ('FATAL:  no pg_hba.conf entry for host "192.168.1.23", user "shop"', "pg_hba.conf"),
])
def test_diagnosis_of_driver_messages(driver_message, expected):
    assert expected in diagnose_postgres_error(driver_message, **SERVER)


def test_sqlite_new_existing_newer_and_garbage(tmp_path):
    path = tmp_path / "crm.sqlite3"
    result = check_connection(f"sqlite:///{path}")
    assert result.ok and "будет создана новая база" in result.message
    open_database(f"sqlite:///{path}")
    close_database()
    assert check_connection(f"sqlite:///{path}").message.endswith("Данные на месте.")
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE schema_version SET version = ?", (migrations.latest() + 5,))
    newer = check_connection(f"sqlite:///{path}")
    assert not newer.ok and "более новой версией программы" in newer.message
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 300)
    assert not check_connection(f"sqlite:///{junk}").ok
    assert not check_connection("mysql://x@y/z").ok


def test_postgres_unreachable_server():
    result = check_connection("postgresql://shop:secret@127.0.0.1:1/crm")
    assert not result.ok and "Сервер 127.0.0.1:1 недоступен" in result.message


@pytest.mark.postgres
def test_postgres_database_missing_and_ok():
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL не задан")
    base = PG_URL.rsplit("/", 1)[0]
    missing = check_connection(base + "/no_such_crm_db")
    assert not missing.ok and "нет базы данных «no_such_crm_db»" in missing.message
    assert check_connection(PG_URL).ok


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict = {}

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


@pytest.fixture
def keyring_backend():
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def _server() -> ConnectionSettings:
    return ConnectionSettings(kind=POSTGRES, host="192.168.1.10", port=5432, database="crm", user="shop")


def test_password_goes_to_the_keyring_not_the_settings(tmp_path, keyring_backend):
    memory = MemoryKeyring()
    keyring_backend(memory)
    store = SettingsStore(tmp_path)
    where = store.save(_server(), "p@ss: word")
    assert where == "в системном хранилище паролей"
    assert "p@ss" not in (tmp_path / "connection.json").read_text()
    assert not (tmp_path / "secrets.json").exists()
    assert store.saved_url() == "postgresql://shop:p%40ss%3A%20word@192.168.1.10:5432/crm"
    from app.store.db import postgres_params

    assert postgres_params(store.saved_url())["password"] == "p@ss: word"


def test_without_keyring_the_password_file_is_private(tmp_path, keyring_backend):
    from keyring.backends import fail

    keyring_backend(fail.Keyring())
    store = SettingsStore(tmp_path)
    where = store.save(_server(), "secret")
    assert "доступен только вам" in where
    assert "secret" not in (tmp_path / "connection.json").read_text()
    secrets = tmp_path / "secrets.json"
    assert (secrets.stat().st_mode & 0o777) == 0o600
    assert json.loads(secrets.read_text()) == {"shop@192.168.1.10:5432/crm": "secret"}
    assert store.load() == _server()
    assert store.password(store.load()) == "secret"


def test_sqlite_settings_and_describe(tmp_path):
    store = SettingsStore(tmp_path)
    assert store.load() is None and store.saved_url() is None
    store.save(ConnectionSettings(sqlite_file=str(tmp_path / "shop.sqlite3")))
    assert store.saved_url() == f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    assert _server().describe() == "Сервер 192.168.1.10:5432, база crm"
    assert ConnectionSettings.from_url("postgresql://shop:x@192.168.1.10:5432/crm") == _server()
