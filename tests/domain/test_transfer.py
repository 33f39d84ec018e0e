"""``migrate-to``: the demo shop copied from SQLite into an empty database (PostgreSQL in CI)."""
from __future__ import annotations

import pytest

import main
from app.services import deals
from app.store.connection import open_database
from app.store.db import close_database, copy_sqlite, masked_url
from app.store.models import Deal, StageHistory, User
from app.store.transfer import TransferError, migrate_to
from tests.conftest import table_counts


@pytest.fixture
def demo_file(demo_shop, tmp_path, fake_clock):
    """A copy of the session's demo shop in a SQLite file, with its counts and budgets."""
    copy_sqlite(demo_shop.path, tmp_path / "demo.sqlite3")
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}", demo_shop.counts, demo_shop.budgets


def test_demo_copied_with_ids_counts_and_totals(demo_file, blank_db_url, capsys):
    target = blank_db_url
    source, counts, budgets = demo_file
    assert main.main(["--db", source, "migrate-to", target]) == 0
    out = capsys.readouterr().out
    assert "deal: " in out and "совпадают" in out and "Готово" in out
    open_database(target)
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


def test_target_in_use_is_refused(demo_file, blank_db_url, capsys):
    target = blank_db_url
    source, _, _ = demo_file
    migrate_to(source, target, progress=lambda line: None)
    with pytest.raises(TransferError, match="не пуста"):
        migrate_to(source, target, progress=lambda line: None)
    assert main.main(["--db", source, "migrate-to", target]) == 1
    assert "не пуста" in capsys.readouterr().err


def test_no_message_shows_the_servers_password(demo_file, blank_db_url, capsys):
    """The URL typed with a password is echoed masked, on success and on refusal alike."""
    if not blank_db_url.startswith("postgres"):
        pytest.skip("a SQLite target has no password")
    target = blank_db_url.replace("://postgres@", "://postgres:S3cret-Pa55@", 1)  # trust auth takes any
    source, _, _ = demo_file
    assert main.main(["--db", source, "migrate-to", target]) == 0
    assert main.main(["--db", source, "migrate-to", target]) == 1  # now in use
    printed = capsys.readouterr()
    assert "S3cret-Pa55" not in printed.out + printed.err
    assert "postgres:***@" in printed.out


def test_masked_url_hides_only_the_password():
    assert masked_url("postgresql://crm:p%40ss@db.local:5432/shop") == "postgresql://crm:***@db.local:5432/shop"
    assert masked_url("postgresql://crm@db.local/shop") == "postgresql://crm@db.local/shop"
    assert masked_url("sqlite:////home/shop/crm.sqlite3") == "sqlite:////home/shop/crm.sqlite3"
