"""«Проверить подключение»: try a database URL and say in Russian what is wrong, if anything."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from app.store import migrations
from app.store.db import postgres_params, sqlite_path

CONNECT_TIMEOUT_S = 4


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str


def diagnose_postgres_error(text: str, host: str, port: int, user: str, database: str) -> str:
    """The Russian diagnosis of a failed PostgreSQL connection from the driver's message
    (English or Russian server messages)."""
    low = text.lower()
    if "pg_hba.conf" in low:
        return (f"Сервер {host} не разрешает подключение с этого компьютера. Добавьте сеть магазина "
                f"в pg_hba.conf на сервере (см. README, «Несколько компьютеров»).")
    if any(s in low for s in ("password authentication failed", "no password supplied",
                              "проверку подлинности", "пароль не указан")):
        return f"Неверное имя пользователя или пароль: сервер не принял пользователя «{user}»."
    if "does not exist" in low or "не существует" in low:
        if "role" in low or "роль" in low:
            return f"На сервере нет пользователя «{user}». Создайте его (см. README) или проверьте имя."
        return f"На сервере нет базы данных «{database}». Создайте её (см. README) или проверьте название."
    return (f"Сервер {host}:{port} недоступен: проверьте, что он включён, адрес и порт указаны верно "
            f"и брандмауэр пропускает порт {port}. ({text.strip().splitlines()[0] if text.strip() else ''})")


def _schema_verdict(version: int, where: str) -> CheckResult:
    latest = migrations.latest()
    if version > latest:
        return CheckResult(False, str(migrations.schema_too_new(version)))
    if version == 0:
        return CheckResult(True, f"Подключение есть: {where}. База пуста — программа создаст таблицы.")
    if version < latest:
        return CheckResult(True, f"Подключение есть: {where}. Схема будет обновлена ({version} → {latest}).")
    return CheckResult(True, f"Подключение есть: {where}. Данные на месте.")


def _check_sqlite(url: str) -> CheckResult:
    path = sqlite_path(url)
    if path is None:
        return CheckResult(True, "Временная база в памяти.")
    if not path.exists():
        folder = path.parent
        while not folder.exists():
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            return CheckResult(False, f"Нет права создать файл базы в папке {folder}.")
        return CheckResult(True, f"Файла {path} ещё нет — будет создана новая база.")
    try:
        conn = sqlite3.connect(str(path), timeout=CONNECT_TIMEOUT_S)
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
            version = conn.execute("SELECT version FROM schema_version").fetchone()[0] if has else 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return CheckResult(False, f"Файл {path} не открывается как база данных: {error}.")
    return _schema_verdict(version, f"файл {path}")


def _check_postgres(url: str) -> CheckResult:
    import psycopg2

    params = postgres_params(url)
    database = params.pop("database")
    host, port, user = params.get("host", "localhost"), int(params.get("port", 5432)), params.get("user", "")
    try:
        conn = psycopg2.connect(dbname=database, connect_timeout=CONNECT_TIMEOUT_S, **params)
    except psycopg2.Error as error:
        return CheckResult(False, diagnose_postgres_error(str(error), host, port, user, database))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('schema_version') IS NOT NULL")
            version = 0
            if cursor.fetchone()[0]:
                cursor.execute("SELECT version FROM schema_version")
                row = cursor.fetchone()
                version = row[0] if row else 0
    finally:
        conn.close()
    return _schema_verdict(version, f"сервер {host}:{port}, база «{database}»")


def check_connection(url: str) -> CheckResult:
    """Try ``url`` without changing anything; the result's message tells what is wrong."""
    scheme = url.split(":", 1)[0]
    if scheme == "sqlite":
        return _check_sqlite(url)
    if scheme in ("postgresql", "postgres"):
        return _check_postgres(url)
    return CheckResult(False, f"Неизвестный адрес базы данных: {url} (нужен sqlite:/// или postgresql://)")
