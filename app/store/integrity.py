"""SQLite's own check of the database file (``PRAGMA integrity_check``), with a clear Russian verdict."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class IntegrityResult:
    ok: bool
    message: str
    problems: tuple[str, ...] = ()


class DatabaseDamagedError(RuntimeError):
    """The database file failed the integrity check at start; ``latest_backup`` may restore it."""

    def __init__(self, path: Path, result: IntegrityResult, latest_backup: Path | None) -> None:
        self.path, self.result, self.latest_backup = path, result, latest_backup
        super().__init__(result.message)


def check_sqlite_file(path: Path) -> IntegrityResult:
    """Run ``PRAGMA integrity_check`` on the file at ``path`` (which must exist)."""
    try:
        conn = sqlite3.connect(str(path), timeout=10)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        rows = [str(error)]
    if rows == ["ok"]:
        return IntegrityResult(True, f"База данных {path.name} проверена: ошибок нет.")
    shown = "; ".join(rows[:SHOWN_PROBLEMS]) + (f" и ещё {len(rows) - SHOWN_PROBLEMS}"
                                                 if len(rows) > SHOWN_PROBLEMS else "")
    return IntegrityResult(
        False, f"Файл базы данных {path} повреждён (проверка SQLite: {shown}). Работать с ним "
               f"нельзя: восстановите последнюю резервную копию.", tuple(rows))
