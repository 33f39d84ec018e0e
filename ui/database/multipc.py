"""What one shop with several PCs adds to the main window: the connection state in the status bar,
live refresh from other PCs, «Подключение…», «Создать резервную копию» and the automatic backups."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from app.store.connection_settings import SettingsStore
from app.store.session import Opened, files_dir_for
from ui.common import msgbox
from ui.database.backup_actions import BackupRunner
from ui.database.change_poller import ChangePoller
from ui.database.connection_dialog import ConnectionDialog
from ui.database.connection_status import ConnectionStatus

STATUS_MESSAGE_MS = 8000


@dataclass
class MultiPc:
    status: ConnectionStatus
    poller: ChangePoller
    backups: BackupRunner
    connection_action: QAction
    backup_action: QAction


def install(window, opened: Opened, *, start: bool = True) -> MultiPc:
    """Add the connection state, the poller, the menu actions and the backup schedule to ``window``."""
    status = ConnectionStatus(opened.url, opened.demo)
    window.statusBar().addPermanentWidget(status)
    poller = ChangePoller(window)
    poller.connection_changed.connect(status.show_state)
    runner = BackupRunner(window, opened.url, files_dir_for(opened.url))

    def backup_finished(ok: bool, message: str, silent: bool) -> None:
        if silent:
            window.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        elif ok:
            msgbox.info(window, "Резервная копия", message)
        else:
            msgbox.error(window, "Резервная копия", message)

    runner.finished.connect(backup_finished)
    connection_action = QAction("Подключение…", window, objectName="connectionAction")
    connection_action.triggered.connect(lambda: ConnectionDialog(SettingsStore(), window).exec())
    backup_action = QAction("Создать резервную копию", window, objectName="backupAction")
    backup_action.triggered.connect(lambda: runner.run(silent=False))
    first = window.file_menu.actions()[0] if window.file_menu.actions() else None
    window.file_menu.insertActions(first, [connection_action, backup_action])
    window.file_menu.insertSeparator(first)
    if opened.check:
        window.statusBar().showMessage(opened.check, STATUS_MESSAGE_MS)
    if start:
        poller.start()
        if not opened.demo:
            runner.start_schedule()
    window.multipc = MultiPc(status, poller, runner, connection_action, backup_action)
    return window.multipc
