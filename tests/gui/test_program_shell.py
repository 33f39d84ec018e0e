"""The program as an installed desktop program: its icon, one copy per user, «О программе»,
starting at log-in, the version in one place."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QLabel

from app.domain.version import program_version
from tests.gui.qt_settings import own_settings  # noqa: F401  (autouse)
from ui.shell import autostart, single_instance
from ui.shell.about import AboutDialog, licences_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_comes_from_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert program_version() == declared


def test_a_second_start_hands_over_to_the_running_copy(qtbot, tmp_path):
    """The real command line started twice: the second one brings the first forward and ends."""
    name = f"crm-test-{os.getpid()}"
    holder = QObject()  # owns the server as the main window does; deleted with the test's widgets
    server = single_instance.InstanceServer(holder, name)
    assert server.listen()
    asked = []
    server.activate.connect(lambda: asked.append(True))
    second = subprocess.Popen([sys.executable, "main.py", "--demo"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "CRM_INSTANCE_NAME": name})
    try:
        qtbot.waitUntil(lambda: bool(asked), timeout=60_000)
        assert second.wait(timeout=60) == 0  # it did not open a demo window of its own
    finally:
        if second.poll() is None:
            second.kill()
        server.close()
        holder.deleteLater()


def test_without_a_running_copy_nothing_answers(qapp):
    assert not single_instance.hand_over(f"crm-nobody-{os.getpid()}")


def test_brought_forward_from_minimised(qtbot):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    single_instance.bring_forward(window)
    assert window.isVisible() and not window.isMinimized()


def test_about_names_the_version_the_database_and_the_licences(screenshot, qtbot):
    screenshot()
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    help_menu = window.help_menu
    assert help_menu.menuAction().isVisible()
    titles = [action.text() for action in window.menuBar().actions() if action.isVisible()]
    assert titles[0] == "&Файл" and titles[-2:] == ["&Настройки", "Спр&авка"]  # as in every desktop program
    about = next(a for a in help_menu.actions() if a.objectName() == "aboutAction")
    about.trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    qtbot.waitUntil(dialog.isVisible)
    facts = dialog.findChild(QLabel, "aboutFacts").text()
    assert program_version() in facts
    assert "Демо-база" in facts and "demo.sqlite3" in facts
    assert str(Path(os.environ["XDG_STATE_HOME"])) in facts  # the log folder
    assert program_version() in window.windowTitle()
    dialog.close()


def test_licences_list_the_libraries_and_the_font():
    text = licences_text()
    for name in ("PySide6-Essentials", "peewee", "reportlab", "DejaVu"):
        assert name in text
    assert "MIT" in text  # peewee's, which its metadata does not declare


def test_autostart_entry_is_written_and_removed(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    entry = tmp_path / "autostart" / "workshop-crm.desktop"
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    assert autostart.is_enabled()
    text = entry.read_text(encoding="utf-8")
    assert "Exec=" in text and "main.py" in text and "Icon=workshop-crm" in text
    autostart.set_enabled(False)
    assert not entry.exists() and not autostart.is_enabled()


def test_the_menu_switch_turns_autostart_on(screenshot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    screenshot()
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    action = next(a for a in window.settings_menu.actions() if a.objectName() == "autostartAction")
    assert not action.isChecked()
    action.trigger()
    assert action.isChecked() and (tmp_path / "autostart" / "workshop-crm.desktop").exists()
