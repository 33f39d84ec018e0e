"""Opening the shop's database: bind the models to it and bring its schema up to date."""
from __future__ import annotations

import peewee

from app.store import migrations
from app.store.db import database, default_url, make_database, sqlite_path


def open_database(url: str | None = None, *, migrate: bool = True) -> peewee.Database:
    """Open ``url`` (default: the user's SQLite file), bind the models, bring the schema up to date."""
    url = url or default_url()
    db = make_database(url)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    if migrate:
        migrations.upgrade(db, backup_path=sqlite_path(url))
    db.track_changes = db.table_exists("change_log")  # not on a deliberately old schema
    return db
