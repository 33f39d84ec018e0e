"""A process that restores a backup (or makes one) and dies at its ``step``-th file-system step, for the
crash tests of tests/domain/test_backups.py (run with multiprocessing's fork context)."""
from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

KILLED = 9


def _dying_at(step: int):
    """Patch the file-system steps of a restore or backup so the ``step``-th one kills the process
    before it happens (as a pulled plug would)."""
    count = [0]

    def guard(original):
        def wrapped(*args, **kwargs):
            count[0] += 1
            if count[0] == step:
                os._exit(KILLED)
            return original(*args, **kwargs)
        return wrapped

    os.replace = guard(os.replace)
    shutil.rmtree = guard(shutil.rmtree)
    Path.write_text = guard(Path.write_text)
    Path.rename = guard(Path.rename)
    zipfile.ZipFile.extract = guard(zipfile.ZipFile.extract)
    zipfile.ZipFile.write = guard(zipfile.ZipFile.write)
    zipfile.ZipFile.writestr = guard(zipfile.ZipFile.writestr)


def restore_until(step: int, backup: str, db_path: str, files_dir: str) -> None:
    from app.store import backups

    _dying_at(step)
    backups.restore(Path(backup), Path(db_path), Path(files_dir))


def backup_until(step: int, db_path: str, files_dir: str) -> None:
    from app.store import backups

    _dying_at(step)
    backups.backup_sqlite(Path(db_path), Path(files_dir))
