"""An uncaught error is logged with its traceback and explained; a hard crash is reported next start."""
from __future__ import annotations

import faulthandler
import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from ui.shell import crash, logs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_file(tmp_path):
    path = logs.setup_logging(tmp_path)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def handler(qapp, log_file, monkeypatch):
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr("ui.common.msgbox.ask", lambda _parent, title, text: asked.append((title, text)) or False)
    installed = crash.CrashHandler(log_file)
    installed.install()
    installed.asked = asked
    yield installed
    installed.uninstall()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_explained(qtbot, handler, log_file):
    button = QPushButton("Сделать")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError("сломалось на кнопке")

    button.clicked.connect(broken)
    button.click()
    qtbot.waitUntil(lambda: bool(handler.asked))
    title, text = handler.asked[0]
    assert title == "Непредвиденная ошибка"
    assert str(log_file) in text and "сломалось на кнопке" in text and "Открыть папку журнала?" in text
    written = log_file.read_text(encoding="utf-8")
    assert "Traceback" in written and "in broken" in written and "RuntimeError: сломалось на кнопке" in written


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_is_shown_in_the_window_thread(qtbot, handler, log_file):
    worker = threading.Thread(target=lambda: 1 / 0, name="печать")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(handler.asked))
    assert "ZeroDivisionError" in handler.asked[0][1]
    assert "thread печать" in log_file.read_text(encoding="utf-8")


@pytest.fixture
def pytest_faulthandler_back():
    yield
    faulthandler.enable(sys.stderr)  # what pytest had before the test armed its own crash file


def test_a_hard_crash_is_reported_at_the_next_start(tmp_path, pytest_faulthandler_back):
    code = ("import faulthandler, sys; from pathlib import Path; from ui.shell.logs import arm_crash_file; "
            f"arm_crash_file(Path({str(tmp_path)!r})); faulthandler._sigsegv()")
    died = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert died.returncode != 0
    report = logs.arm_crash_file(tmp_path)
    assert report is not None and report.name.startswith("crash-")
    assert "Fatal Python error" in report.read_text(encoding="utf-8")
    logs.disarm_crash_file()
    assert logs.arm_crash_file(tmp_path) is None  # an orderly exit leaves nothing to report
    logs.disarm_crash_file()
    assert str(report) in crash.previous_crash_text(report)


def test_a_failed_background_pack_is_logged_with_its_traceback(db, caplog):
    from ui.cutsheets.printing import PackJob

    job = PackJob(999, Path("/nonexistent/pack.pdf"))
    failures: list[str] = []
    job.signals.failed.connect(failures.append)
    with caplog.at_level(logging.ERROR):
        job.run()
    assert failures and "№999" in failures[0]
    assert any(record.exc_info for record in caplog.records if "999" in record.getMessage())
