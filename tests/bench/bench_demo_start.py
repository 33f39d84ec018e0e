"""Benchmark: ``python main.py --demo`` to a painted window (run by hand, not by pytest).

    python tests/bench/bench_demo_start.py [--runs 5]

Each run is a new process photographing the demo's main window offscreen (``--screenshot``, which
builds the whole window with every screen, paints it, then exits). ``window_s``: a real start
(``main.py --demo``, no screenshot) until its window is painted, when the program's event loop would
begin (the bench ends the run there: the rest of the program loads after that paint);
``ready_s``: the same until the rest has loaded too. The first run builds the demo template (in a scratch cache
folder), the others copy it, as every start of the day after the first does. The raw baseline is
a process that imports PySide6 and paints one plain window of the same size; ratio = median start /
baseline. CPU seconds (user + system of the child) are given beside the wall time: on a busy
shared machine they are the fairer number. The last stdout line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
window = QLabel("CRM")
window.resize(1366, 768)
window.show()
app.processEvents()
window.grab().save({target!r})
"""

STARTED = """
import os, sys
from PySide6.QtWidgets import QApplication

def painted(self):
    # The program calls app.exec() once its window is painted: end the run there (or, {wait!r},
    # after the events already posted: the rest of the program loading), as if it had been closed.
    for _ in range(3 if {wait!r} else 0):
        QApplication.processEvents()
    from ui.shell.logs import disarm_crash_file
    disarm_crash_file()
    os._exit(0)  # no teardown: the timers and threads the rest started are not the figure

QApplication.exec = painted
sys.path.insert(0, ".")
import main
from ui.common import window_fit
from ui.shell.app import application

application()
window_fit.simulate_screen(window_fit.parse_size("1366x768"))  # as --screenshot plays it (offscreen's own crashes)
sys.exit(main.main(["--demo"]))
"""


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-demo-"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(folder / "cache"),
           "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data"),
           "XDG_STATE_HOME": str(folder / "state"),
           "CRM_INSTANCE_NAME": f"bench-demo-{os.getpid()}"}  # never hand over to a copy someone else runs
    shot = str(folder / "shot.png")
    start = [sys.executable, "main.py", "--demo", "--size", "1366x768", "--screenshot", shot]
    first = _run(start, env)
    again = [_run(start, env) for _ in range(args.runs)]
    painted = [_run([sys.executable, "-c", STARTED.format(wait=False)], env) for _ in range(args.runs)]
    ready = [_run([sys.executable, "-c", STARTED.format(wait=True)], env) for _ in range(args.runs)]
    baseline = [_run([sys.executable, "-c", BASELINE.format(target=shot)], env) for _ in range(args.runs)]
    wall = statistics.median(w for w, _ in again)
    raw = statistics.median(w for w, _ in baseline)
    print(json.dumps({
        "first_start_s": round(first[0], 2), "first_start_cpu_s": round(first[1], 2),
        "start_s": round(wall, 2), "start_cpu_s": round(statistics.median(c for _, c in again), 2),
        "window_s": round(statistics.median(w for w, _ in painted), 2),
        "window_cpu_s": round(statistics.median(c for _, c in painted), 2),
        "ready_s": round(statistics.median(w for w, _ in ready), 2),
        "ready_cpu_s": round(statistics.median(c for _, c in ready), 2),
        "raw_window_s": round(raw, 2), "raw_window_cpu_s": round(statistics.median(c for _, c in baseline), 2),
        "ratio": round(wall / raw, 1),
        "ratio_window": round(statistics.median(w for w, _ in painted) / raw, 1),
        "runs": args.runs, "load_average": round(os.getloadavg()[0], 1),
        "target_s": 1.0}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
