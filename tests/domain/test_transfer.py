"""``migrate-to``: the demo shop copied from SQLite into an empty database (PostgreSQL in CI)."""
from __future__ import annotations

import shutil

import pytest

import main
from app.demo.shop import build_demo
from app.domain import clock
from app.services import deals
from app.store import files
from app.store.connection import open_database
from app.store.db import close_database
from app.store.models import Deal, StageHistory, User
from app.store.transfer import TransferError, migrate_to
from tests.conftest import START, table_counts


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory):
    """The demo shop in a SQLite file, built once for the module; with its counts and budgets."""
    folder = tmp_path_factory.mktemp("demo")
    previous = clock.set_clock(clock.FrozenClock(START))
    files.set_files_root(folder / "files")
    try:
        open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
        build_demo()
        counts, budgets = table_counts(), sum(d.budget for d in Deal.select())
        close_database()
    finally:
        files.set_files_root(None)
        clock.set_clock(previous)
    return folder / "demo.sqlite3", counts, budgets


@pytest.fixture
def demo_file(built_demo, tmp_path, fake_clock):
    path, counts, budgets = built_demo
    shutil.copyfile(path, tmp_path / "demo.sqlite3")
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}", counts, budgets


def test_demo_copied_with_ids_counts_and_totals(demo_file, db_url, capsys):
    source, counts, budgets = demo_file
    assert main.main(["--db", source, "migrate-to", db_url]) == 0
    out = capsys.readouterr().out
    assert "deal: " in out and "совпадают" in out and "Готово" in out
    open_database(db_url)
    try:
        assert table_counts() == counts
        assert sum(d.budget for d in Deal.select()) == budgets
        deal = Deal.select().order_by(Deal.id.desc()).first()
        assert [h.to_stage for h in deal.history.order_by(StageHistory.id)][-1] == deal.stage
        # the sequences continue after the copied ids; order numbers continue too
        created = deals.create_deal(User.get(User.login == "tatiana"), name="После переезда").deal
        assert created.id > deal.id and created.order_no == max(d.order_no for d in Deal.select())
    finally:
        close_database()


def test_target_in_use_is_refused(demo_file, db_url, capsys):
    source, counts, _ = demo_file
    migrate_to(source, db_url, progress=lambda line: None)
    with pytest.raises(TransferError, match="не пуста"):
        migrate_to(source, db_url, progress=lambda line: None)
    assert main.main(["--db", source, "migrate-to", db_url]) == 1
    assert "не пуста" in capsys.readouterr().err
