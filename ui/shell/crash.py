"""The crash handler: an exception nobody caught (in a slot, a timer, a thread) is written to the log
with its traceback, and the person at the PC gets a Russian message that names the log file and
offers to open its folder. The program goes on."""
from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from ui.common import msgbox

log = logging.getLogger(__name__)
TITLE = "Непредвиденная ошибка"


def crash_text(error: BaseException, log_file: Path) -> str:
    """What the person reads: what happened, that nothing more is lost, where the details are."""
    return (f"В программе произошла ошибка ({type(error).__name__}: {error}).\n\n"
            "Последнее действие могло не выполниться — проверьте его. Подробности записаны в журнал "
            f"программы:\n{log_file}\n\nОткрыть папку журнала?")


class CrashHandler(QObject):
    """Installed once; ``sys.excepthook`` and ``threading.excepthook`` come here."""

    report = Signal(str, str)  # message, folder: shown in the GUI thread whatever thread failed

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.showing = False
        self.report.connect(self._show)
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> None:
        sys.excepthook = self.on_exception
        threading.excepthook = self.on_thread_exception

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def on_exception(self, kind: type[BaseException], error: BaseException,
                     trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, error, trace)
            return
        log.critical("Unhandled exception:\n%s", "".join(traceback.format_exception(kind, error, trace)))
        self.report.emit(crash_text(error, self.log_file), str(self.log_file.parent))

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.critical("Unhandled exception in thread %s:\n%s", getattr(args.thread, "name", "?"),
                     "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
        self.report.emit(crash_text(args.exc_value, self.log_file), str(self.log_file.parent))

    def _show(self, text: str, folder: str) -> None:
        if self.showing or QApplication.instance() is None:
            return  # one message at a time: an error repeating in a timer must not stack boxes
        self.showing = True
        try:
            if msgbox.ask(None, TITLE, text):
                QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
        finally:
            self.showing = False


def previous_crash_text(report: Path) -> str:
    """The start-up note after a hard crash of the last run."""
    return ("Прошлый раз программа была закрыта аварийно. Отчёт сохранён:\n"
            f"{report}\n\nЕсли это повторится, передайте этот файл тому, кто обслуживает программу.")
