"""Opening the database the program runs on: this PC's own or a URL (the demo: app.demo.opening)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import peewee

from app.domain.codes import Role
from app.store import backups, files
from app.store.backups import backups_dir
from app.store.connection import open_database
from app.store.connection_settings import SettingsStore
from app.store.db import data_dir, default_url, sqlite_path
from app.store.integrity import DatabaseDamagedError, check_sqlite_file
from app.store.models import User


@dataclass
class Opened:
    db: peewee.Database
    url: str
    demo: bool
    check: str = ""  # the start-up integrity check's verdict (SQLite), for the status bar

def open_for_run(url: str | None) -> Opened:
    """Open ``url`` (None: this PC's database) after SQLite's integrity check of the file."""
    url = url or configured_url()
    path = sqlite_path(url)
    if path is not None:
        backups.tidy(path, files_dir_for(url))
    check = check_before_open(url)
    db = open_database(url)
    files.set_files_root(files_dir_for(url))
    return Opened(db, url, False, check)

def configured_url() -> str:
    """This PC's database: the one chosen in «Подключение», else the default SQLite file."""
    return SettingsStore().saved_url() or default_url()

def files_dir_for(url: str) -> Path:
    """The attached files' folder: the one set in «Подключение» for this database, else the
    ``files`` folder beside the SQLite file (or in the user's data folder)."""
    settings = SettingsStore().load()
    if settings is not None and settings.files_dir and settings.same_database(url):
        return Path(settings.files_dir)
    path = sqlite_path(url)
    return path.parent / "files" if path is not None else data_dir() / "files"

def check_before_open(url: str) -> str:
    """SQLite's integrity check of an existing file: its verdict, or DatabaseDamagedError."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        return ""
    result = check_sqlite_file(path)
    if not result.ok:
        raise DatabaseDamagedError(path, result, backups.latest_usable(backups_dir(path)))
    return result.message

WORKSTATION_ROLES = {"counter": Role.MANAGER, "constructor": Role.CONSTRUCTOR,
                     "workshop": Role.PRODUCTION_CHIEF}

def default_user(workstation: str = "counter", login: str | None = None) -> User:
    """The user a demo (or a single-user shop) works as: by login, else by the workstation's role."""
    active = User.select().where(User.active)
    if login:
        return active.where(User.login == login).get()
    role = WORKSTATION_ROLES.get(workstation, Role.MANAGER)
    user = active.where(User.role == role).order_by(User.id).first()
    if user is None:
        user = active.order_by(User.id).first()
    if user is None:
        user = User.create(login="admin", full_name="Администратор", role=Role.ADMIN)
    return user
