"""The screenshot mode run in this process on a copy of the session's demo shop."""
from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QEvent, QSettings, QThreadPool, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.store import files
from app.store.connection import open_database
from app.store.db import close_database
from app.store.session import Opened
from tests.conftest import copy_demo


@pytest.fixture(autouse=True)
def desktop_screen():
    """Windows open on a 1920×1080 screen played by ``window_fit`` (the offscreen one is 800×800),
    whatever an earlier test (a screenshot at 1280×800) played."""
    from PySide6.QtCore import QSize

    from ui.common import window_fit

    window_fit.simulate_screen(QSize(1920, 1080))
    yield
    window_fit.simulate_screen(QSize(1920, 1080))


@pytest.fixture
def own_qsettings(qapp, tmp_path):
    """QSettings() of this test only (the program names the application and writes the workstation)."""
    names = qapp.organizationName(), qapp.applicationName(), qapp.applicationDisplayName()
    formats = (QSettings.Format.NativeFormat, QSettings.Format.IniFormat)
    for kind in formats:
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    for kind in formats:
        QSettings.setPath(kind, QSettings.Scope.UserScope, os.environ["XDG_CONFIG_HOME"])
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])
    qapp.setApplicationDisplayName(names[2])


@pytest.fixture
def screenshot(demo_shop, tmp_path, fake_clock, qapp, own_qsettings):
    """``screenshot("--workstation", "workshop", …)`` does what ``main.py --demo --screenshot FILE …``
    does — the same arguments, the same run_gui — on a copy of the session's demo shop instead of a
    new one, and returns the picture. (tests/gui/test_main.py runs the real command line.)"""
    import main
    from ui.shell.app import run_gui

    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    copy_demo(demo_shop, url, tmp_path / "files")
    files.set_files_root(tmp_path / "files")
    opened = Opened(open_database(url), url, True)
    before = set(QApplication.topLevelWidgets())

    def take(*argv: str) -> QImage:
        target = tmp_path / f"screenshot-{len(list(tmp_path.glob('screenshot-*.png')))}.png"
        args = main.build_parser().parse_args(["--demo", *argv, "--screenshot", str(target)])
        assert run_gui(args, opened) == 0
        return QImage(str(target))

    yield take
    QThreadPool.globalInstance().waitForDone()  # a background job still reading the database
    for widget in set(QApplication.topLevelWidgets()) - before:
        if widget.parentWidget() is None:  # the main window, a deal card
            for timer in widget.findChildren(QTimer):
                timer.stop()  # no reminder check or refresh after this test
            widget.close()
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    close_database()
    files.set_files_root(None)
