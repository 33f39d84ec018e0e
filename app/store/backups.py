"""Consistent backups of the shop's SQLite database with its attached files, rotated, and restore.

A backup is one zip beside the database (``backups/crm-YYYYMMDD-HHMMSS.zip``) holding ``crm.sqlite3``
(made with SQLite's online backup API, so it is consistent while the program works) and ``files/``.
Kept: the newest backup of each of the last 7 days that have one, and of each of the last 4 weeks.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.domain import clock
from app.store import migrations
from app.store.db import copy_sqlite
from app.store.integrity import check_sqlite_file

DB_MEMBER = "crm.sqlite3"
PG_MEMBER = "crm.pgdump"
FILES_MEMBER = "files/"
MANIFEST = "backup.json"
KEEP_DAILY, KEEP_WEEKLY = 7, 4
KEEP_BEFORE_RESTORE = 3
BEFORE_RESTORE = "-before-restore.zip"
WORK_PREFIX = ".crm-work-"
READY, OLD_FILES = "READY", "old-files"
EVERY = timedelta(days=1)
_NAME = re.compile(r"^crm-(\d{8}-\d{6})\.zip$")
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why, in Russian."""


@dataclass(frozen=True)
class Restored:
    database: Path
    files: int
    safety_copy: Path | None  # the state before the restore, kept as a backup


def backups_dir(db_path: Path) -> Path:
    """The backups folder beside the database file."""
    return db_path.parent / "backups"


def stamp_of(path: Path) -> datetime | None:
    """When the backup ``path`` was made (UTC), from its name; None for other files."""
    match = _NAME.match(path.name)
    return datetime.strptime(match.group(1), _STAMP) if match else None


def list_backups(folder: Path) -> list[Path]:
    """Backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if stamp_of(p) is not None), key=stamp_of)


def latest_backup(folder: Path) -> Path | None:
    found = list_backups(folder)
    return found[-1] if found else None


def is_due(folder: Path, now: datetime | None = None) -> bool:
    """Whether a day has passed since the newest backup (or there is none)."""
    last = latest_backup(folder)
    return last is None or (now or clock.now()) - stamp_of(last) >= EVERY


def to_keep(stamps: list[datetime], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> set[datetime]:
    """The newest stamp of each of the last ``daily`` days and ``weekly`` ISO weeks (shop time)."""
    newest_of_day: dict = {}
    newest_of_week: dict = {}
    for stamp in sorted(stamps):
        local = clock.to_local(stamp).date()
        newest_of_day[local] = stamp
        newest_of_week[tuple(local.isocalendar())[:2]] = stamp
    days = sorted(newest_of_day)[-daily:] if daily else []
    weeks = sorted(newest_of_week)[-weekly:] if weekly else []
    return {newest_of_day[d] for d in days} | {newest_of_week[w] for w in weeks}


def rotate(folder: Path) -> list[Path]:
    """Delete the backups ``to_keep`` does not keep; returns the deleted ones."""
    found = list_backups(folder)
    keep = to_keep([stamp_of(p) for p in found])
    gone = [p for p in found if stamp_of(p) not in keep]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def _add_files(archive: zipfile.ZipFile, files_dir: Path | None) -> int:
    count = 0
    if files_dir is not None and files_dir.is_dir():
        for path in sorted(files_dir.rglob("*")):
            if path.is_file():
                archive.write(path, FILES_MEMBER + path.relative_to(files_dir).as_posix())
                count += 1
    return count


def write_archive(folder: Path, payload: Path, member: str, files_dir: Path | None,
                  now: datetime | None = None) -> Path:
    """Zip ``payload`` (as ``member``) and the files folder into ``folder``; written under a temporary
    name first, so a crash never leaves a half backup that looks whole."""
    now = now or clock.now()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"crm-{now.strftime(_STAMP)}.zip"
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.write(payload, member)
        count = _add_files(archive, files_dir)
        archive.writestr(MANIFEST, json.dumps({"made": now.isoformat(), "database": member, "files": count}))
    os.replace(partial, target)
    return target


def backup_sqlite(db_path: Path, files_dir: Path | None, folder: Path | None = None,
                  now: datetime | None = None) -> Path:
    """A consistent backup of the live database and its files; then rotation. Returns the zip."""
    folder = folder or backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=folder) as work:  # tidied at start if killed
        copy = Path(work) / DB_MEMBER
        copy_sqlite(db_path, copy, timeout=30)
        target = write_archive(folder, copy, DB_MEMBER, files_dir, now)
    rotate(folder)
    return target


def _check_archive(backup: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(backup)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Не удаётся открыть резервную копию {backup.name}: это не zip-архив "
                          f"или файл повреждён.") from error
    names = set(archive.namelist())
    if PG_MEMBER in names:
        archive.close()
        raise BackupError(f"{backup.name} — копия базы PostgreSQL: восстановите её командой pg_restore "
                          f"(рецепт в README, раздел «Несколько компьютеров»).")
    if DB_MEMBER not in names:
        archive.close()
        raise BackupError(f"{backup.name} не похож на резервную копию программы (нет {DB_MEMBER}).")
    return archive


def check_database_file(path: Path, name: str) -> None:
    """Refuse a database this program cannot take in (BackupError in Russian): damaged, empty, another
    program's, or written by a newer version."""
    result = check_sqlite_file(path)
    if not result.ok:
        raise BackupError(f"Резервная копия {name} сама повреждена: {result.message}")
    version = schema_version_of(path)
    if version is None:
        raise BackupError(f"{name} — не резервная копия этой программы (в базе нет её таблиц).")
    if version > migrations.latest():
        raise BackupError(f"{name} сделана более новой версией программы (схема {version}, эта программа "
                          f"знает до {migrations.latest()}). Сначала обновите программу.")


