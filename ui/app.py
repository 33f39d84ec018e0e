"""Building the QApplication and the main window; the offscreen screenshot mode."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.session import Opened, default_user
from ui import multipc
from ui.main_window import MainWindow

ORGANIZATION, APPLICATION = "Manya", "workshop-crm"


def application() -> QApplication:
    """The one QApplication (created on first call)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("CRM «Детские кровати Маня»")
    return app


def workstation_of(args: argparse.Namespace) -> str:
    """The workstation mode: from the command line (and remembered), else this PC's last one."""
    settings = QSettings()
    if args.workstation:
        settings.setValue("workstation", args.workstation)
        return args.workstation
    return str(settings.value("workstation", "counter"))


def build_window(args: argparse.Namespace, opened: Opened) -> MainWindow:
    workstation = workstation_of(args)
    user = default_user(workstation, args.user)
    window = MainWindow(user, workstation, demo=opened.demo)
    multipc.install(window, opened, start=not args.screenshot)
    return window


def save_screenshot(window: MainWindow, target: Path, size: str) -> None:
    """Render the window offscreen at ``size`` («1600x900») and save it as PNG."""
    width, height = (int(v) for v in size.lower().split("x"))
    window.resize(width, height)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise OSError(f"Не удалось сохранить снимок в {target}")


def run_gui(args: argparse.Namespace, opened: Opened) -> int:
    app = application()
    window = build_window(args, opened)
    if args.screenshot:
        save_screenshot(window, Path(args.screenshot), args.size)
        return 0
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    window.show()
    return app.exec()
