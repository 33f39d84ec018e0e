"""Running a slow call (a gateway over the network) on the global thread pool, never on the window's
thread: the result comes back as a signal on the window's thread. The job's database connection is its
own (peewee keeps one a thread) and is closed after the call."""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.store.db import close_database

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as error:  # noqa: BLE001 - logged, reported as a status line, never a traceback
            log.exception("Background call failed")
            self.signals.failed.emit(str(error) or type(error).__name__)
            return
        finally:
            close_database()
        self.signals.done.emit(result)


class Background(QObject):
    """``start(call)`` runs ``call`` on the pool unless the previous call still runs (then False);
    ``done(result)`` or ``failed(message)`` follow on this object's thread."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, name: str = "background") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.job: _Job | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, call: Callable[[], object]) -> bool:
        if self.job is not None:
            return False
        self.job = _Job(call)
        self.job.signals.done.connect(self._finished)
        self.job.signals.failed.connect(self._failed)
        QThreadPool.globalInstance().start(self.job)
        return True

    def _finished(self, result: object) -> None:
        self.job = None
        self.done.emit(result)

    def _failed(self, message: str) -> None:
        self.job = None
        self.failed.emit(message)
