"""The program's log: a rotating file in the platform's user log folder, and a crash file.

``faulthandler`` writes into the crash file when the process dies hard (a segfault in Qt, a fatal
Python error); an orderly exit leaves it empty. The next start finds a non-empty crash file, keeps it
under a dated name and says so. No Qt here: the command-line run logs the same way.
"""
from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from datetime import datetime
from pathlib import Path
from typing import IO

import platformdirs

from app.store.db import APP_AUTHOR, APP_NAME

LOG_FILE = "workshop-crm.log"
CRASH_FILE = "crash.txt"
LOG_BYTES, LOG_BACKUPS = 2 * 1024 * 1024, 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_crash_stream: IO[str] | None = None  # kept open for faulthandler while the program runs


def log_dir() -> Path:
    """This user's log folder (created on first use)."""
    folder = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup_logging(folder: Path | None = None) -> Path:
    """Send the program's log records (INFO and above) to the rotating log file; returns its path."""
    folder = folder or log_dir()
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path  # already set up (a second window, a test)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return path


def arm_crash_file(folder: Path | None = None) -> Path | None:
    """Let ``faulthandler`` write a hard crash into the crash file; returns the previous run's crash
    report (kept as ``crash-<date>.txt``) when the last run died, else None."""
    global _crash_stream
    folder = folder or log_dir()
    path = folder / CRASH_FILE
    previous = None
    if path.exists() and path.stat().st_size > 0:
        previous = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.replace(previous)
        logging.getLogger(__name__).error("The previous run crashed; its report is %s", previous)
    if _crash_stream is not None:
        faulthandler.disable()
        _crash_stream.close()
    _crash_stream = path.open("w", encoding="utf-8")
    faulthandler.enable(_crash_stream, all_threads=True)
    return previous


def disarm_crash_file() -> None:
    """An orderly exit: stop writing crashes and leave the crash file empty."""
    global _crash_stream
    if _crash_stream is None:
        return
    faulthandler.disable()
    name = _crash_stream.name
    _crash_stream.close()
    _crash_stream = None
    Path(name).write_text("", encoding="utf-8")
