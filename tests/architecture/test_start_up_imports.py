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
