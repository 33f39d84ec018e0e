"""Opening the database at start, and what the user is offered when that fails: restore the latest
backup of a damaged file, or fix the connection settings of an unreachable server."""
from __future__ import annotations

import peewee

from app.domain import clock
from app.domain.errors import ConnectionLostError
from app.store import backups, migrations
from app.store.connection_check import check_connection
from app.store.connection_settings import SettingsStore
from app.store.db import DatabaseUrlError
from app.store.integrity import DatabaseDamagedError
from app.store.session import Opened, configured_url, files_dir_for, open_for_run
from ui.common import msgbox
from ui.shell.demo_start import open_demo_showing_progress

TITLE_DAMAGED = "База данных повреждена"


def offer_restore(damaged: DatabaseDamagedError) -> bool:
    """Tell what is damaged and offer the latest backup; True when it was restored."""
    latest = damaged.latest_backup
    if latest is None:
        msgbox.error(None, TITLE_DAMAGED, damaged.result.message + "\n\nРезервных копий рядом с базой "
                     f"нет (папка {backups.backups_dir(damaged.path)}). Обратитесь к администратору.")
        return False
    when = clock.to_local(backups.stamp_of(latest)).strftime("%d.%m.%Y %H:%M")
    if not msgbox.ask(None, TITLE_DAMAGED, f"{damaged.result.message}\n\nВосстановить последнюю "
                      f"резервную копию от {when}? Повреждённый файл будет сохранён в папке backups."):
        return False
    try:
        backups.restore(latest, damaged.path, files_dir_for(f"sqlite:///{damaged.path}"))
    except backups.BackupError as error:
        msgbox.error(None, TITLE_DAMAGED, str(error))
        return False
    msgbox.info(None, "База восстановлена", f"База восстановлена из копии от {when}. "
                "Изменения, сделанные после этой копии, нужно внести заново.")
    return True


def _offer_settings(url: str | None, error: Exception) -> bool:
    """The server is not answering: say why and offer «Подключение»; True if new settings were saved."""
    from ui.database.connection_dialog import ConnectionDialog

    verdict = check_connection(url or configured_url())
    text = str(error) if verdict.ok else verdict.message
    if not msgbox.ask(None, "Нет подключения к базе данных", f"{text}\n\nОткрыть настройки подключения?"):
        return False
    return ConnectionDialog(SettingsStore()).exec() == ConnectionDialog.DialogCode.Accepted


def open_or_recover(url: str | None, demo: bool) -> Opened | None:
    """Open the database the program should run on; None when the user gave up."""
    from ui.shell.app import application

    while True:
        try:
            return open_demo_showing_progress() if demo else open_for_run(url)
        except DatabaseDamagedError as damaged:
            application()
            if not offer_restore(damaged):
                return None
        except migrations.SchemaTooNewError as error:
            application()
            msgbox.error(None, "Нужна новая версия программы", str(error))
            return None
        except (ConnectionLostError, peewee.OperationalError, peewee.InterfaceError, DatabaseUrlError) as error:
            application()
            if not _offer_settings(url, error):
                return None
            url = None  # from now on: the settings just saved
