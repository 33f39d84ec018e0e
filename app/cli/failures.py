"""What a command of ``main.py`` prints when it cannot do its work: one Russian line on stderr and an
exit code, never a traceback (that goes to the log)."""
from __future__ import annotations

import logging
import sys

import peewee

from app.domain.errors import ServiceError
from app.store.backups import BackupError
from app.store.connection_check import check_connection
from app.store.db import masked_url, sqlite_path
from app.store.files import os_error_text
from app.store.integrity import DatabaseDamagedError
from app.store.migrations import SchemaTooNewError
from app.store.transfer import TransferError

log = logging.getLogger(__name__)
REFUSED, FAILED = 2, 1  # the exit codes: the database could not be used / the command could not finish


class MissingDatabaseError(RuntimeError):
    """A command named a SQLite file that is not there (a command never creates an empty shop)."""


def require_existing(url: str | None) -> None:
    """Refuse a command on a SQLite file that does not exist (a typo must not make a new empty shop)."""
    path = sqlite_path(url) if url else None
    if path is not None and not path.exists():
        raise MissingDatabaseError(f"Нет файла базы данных {path}. Проверьте путь в --db.")


def explain(error: BaseException, url: str | None) -> tuple[str, int] | None:
    """The message and exit code for a failure a user can meet; None for a bug (let it be reported)."""
    if isinstance(error, (SchemaTooNewError, DatabaseDamagedError, MissingDatabaseError)):
        return str(error), REFUSED
    if isinstance(error, (peewee.OperationalError, peewee.InterfaceError)) and url:
        return check_connection(url).message or f"База данных недоступна: {masked_url(url)}", REFUSED
    if isinstance(error, (ServiceError, BackupError, TransferError)):
        return str(error), FAILED
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{os_error_text(error)}{where}", FAILED
    return None


def run_reporting(command, url: str | None) -> int:
    """Run ``command()``; a failure a user can meet is one line on stderr and its exit code."""
    try:
        return command()
    except Exception as error:  # noqa: BLE001 - sorted by explain(); the rest is raised
        explained = explain(error, url)
        if explained is None:
            raise
        message, code = explained
        log.warning("Command failed: %s", message, exc_info=True)
        print(f"Ошибка: {message.replace(url, masked_url(url)) if url else message}", file=sys.stderr)
        return code
