"""Notes, attached files in the managed folder, order numbers, migrations."""
from __future__ import annotations

import sqlite3

import peewee
import pytest

from app.domain.errors import ServiceError
from app.services import deals, notes
from app.store import files, migrations
from app.store.connection import open_database
from app.store.db import close_database
from app.store.models import Attachment, BaseModel, Deal, TimelineEntry
from tests.domain.helpers import new_deal, run_together


def test_note_on_timeline(staff):
    deal = new_deal(staff["manager"])
    notes.add_note(deal.id, staff["manager"], "Клиент просит позвонить после 18:00")
    entry = TimelineEntry.select().where(TimelineEntry.kind == TimelineEntry.NOTE).get()
    assert entry.text == "Клиент просит позвонить после 18:00" and entry.user_id == staff["manager"].id
    with pytest.raises(ServiceError):
        notes.add_note(deal.id, staff["manager"], "   ")


def test_attached_file_copied_under_a_safe_name(staff, tmp_path):
    deal = new_deal(staff["manager"])
    source = tmp_path / "in" / "..бриф: Краева?.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 brief")
    attachment = notes.attach_file(deal.id, staff["designer"], source, "brief").value
    stored = files.path_of(attachment.stored_name)
    assert stored.read_bytes() == b"%PDF-1.4 brief"
    assert files.files_root().resolve() in stored.parents
    assert attachment.original_name == "бриф_ Краева_.pdf"
    assert TimelineEntry.get(TimelineEntry.attachment == attachment).text == "Бриф: бриф_ Краева_.pdf"


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Windows\\con.txt", "file_con.txt"),
    ("a\x00b.jpg", "a_b.jpg"), ("...", "file_"),
])
def test_sanitize_filename(name, expected):
    assert files.sanitize_filename(name) == expected


def test_stored_name_never_trusted_as_path(db):
    with pytest.raises(ValueError):
        files.path_of("../../outside.txt")


def test_missing_file_refused(staff, tmp_path, counts):
    deal = new_deal(staff["manager"])
    before = counts()
    with pytest.raises(ServiceError, match="не найден"):
        notes.attach_file(deal.id, staff["manager"], tmp_path / "nothing.jpg")
    assert counts() == before and Attachment.select().count() == 0


def test_order_numbers_sequential(staff):
    numbers = [new_deal(staff["manager"], name=f"Сделка {i}").order_no for i in range(5)]
    assert numbers == [1, 2, 3, 4, 5]


def test_order_numbers_unique_with_concurrent_creators(db_url, staff):
    def create_many():
        for i in range(15):
            deals.create_deal(None, name=f"Параллельная {i}")

    errors = run_together(create_many, create_many, create_many)
    assert errors == []
    numbers = sorted(d.order_no for d in Deal.select())
    assert numbers == list(range(1, 46))


class _Colour(BaseModel):
    colour = peewee.CharField(default="")

    class Meta:
        table_name = "deal"


def _add_column_migration(db):
    migrations.ensure_columns(db, _Colour, "colour")
    migrations.ensure_columns(db, _Colour, "colour")  # a second run is a no-op


def _broken_migration(db):
    db.execute_sql("CREATE TABLE half_done (id INTEGER)")
    raise RuntimeError("migration failed")


def test_migration_backs_up_sqlite_file_first(tmp_path, fake_clock, monkeypatch):
    path = tmp_path / "shop.sqlite3"
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = open_database(f"sqlite:///{path}").execute_sql(triggers).fetchall()
    deals.create_deal(None, name="До миграции")
    close_database()
    added = migrations.latest() + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [_add_column_migration])
    db = open_database(f"sqlite:///{path}")
    (backup,) = tmp_path.glob(f"shop.before-v{added}-*.bak")
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT name FROM deal").fetchall() == [("До миграции",)]
    assert migrations.current_version(db) == added
    assert db.execute_sql("SELECT colour FROM deal").fetchall() == [("",)]
    assert db.execute_sql(triggers).fetchall() == before  # the column added in place: the deal's triggers kept
    close_database()


def test_failed_migration_leaves_schema_untouched(db_url, fake_clock, monkeypatch):
    open_database(db_url)
    close_database()
    before = migrations.latest()
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [_broken_migration])
    with pytest.raises(RuntimeError):
        open_database(db_url)
    db = Deal._meta.database
    assert migrations.current_version(db) == before
    assert not db.table_exists("half_done")
    close_database()


def test_newer_schema_refused_with_message(tmp_path):
    path = tmp_path / "new.sqlite3"
    open_database(f"sqlite:///{path}")
    close_database()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE schema_version SET version = 999")
    with pytest.raises(migrations.SchemaTooNewError, match="более новой версией"):
        open_database(f"sqlite:///{path}")
    close_database()


@pytest.mark.parametrize("stem", ["Чертёж кровати Ярус для Добровольской Анны " * 4, "🛏️" * 120])
def test_long_cyrillic_and_emoji_names_are_shortened_by_bytes(staff, tmp_path, stem):
    """A name the file system would refuse (over 255 bytes) is cut by bytes, never mid-character."""
    deal = new_deal(staff["manager"])
    source = tmp_path / (stem[:60] + ".pdf")  # the source itself within this file system's limit
    source.write_bytes(b"%PDF-1.4 drawing")
    safe = files.sanitize_filename(stem + ".pdf")
    assert len(safe.encode("utf-8")) <= files.STEM_BYTES + 17 and safe.endswith(".pdf")
    stored = files.path_of(notes.attach_file(deal.id, staff["manager"], source, "drawing").value.stored_name)
    assert len(stored.name.encode("utf-8")) <= 255 and stored.read_bytes() == b"%PDF-1.4 drawing"


def test_a_file_system_error_while_attaching_is_a_russian_message(staff, tmp_path, monkeypatch, counts):
    deal = new_deal(staff["manager"])
    source = tmp_path / "фото.jpg"
    source.write_bytes(b"\xff\xd8 photo")
    before = counts()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "store", disk_full)
    with pytest.raises(ServiceError, match="Файл «фото.jpg» не прикреплён: на диске нет места"):
        notes.attach_file(deal.id, staff["manager"], source)
    assert counts() == before
