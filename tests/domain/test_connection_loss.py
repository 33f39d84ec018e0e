"""The server connection drops (server restarted, cable pulled): a clear error, nothing half-written,
and the next action carries on over a new connection."""
from __future__ import annotations

import psycopg2
import pytest

from app.domain.errors import ConnectionLostError, ServiceError
from app.services import deals, notes
from app.store import files
from app.store.connection import open_database
from app.store.db import close_database, database
from app.store.models import Deal, Note
from tests.conftest import PG_URL, empty_postgres
from tests.domain.helpers import new_deal

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(tmp_path, fake_clock):
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL не задан: тесты PostgreSQL пропущены")
    empty_postgres(PG_URL)
    files.set_files_root(tmp_path / "files")
    yield open_database(PG_URL)
    close_database()
    files.set_files_root(None)


def _cut_connection() -> None:
    """The server ends our session, as a restart would."""
    pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


def test_next_action_reconnects_after_the_server_dropped_us(pg):
    deal = new_deal(None)
    _cut_connection()
    deals.move_deal(deal.id, "first_contact", None)
    assert Deal.get_by_id(deal.id).stage == "first_contact"


def test_connection_lost_inside_an_action_writes_nothing(pg):
    deal = new_deal(None)
    with pytest.raises(ConnectionLostError) as lost, database.atomic():
        notes.add_note(deal.id, None, "Первая половина")
        _cut_connection()
        notes.add_note(deal.id, None, "Вторая половина")
    assert isinstance(lost.value, ServiceError) and "Нет связи с сервером" in str(lost.value)
    assert Note.select().count() == 0
    notes.add_note(deal.id, None, "После восстановления связи")
    assert [n.text for n in Note.select()] == ["После восстановления связи"]


def test_server_unreachable_then_back(pg):
    deal = new_deal(None)
    real_port = pg.connect_params.get("port", 5432)
    _cut_connection()
    pg.connect_params["port"] = 1  # the server is gone
    with pytest.raises(ConnectionLostError):
        deals.move_deal(deal.id, "first_contact", None)
    with pytest.raises(ConnectionLostError):
        Deal.get_by_id(deal.id)
    pg.connect_params["port"] = real_port  # and back
    deals.move_deal(deal.id, "first_contact", None)
    assert Deal.get_by_id(deal.id).stage == "first_contact"
