"""The program's version is written into the database it opens (both backends)."""
from __future__ import annotations

from app.domain.version import program_version
from app.store import migrations
from app.store.connection import open_database
from app.store.db import close_database


def test_opening_records_the_program_version(db, db_url):
    assert migrations.recorded_program(db) == program_version()
    db.execute_sql("UPDATE schema_version SET program = 'old'")  # last opened by an older program
    close_database()
    again = open_database(db_url)
    assert migrations.recorded_program(again) == program_version()
    assert migrations.current_version(again) == migrations.latest()
