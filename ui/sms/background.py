"""Running a slow call (a gateway over the network) on a worker thread, never on the window's: the
result comes back as a signal on the window's thread. The worker's database connection is its own
(peewee keeps one a thread) and is closed after each call."""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from app.store.db import close_database

log = logging.getLogger(__name__)


class _Worker(QObject):
    done = Signal(object)
    failed = Signal(str)

    @Slot(object)
    def run(self, call: Callable[[], object]) -> None:
        try:
            self.done.emit(call())
        except Exception as error:  # noqa: BLE001 - logged, reported as a status line, never a traceback
            log.exception("Background call failed")
            self.failed.emit(str(error) or type(error).__name__)
        finally:
            close_database()


class Background(QObject):
    """One worker thread; ``start(call)`` runs ``call`` there unless a call is still running
    (then returns False). ``done(result)`` or ``failed(message)`` follow on this object's thread."""

    done = Signal(object)
    failed = Signal(str)
    _run = Signal(object)

    def __init__(self, parent: QObject | None = None, name: str = "background") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.busy = False
        self.thread = QThread(self)
        self.thread.setObjectName(f"{name}Thread")
        self.worker = _Worker()
        self.worker.moveToThread(self.thread)
        self._run.connect(self.worker.run)
        self.worker.done.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.thread.finished.connect(self.worker.deleteLater)
        QCoreApplication.instance().aboutToQuit.connect(self.stop)

    def start(self, call: Callable[[], object]) -> bool:
        if self.busy:
            return False
        self.busy = True
        if not self.thread.isRunning():  # started on first use: a window never sending has no thread
            self.thread.start()
        self._run.emit(call)
        return True

    def _finished(self, result: object) -> None:
        self.busy = False
        self.done.emit(result)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.failed.emit(message)

    def stop(self) -> None:
        """End the thread (after the running call, if any)."""
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait()
