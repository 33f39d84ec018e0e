"""Opening the database the program runs on: the user's own, a URL, or a fresh demo."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import peewee

from app import files
from app.db import open_database, sqlite_path
from app.models import Role, User


@dataclass
class Opened:
    db: peewee.Database
    url: str
    demo: bool


def open_for_run(url: str | None, demo: bool) -> Opened:
    """Open ``url`` (None: the user's default file), or a throw-away demo database."""
    if demo:
        folder = Path(tempfile.mkdtemp(prefix="workshop-crm-demo-"))
        url = f"sqlite:///{folder / 'demo.sqlite3'}"
        files.set_files_root(folder / "files")
        db = open_database(url)
        from app.demo import build_demo

        build_demo()
        return Opened(db, url, True)
    db = open_database(url)
    path = sqlite_path(url) if url else None
    if path is not None:
        files.set_files_root(path.parent / "files")
    return Opened(db, url or "", False)


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
