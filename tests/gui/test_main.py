"""The program starts: the main window on a demo database, and the screenshot mode."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _run_main(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *argv], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_demo_screenshot_from_the_command_line(tmp_path):
    """The real command line: a new demo shop, the window photographed, the process ends."""
    target = tmp_path / "main.png"
    run = _run_main("--demo", "--workstation", "counter", "--screenshot", str(target))
    assert run.returncode == 0, run.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1600, 900)


@pytest.mark.parametrize("size", ["1600x900", "1280x800"])
def test_demo_counter_screenshot_keeps_the_asked_size(screenshot, size):
    """The counter window (board, filters, reminders panel) fits a 1280×800 screen too."""
    image = screenshot("--workstation", "counter", "--size", size)
    assert f"{image.width()}x{image.height()}" == size


def test_qt_dialogs_speak_russian(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.shell.app import application

    application()
    application()  # a second call installs nothing twice
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Close)
    assert {button.text() for button in box.buttons()} == {"Отмена", "Закрыть"}


def test_screenshot_of_a_real_database_shows_the_sign_in_without_signing_in(tmp_path):
    from app.services.people import create_user
    from app.store.connection import open_database
    from app.store.db import close_database

    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    open_database(url)
    create_user("admin", "Администратор", "admin")
    close_database()
    target = tmp_path / "start.png"
    run = _run_main("--db", url, "--screenshot", str(target))
    assert run.returncode == 0, run.stderr
    image = QImage(str(target))
    assert 200 < image.width() < 1000 and image.height() > 100  # the dialog, not a 1600×900 window


def test_an_error_in_a_screenshot_run_ends_it_and_is_logged(tmp_path):
    """Nobody is there to answer a message box: the run stops with the error, written to the log."""
    from ui.shell.logs import LOG_FILE, log_dir

    run = _run_main("--demo", "--workstation", "counter", "--show", "deal:9999",
                    "--screenshot", str(tmp_path / "x.png"))
    assert run.returncode != 0 and not (tmp_path / "x.png").exists()
    logged = (log_dir() / LOG_FILE).read_text(encoding="utf-8")
    assert "The program stopped on an error" in logged and "9999" in logged


def test_a_start_reads_its_options_without_loading_the_commands():
    import main

    args = main.parse_arguments(["--demo", "--size", "1366x768", "--workstation", "workshop"])
    assert (args.demo, args.size, args.workstation, args.command) == (True, "1366x768", "workshop", None)
    report = main.parse_arguments(["--demo", "report", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "r.pdf"])
    assert report.command == "report" and report.demo