def schema_version_of(path: Path) -> int | None:
    """The schema version recorded in the SQLite file (None: not a database of this program)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"schema_version", "deal", "user"} <= tables:
                return None
            row = conn.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row and isinstance(row[0], int) and row[0] > 0 else None


def usable(backup: Path) -> bool:
    """Whether ``backup`` passes the checks ``restore`` makes — this program's SQLite backup, its
    checksums holding, the database inside of a schema this program reads — so the start-up offer
    never proposes one that restore would refuse."""
    try:
        with _check_archive(backup) as archive, tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
            if archive.testzip() is not None:
                return False
            archive.extract(DB_MEMBER, work)
            version = schema_version_of(Path(work) / DB_MEMBER)
            return version is not None and version <= migrations.latest()
    except (BackupError, zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return False


def latest_usable(folder: Path) -> Path | None:
    """The newest backup in ``folder`` that ``usable`` accepts."""
    return next((path for path in reversed(list_backups(folder)) if usable(path)), None)


def _safety_copy(db_path: Path, files_dir: Path, folder: Path) -> Path | None:
    """Keep what is there now (even a damaged file) as a backup before it is replaced."""
    if not db_path.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=folder) as work:
        raw = Path(work) / DB_MEMBER
        shutil.copyfile(db_path, raw)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, raw.with_name(raw.name + "-wal"))
        target = write_archive(folder, raw, DB_MEMBER, files_dir, clock.now() + timedelta(seconds=1))
    safety = target.rename(target.with_name(target.stem + BEFORE_RESTORE))
    rotate_before_restore(folder)
    return safety


def rotate_before_restore(folder: Path, keep: int = KEEP_BEFORE_RESTORE) -> list[Path]:
    """Keep only the newest ``keep`` copies made before restores; returns the deleted ones."""
    found = sorted(folder.glob(f"crm-*{BEFORE_RESTORE}"))
    gone = found[:-keep] if keep else found
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def staging_dir(db_path: Path) -> Path:
    """Where a restore puts the new database and files before swapping them in."""
    return db_path.with_name(db_path.name + ".restore")


def restore(backup: Path, db_path: Path, files_dir: Path) -> Restored:
    """Replace the database file and the files folder with those of ``backup`` (a closed database!),
    all or nothing: both are staged beside the database, marked ready, then swapped in by renames; a
    restore killed before the mark leaves the old state, one killed after it is finished by the next
    start (``finish_interrupted_restore``). The backup is checked first; the present state is kept as
    ``…-before-restore.zip`` in the backups folder."""
    finish_interrupted_restore(db_path, files_dir)
    staging = staging_dir(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _check_archive(backup) as archive:
            staging.mkdir()
            archive.extract(DB_MEMBER, staging)
            check_database_file(staging / DB_MEMBER, backup.name)
            members = [n for n in archive.namelist() if n.startswith(FILES_MEMBER) and not n.endswith("/")]
            for name in members:
                archive.extract(name, staging)
            (staging / FILES_MEMBER).mkdir(exist_ok=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"Резервная копия {backup.name} повреждена (контрольные суммы не сходятся "
                          f"или архив обрезан); ничего не заменено.") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    safety = _safety_copy(db_path, files_dir, backups_dir(db_path))
    _fsync_tree(staging)
    (staging / READY).write_text("ready", encoding="utf-8")
    _fsync_tree(staging)
    _swap_in(staging, db_path, files_dir)
    return Restored(db_path, len(members), safety)


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _swap_in(staging: Path, db_path: Path, files_dir: Path) -> None:
    """Move a ready staging in; every step can be repeated, so a killed swap is finished by rerunning."""
    old_files = staging / OLD_FILES
    new_files = staging / FILES_MEMBER.rstrip("/")
    if new_files.exists():
        if files_dir.exists() and not old_files.exists():
            os.replace(files_dir, old_files)
        files_dir.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new_files, files_dir)
    new_db = staging / DB_MEMBER
    if new_db.exists():
        for suffix in ("-wal", "-shm"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        os.replace(new_db, db_path)
    shutil.rmtree(staging, ignore_errors=True)


def finish_interrupted_restore(db_path: Path, files_dir: Path) -> str:
    """At start: a restore killed after its ready mark is finished, one killed before is dropped
    (the old database and files are untouched); returns what was done ("" when nothing)."""
    staging = staging_dir(db_path)
    if not staging.exists():
        return ""
    if (staging / READY).exists():
        _swap_in(staging, db_path, files_dir)
        return "finished"
    shutil.rmtree(staging, ignore_errors=True)
    return "dropped"


def tidy(db_path: Path, files_dir: Path) -> None:
    """At start: finish or drop an interrupted restore; delete what interrupted backups left (part
    files, work folders)."""
    finish_interrupted_restore(db_path, files_dir)
    folder = backups_dir(db_path)
    if folder.is_dir():
        for path in folder.iterdir():
            if path.suffix == ".part":
                path.unlink(missing_ok=True)
            elif path.is_dir() and path.name.startswith(WORK_PREFIX):
                shutil.rmtree(path, ignore_errors=True)


def pg_dump_command(url: str) -> tuple[list[str], dict[str, str]]:
    """The pg_dump call for ``url`` (password passed in the environment, not on the command line)."""
    from urllib.parse import unquote, urlparse

    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupError("Программа pg_dump не найдена. Установите клиент PostgreSQL (пакет "
                          "postgresql-client) или сделайте копию на сервере по рецепту из README.")
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
    netloc = parsed.hostname or ""
    if parsed.username:
        netloc = f"{parsed.username}@{netloc}"
    if parsed.port:
        netloc += f":{parsed.port}"
    return [exe, "--format=custom", "--no-owner", "--dbname", f"postgresql://{netloc}{parsed.path}"], env


def backup_postgres(url: str, files_dir: Path | None, folder: Path, now: datetime | None = None) -> Path:
    """«Создать резервную копию» on PostgreSQL: pg_dump (custom format) and the files, zipped."""
    import subprocess

    command, env = pg_dump_command(url)
    with tempfile.TemporaryDirectory(prefix="crm-pgdump-") as work:
        dump = Path(work) / PG_MEMBER
        run = subprocess.run([*command, "--file", str(dump)], env=env, capture_output=True, text=True,
                             timeout=3600)
        if run.returncode != 0:
            raise BackupError(f"pg_dump не смог сделать копию: {run.stderr.strip()}")
        target = write_archive(folder, dump, PG_MEMBER, files_dir, now)
    rotate(folder)
    return target
