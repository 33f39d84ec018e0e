"""The demo shop built once into a template in the user's cache folder, copied at each start.

Building the demo takes seconds (every deal walks its stages through the services, the production
documents are drawn); copying the built file and its attached files takes a fraction of one. The
template is keyed by the program's version, the schema, a hash of the demo builder's source (an
edited demo is rebuilt) and the shop's local date: the demo's dates are relative to the day it
is built («Сегодня», overdue tasks), so a template of another day is built again.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import platformdirs

from app.domain import clock
from app.domain.version import program_version
from app.store import files, migrations
from app.store.connection import open_database
from app.store.db import APP_AUTHOR, APP_NAME, close_database, database

DB_NAME = "demo.sqlite3"
FILES_NAME = "files"
READY = "ready"  # written last: a folder without it is a build that did not finish
BUILDER_SOURCES = ("shop.py", "production.py", "template.py", "mail.py")


def cache_dir() -> Path:
    """Where the templates live (the user's cache folder: safe to delete at any time)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "demo"


def template_key() -> str:
    """What the template depends on: program version, schema, builder's source, today's date."""
    digest = hashlib.sha256()
    for name in BUILDER_SOURCES:
        try:
            digest.update((Path(__file__).parent / name).read_bytes())
        except OSError:  # an installed bundle holds compiled code only: frozen, so its version says it all
            digest.update(name.encode())
    return (f"{program_version()}-s{migrations.latest()}-{digest.hexdigest()[:12]}-"
            f"{clock.local_today().isoformat()}")


def template_folder() -> Path:
    return cache_dir() / template_key()


def is_ready() -> bool:
    """Whether today's template of this program exists (a start then takes a copy only)."""
    return (template_folder() / READY).exists()


def ensure_template() -> Path:
    """The folder of the current template, built first when there is none; older ones are removed.
    Built into a folder of its own and renamed into place, so a second program starting at the
    same time never copies half a template."""
    folder = template_folder()
    if (folder / READY).exists():
        return folder
    building = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    _build(building)
    try:
        building.rename(folder)
    except OSError:  # another program built it meanwhile: theirs is as good
        shutil.rmtree(building, ignore_errors=True)
    for old in cache_dir().iterdir():
        if old.name != folder.name and ".building-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def _build(folder: Path) -> None:
    """Build the demo shop into ``folder`` (database and attached files) and mark it finished."""
    from app.demo.shop import build_demo

    previous = database.obj
    files.set_files_root(folder / FILES_NAME)
    try:
        open_database(f"sqlite:///{folder / DB_NAME}")
        build_demo()
        close_database()  # the last connection: SQLite moves the WAL into the file
    finally:
        files.set_files_root(None)
        database.initialize(previous)
    (folder / FILES_NAME).mkdir(exist_ok=True)
    (folder / READY).write_text(template_key(), encoding="utf-8")


def copy_template(target: Path) -> Path:
    """Copy the current template (built first if needed) into the folder ``target``; returns the
    copied database file (its attached files in ``target / files``)."""
    folder = ensure_template()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / DB_NAME, target / DB_NAME)
    shutil.copytree(folder / FILES_NAME, target / FILES_NAME, dirs_exist_ok=True)
    return target / DB_NAME
