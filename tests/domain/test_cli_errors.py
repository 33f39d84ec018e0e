"""Every command of main.py meets a database it cannot use with one Russian line and an exit code,
never a traceback: a newer schema, a missing file, a refused connection."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

import main
from app.store.connection import open_database
from app.store.db import close_database

COMMANDS = [["print-cutsheet", "1", "-o", "{tmp}/sheet.pdf"], ["fetch-mail"], ["restore", "{tmp}/none.zip"],
            ["migrate-to", "postgresql://postgres@127.0.0.1:1/crm"]]


@pytest.fixture
def newer_database(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(f"sqlite:///{path}")
    close_database()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE schema_version SET version = 999")
        conn.commit()
    return f"sqlite:///{path}"


def _run(capsys, tmp_path, url, command):
    code = main.main(["--db", url, *[part.format(tmp=tmp_path) for part in command]])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err + printed.out
    return code, printed.err


@pytest.mark.parametrize("command", COMMANDS[:2], ids=lambda c: c[0])
def test_a_newer_schema_is_refused_with_a_message(capsys, tmp_path, newer_database, command):
    code, err = _run(capsys, tmp_path, newer_database, command)
    assert code == 2 and "более новой версией программы" in err and "обновите программу" in err.lower()


@pytest.mark.parametrize("command", COMMANDS[:2], ids=lambda c: c[0])
def test_a_missing_database_file_is_named_and_not_created(capsys, tmp_path, command):
    missing = tmp_path / "typo" / "crm.sqlite3"
    code, err = _run(capsys, tmp_path, f"sqlite:///{missing}", command)
    assert code == 2 and f"Нет файла базы данных {missing}" in err and not missing.exists()


@pytest.mark.parametrize("command", COMMANDS[:2], ids=lambda c: c[0])
def test_a_refused_connection_is_a_message(capsys, tmp_path, command):
    code, err = _run(capsys, tmp_path, "postgresql://postgres:secret@127.0.0.1:1/crm", command)
    assert code == 2 and err.startswith("Ошибка: ") and "secret" not in err


def test_restore_and_migrate_refuse_with_a_message(capsys, tmp_path, newer_database):
    code, err = _run(capsys, tmp_path, newer_database, COMMANDS[2])
    assert code == 1 and "none.zip" in err
    code, err = _run(capsys, tmp_path, newer_database, COMMANDS[3])
    assert code != 0 and err.startswith(("Ошибка", "Нет"))
