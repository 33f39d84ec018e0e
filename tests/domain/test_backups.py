"""Backups with attached files, rotation, restore, and the integrity check that finds damage."""
from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import stat
import zipfile
from contextlib import closing
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
from tests import restore_worker
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


def _state(db_path, files_dir):
    """What a user would see: the deals' names and every stored file's bytes."""
    with closing(sqlite3.connect(db_path)) as conn:
        names = sorted(row[0] for row in conn.execute("SELECT name FROM deal"))
    stored = {p.relative_to(files_dir).as_posix(): p.read_bytes() for p in files_dir.rglob("*") if p.is_file()}
    return names, stored


def _zip_with(tmp_path, name, database: bytes | None = None, *, from_file=None):
    archive_path = tmp_path / name
    with zipfile.ZipFile(archive_path, "w") as archive:
        if from_file is not None:
            archive.write(from_file, backups.DB_MEMBER)
        else:
            archive.writestr(backups.DB_MEMBER, database or b"")
    return archive_path


def test_restore_refuses_what_is_not_a_backup_of_this_program(shop, tmp_path):
    files_dir = shop.parent / "files"
    close_database()
    before = _state(shop, files_dir)
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    foreign = tmp_path / "foreign.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.commit()
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(shop, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE schema_version SET version = 999")
        conn.commit()
    good = backups.backup_sqlite(shop, files_dir, tmp_path / "good")
    bad_crc = tmp_path / "crm-20250102-000000.zip"
    data = bytearray(good.read_bytes())
    data[60:64] = b"XXXX"  # inside the database member's compressed bytes
    bad_crc.write_bytes(bytes(data))
    cases = {"пустая": _zip_with(tmp_path, "a.zip", from_file=empty),
             "чужая": _zip_with(tmp_path, "b.zip", from_file=foreign),
             "новее": _zip_with(tmp_path, "c.zip", from_file=newer),
             "crc": bad_crc}
    messages = {}
    for case, archive in cases.items():
        with pytest.raises(backups.BackupError) as refused:
            backups.restore(archive, shop, files_dir)
        messages[case] = str(refused.value)
        assert _state(shop, files_dir) == before, case  # nothing replaced
        assert not backups.staging_dir(shop).exists()
    assert "не резервная копия этой программы" in messages["пустая"] and "не резервная копия" in messages["чужая"]
    assert "более новой версией" in messages["новее"] and "повреждена" in messages["crc"]
    assert not backups.usable(bad_crc) and backups.usable(good)
    # the start-up offer skips what restore would refuse
    assert not any(backups.usable(cases[case]) for case in ("пустая", "чужая", "новее"))
    assert main.main(["--db", f"sqlite:///{shop}", "restore", str(cases["новее"])]) == 1
    open_database(f"sqlite:///{shop}")


def _two_states(shop, tmp_path):
    """The shop now (old state) and a backup of another state (new), with different files."""
    files_dir = shop.parent / "files"
    for n in range(3):
        new_deal(None, name=f"Новая {n}")
    (files_dir / "1" / "extra.txt").parent.mkdir(parents=True, exist_ok=True)
    (files_dir / "1" / "extra.txt").write_bytes(b"new state's file")
    backup = backups.backup_sqlite(shop, files_dir, tmp_path / "kept")
    new = _state(shop, files_dir)
    Deal.delete().where(Deal.name.startswith("Новая")).execute()
    (files_dir / "1" / "extra.txt").unlink()
    (files_dir / "1" / "old.txt").write_bytes(b"old state's file")
    close_database()
    return backup, files_dir, _state(shop, files_dir), new


def test_a_restore_killed_at_any_step_leaves_the_old_state_or_the_new(shop, tmp_path):
    backup, files_dir, old, new = _two_states(shop, tmp_path)
    pristine = tmp_path / "pristine"
    shutil.copytree(shop.parent, pristine)
    ctx = multiprocessing.get_context("fork")
    outcomes = []
    for step in range(1, 60):  # bounded: a restore of this shop takes far fewer steps
        shutil.rmtree(shop.parent)
        shutil.copytree(pristine, shop.parent)
        child = ctx.Process(target=restore_worker.restore_until, args=(step, str(backup), str(shop), str(files_dir)))
        child.start()
        child.join(60)
        backups.tidy(shop, files_dir)  # the next start
        state = _state(shop, files_dir)
        assert state in (old, new), f"killed at step {step}: a mixture"
        outcomes.append(state == new)
        assert not backups.staging_dir(shop).exists()
        if child.exitcode == 0:
            break
    assert outcomes[-1] and not outcomes[0]  # the last run finished; the first was killed before any change
    assert len(outcomes) > 5
    open_database(f"sqlite:///{shop}")


def test_a_backup_killed_at_any_step_leaves_no_part_files(shop, tmp_path):
    files_dir = shop.parent / "files"
    close_database()
    folder = backups.backups_dir(shop)
    ctx = multiprocessing.get_context("fork")
    for step in range(1, 30):
        child = ctx.Process(target=restore_worker.backup_until, args=(step, str(shop), str(files_dir)))
        child.start()
        child.join(60)
        backups.tidy(shop, files_dir)
        assert sorted(p.name for p in folder.iterdir() if backups.stamp_of(p) is None) == []
        assert all(backups.usable(p) for p in backups.list_backups(folder))
        if child.exitcode == 0:
            break
    assert backups.list_backups(folder)  # the last one finished
    open_database(f"sqlite:///{shop}")


def test_copies_made_before_restores_are_rotated(shop, tmp_path, fake_clock):
    files_dir = shop.parent / "files"
    backup = backups.backup_sqlite(shop, files_dir, tmp_path / "kept")
    close_database()
    for _ in range(5):
        fake_clock.advance(timedelta(minutes=5))
        backups.restore(backup, shop, files_dir)
    assert len(list(backups.backups_dir(shop).glob("*-before-restore.zip"))) == backups.KEEP_BEFORE_RESTORE
    open_database(f"sqlite:///{shop}")
