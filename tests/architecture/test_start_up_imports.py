"""Opening the program's window must not wait for what only printing needs: reportlab and pypdf take a
second to load, pymorphy3's dictionary half a second; each loads on its first use."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "pypdf", "num2words", "pymorphy3", "pyqtgraph", "openpyxl")


def test_the_window_and_the_command_line_load_no_printing_libraries():
    code = ("import sys, main; main.build_parser(); import ui.shell.app, ui.shell.main_window, ui.deal.card; "
            f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == ""


def test_the_first_paint_waits_for_no_network_keyring_or_later_screens():
    """What a start loads before its window is painted (``start_window``): not the HTTP client, the
    keyring, the command-line commands or the screens ``finish_window`` installs after the paint."""
    later = ("httpx", "keyring", "app.cli.amocrm", "ui.analytics.screen", "ui.cutsheets.screen",
             "ui.amocrm.import_dialog", "ui.sms.install", "ui.mail.install")
    code = ("import sys, main; main.parse_arguments(['--demo']); import ui.shell.app; "
            f"print(' '.join(name for name in {later!r} if name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == ""
