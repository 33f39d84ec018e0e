"""Backups with attached files, rotation, restore, and the integrity check that finds damage."""
from __future__ import annotations

import shutil
import stat
import zipfile
from datetime import datetime, timedelta

import pytest

import main
from app.services import notes
from app.store import backups, files
from app.store.connection import open_database
from app.store.db import close_database
from app.store.integrity import DatabaseDamagedError, check_sqlite_file
from app.store.models import Attachment, Deal
from app.store.session import open_for_run
from tests.domain.helpers import new_deal


@pytest.fixture
def shop(tmp_path, fake_clock):
    """A shop's SQLite file with a deal and an attached drawing, files beside it."""
    path = tmp_path / "shop" / "crm.sqlite3"
    files.set_files_root(path.parent / "files")
    open_database(f"sqlite:///{path}")
    deal = new_deal(None, name="Краева Ольга (МИА)")
    drawing = tmp_path / "чертёж.pdf"
    drawing.write_bytes(b"%PDF drawing of the bed")
    notes.attach_file(deal.id, None, drawing, "drawing")
    yield path
    close_database()
    files.set_files_root(None)


def test_backup_and_restore_round_trip_with_files(shop, fake_clock):
    backup = backups.backup_sqlite(shop, shop.parent / "files")
    assert backup.parent == shop.parent / "backups"
    new_deal(None, name="Сделка после копии")
    stored = files.path_of(Attachment.get().stored_name)
    stored.unlink()
    close_database()

    assert main.main(["--db", f"sqlite:///{shop}", "restore", str(backup)]) == 0

    open_database(f"sqlite:///{shop}")
    assert [d.name for d in Deal.select()] == ["Краева Ольга (МИА)"]
    assert files.path_of(Attachment.get().stored_name).read_bytes() == b"%PDF drawing of the bed"
    (safety,) = (shop.parent / "backups").glob("*-before-restore.zip")
    with zipfile.ZipFile(safety) as archive:
        assert backups.DB_MEMBER in archive.namelist()


def test_backup_is_consistent_while_the_program_writes(shop, fake_clock):
    open_tx_deal = None
    from app.store.db import database

    with database.atomic():  # a transaction still open while the backup runs
        open_tx_deal = new_deal(None, name="Не закоммичено")
        backup = backups.backup_sqlite(shop, None)
    with zipfile.ZipFile(backup) as archive:
        archive.extract(backups.DB_MEMBER, shop.parent / "check")
    copy = shop.parent / "check" / backups.DB_MEMBER
    assert check_sqlite_file(copy).ok
    import sqlite3

    with sqlite3.connect(copy) as raw:
        names = [row[0] for row in raw.execute("SELECT name FROM deal")]
    assert names == ["Краева Ольга (МИА)"] and open_tx_deal.name not in names


def test_rotation_keeps_7_daily_and_4_weekly():
    start = datetime(2025, 3, 3, 6, 0)  # a Monday, 09:00 in the shop
    stamps = [start + timedelta(days=d, hours=h) for d in range(60) for h in (0, 5)]
    kept = backups.to_keep(stamps)
    newest_days = {start + timedelta(days=d, hours=5) for d in range(53, 60)}
    assert newest_days <= kept
    weekly = kept - newest_days
    assert len(weekly) <= 4 and all(stamp.hour == 11 for stamp in weekly)  # the newest of its day
    assert len(kept) <= 11


def test_rotation_deletes_old_zips_and_due_after_a_day(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2025, 3, 3, 6, 0)
    for day in range(40):
        (folder / f"crm-{(start + timedelta(days=day)).strftime('%Y%m%d-%H%M%S')}.zip").write_bytes(b"")
    (folder / "notes.txt").write_text("не трогать")
    backups.rotate(folder)
    left = backups.list_backups(folder)
    # the last 7 days (5–11 April), and the newest of each of the last 4 weeks: two of them are
    # among those days, the other two are 23 and 30 March
    assert [p.name[4:12] for p in left] == ["20250323", "20250330"] + [f"202504{d:02d}" for d in range(5, 12)]
    assert (folder / "notes.txt").exists()
    last = backups.stamp_of(left[-1])
    assert not backups.is_due(folder, last + timedelta(hours=23))
    assert backups.is_due(folder, last + timedelta(hours=24))


def _damage(path):
    """Overwrite the middle pages of the file with garbage, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6), 7):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


def test_damaged_copy_is_detected_with_a_clear_message(shop, tmp_path):
    for n in range(60):
        new_deal(None, name=f"Заказ {n}", products="Ярус " * 40)
    close_database()
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(shop, copy)
    assert check_sqlite_file(copy).ok
    _damage(copy)
    result = check_sqlite_file(copy)
    assert not result.ok
    assert "повреждён" in result.message and "резервную копию" in result.message
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 1000)
    assert not check_sqlite_file(garbage).ok
    open_database(f"sqlite:///{shop}")  # the shop fixture closes it


def test_start_refuses_damaged_file_and_names_latest_backup(shop, tmp_path):
    for n in range(60):
        new_deal(None, name=f"Заказ {n}", products="Ярус " * 40)
    backup = backups.backup_sqlite(shop, shop.parent / "files")
    close_database()
    _damage(shop)
    with pytest.raises(DatabaseDamagedError) as damaged:
        open_for_run(f"sqlite:///{shop}")
    assert damaged.value.latest_backup == backup
    backups.restore(backup, shop, shop.parent / "files")
    opened = open_for_run(f"sqlite:///{shop}")
    assert Deal.select().count() == 61 and opened.url.endswith("crm.sqlite3")


def test_damaged_backup_is_refused(shop, tmp_path):
    backup = backups.backup_sqlite(shop, None)
    broken = tmp_path / "crm-20250101-000000.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr(backups.DB_MEMBER, b"not a database" * 500)
    close_database()
    with pytest.raises(backups.BackupError, match="повреждена"):
        backups.restore(broken, shop, shop.parent / "files")
    assert main.main(["--db", f"sqlite:///{shop}", "restore", str(tmp_path / "nothing.zip")]) == 1
    open_database(f"sqlite:///{shop}")
    assert Deal.select().count() == 1 and backup.exists()


def test_pg_dump_missing_gives_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(backups.BackupError, match="pg_dump не найдена"):
        backups.backup_postgres("postgresql://u:secret@server:5432/crm", None, tmp_path)


def test_pg_dump_gets_password_from_environment(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/pg_dump")
    command, env = backups.pg_dump_command("postgresql://shop:p%40ss@10.0.0.5:5432/crm")
    assert env["PGPASSWORD"] == "p@ss" and "p%40ss" not in " ".join(command)
    assert command[-1] == "postgresql://shop@10.0.0.5:5432/crm"


def test_fallback_file_mode_is_private(tmp_path):
    from app.store.password_store import PasswordStore

    store = PasswordStore(tmp_path / "secrets.json")
    store._write_file({"a": "b"})
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
