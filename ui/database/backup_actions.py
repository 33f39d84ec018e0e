"""«Создать резервную копию» and the automatic backups (at start and daily) of the SQLite database,
run on a worker thread so the window stays responsive; PostgreSQL backups run pg_dump when present."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.store import backups
from app.store.db import data_dir, sqlite_path

CHECK_EVERY_MS = 60 * 60 * 1000  # look once an hour whether a day has passed since the last backup


class BackupRunner(QObject):
    """Makes one backup at a time; reports ``finished(ok, message, silent)``."""

    finished = Signal(bool, str, bool)

    def __init__(self, parent: QObject, url: str, files_dir: Path, *, threaded: bool = True,
                 timer: QTimer | None = None) -> None:
        super().__init__(parent)
        self.url, self.files_dir, self.threaded = url, files_dir, threaded
        self.db_path = sqlite_path(url)
        self.folder = backups.backups_dir(self.db_path) if self.db_path else data_dir() / "backups"
        self._worker: threading.Thread | None = None
        self.timer = timer or QTimer(self, interval=CHECK_EVERY_MS)
        self.timer.setObjectName("dailyBackupTimer")
        self.timer.timeout.connect(self.run_if_due)

    @property
    def automatic(self) -> bool:
        """SQLite is backed up by the program itself; a server by its own schedule (README)."""
        return self.db_path is not None

    def start_schedule(self) -> None:
        """A backup now (at start) and then whenever a day has passed."""
        if self.automatic:
            self.run(silent=True)
            self.timer.start()

    def run_if_due(self) -> None:
        if self.automatic and backups.is_due(self.folder):
            self.run(silent=True)

    def run(self, silent: bool = False) -> None:
        """Start a backup (ignored while one is running)."""
        if self._worker is not None and self._worker.is_alive():
            return
        if not self.threaded:
            self._work(silent)
            return
        self._worker = threading.Thread(target=self._work, args=(silent,), name="crm-backup")
        self._worker.start()

    def wait(self) -> None:
        if self._worker is not None:
            self._worker.join()

    def _work(self, silent: bool) -> None:
        try:
            if self.db_path is not None:
                made = backups.backup_sqlite(self.db_path, self.files_dir, self.folder)
            else:
                made = backups.backup_postgres(self.url, self.files_dir, self.folder)
        except (backups.BackupError, OSError, sqlite3.Error) as error:
            self.finished.emit(False, f"Резервная копия не создана: {error}", silent)
            return
        self.finished.emit(True, f"Резервная копия сохранена: {made}", silent)
