"""Each move keeps the start of the stay it ends (``stage_history.from_entered_at``), whoever writes
it — a card or board move, an undo, amoCRM's import, the demo's archive — and migration 17 fills it
in for the moves written before; on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from app.integrations.amocrm_files import read_table
from app.services import board_moves, deals
from app.services.amocrm_import import ImportOptions, import_tables
from app.store import migrations
from app.store.connection import open_database
from app.store.db import close_database, database
from app.store.models import Deal, StageHistory
from tests.domain import amocrm_samples as samples
from tests.domain.analytics_helpers import history_deal, june
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES, new_deal


def _moves(deal_id: int | None = None) -> list[tuple]:
    """(deal, from, to, at, from_entered_at) of the history (of ``deal_id``) in the deal's order."""
    query = StageHistory.select(StageHistory.deal, StageHistory.from_stage, StageHistory.to_stage,
                                StageHistory.at, StageHistory.from_entered_at)
    if deal_id is not None:
        query = query.where(StageHistory.deal == deal_id)
    return list(query.order_by(StageHistory.deal, StageHistory.at, StageHistory.id).tuples())


def _unlinked(moves: list[tuple]) -> list[tuple]:
    """The moves leaving a stage whose stay start is not the deal's move before them."""
    wrong, previous = [], None
    for move in moves:
        before = previous[3] if previous is not None and previous[0] == move[0] else None
        if move[1] is not None and move[4] != before:
            wrong.append(move)
        previous = move
    return wrong


def test_card_moves_board_moves_and_undo_keep_the_stay_they_end(staff, fake_clock):
    manager = staff["manager"]
    deal = new_deal(manager, **INVOICE_VALUES)
    fake_clock.advance(timedelta(hours=3))
    deals.move_deal(deal.id, "invoice", manager)
    fake_clock.advance(timedelta(days=2))
    _, record = board_moves.move_recorded(deal.id, "paid", manager, values=PAID_VALUES)
    fake_clock.advance(timedelta(minutes=5))
    board_moves.undo_move([record], manager)
    fake_clock.advance(timedelta(days=1))
    board_moves.move_many([deal.id], "paid", manager)

    moves = _moves(deal.id)
    assert [(m[1], m[2]) for m in moves] == [(None, "new"), ("new", "invoice"), ("invoice", "paid"),
                                             ("paid", "invoice"), ("invoice", "paid")]
    assert moves[0][4] is None and [m[4] for m in moves[1:]] == [m[3] for m in moves[:-1]]
    assert moves[2][3] - moves[2][4] == timedelta(days=2)  # two days at «Счет выставлен»


def test_a_move_written_with_an_older_time_starts_the_next_stay(staff, fake_clock):
    """Another PC's clock behind: the move sits between the deal's moves in time."""
    deal = history_deal(1, [("sawing", june(1)), ("painting", june(5))])
    StageHistory.create(deal=deal, from_stage="sawing", to_stage="milling", at=june(3))
    moves = _moves(deal.id)
    assert [(m[2], m[4]) for m in moves] == [("sawing", None), ("milling", june(1)), ("painting", june(3))]


def test_several_moves_of_a_deal_in_one_bulk_statement_are_linked(staff):
    deal = history_deal(1, [("new", june(1))])
    StageHistory.insert_many([dict(deal=deal, from_stage=a, to_stage=b, at=at) for a, b, at in (
        ("new", "first_contact", june(2)), ("first_contact", "invoice", june(4)),
        ("invoice", "paid", june(7)))]).execute()
    assert [m[4] for m in _moves(deal.id)] == [None, june(1), june(2), june(4)]


def test_the_import_keeps_the_stay_a_changed_stage_ends(staff, tmp_path):
    path = samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, samples.shop_leads())
    import_tables(read_table(path), None, None, ImportOptions())
    rows = samples.shop_leads()
    rows[0] = samples.lead(101, "Краева Ольга (МИА)", "35 000", stage="Счет выставлен", contact="Краева Ольга",
                           updated="05.06.2017 10:00:00", work_phone="+79123456789")
    path = samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, rows)
    import_tables(read_table(path), None, None, ImportOptions())

    moves = _moves(Deal.get(Deal.amo_id == 101).id)
    assert [(m[1], m[2]) for m in moves] == [(None, "first_contact"), ("first_contact", "invoice")]
    assert moves[1][4] == moves[0][3]
    assert _unlinked(_moves()) == []


def test_the_demo_archive_keeps_every_stay(demo_db):
    moves = _moves()
    assert len([m for m in moves if m[4] is not None]) > 1000
    assert _unlinked(moves) == []


def test_the_migration_fills_in_the_moves_written_before_it(blank_db_url, fake_clock, monkeypatch):
    db_url = blank_db_url
    before = migrations.MIGRATIONS[:migrations.MIGRATIONS.index(migrations._m017_stage_stay_end)]
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    old = open_database(db_url)
    for statement in ("DROP INDEX stage_history_at_deal_id_from_stage_from_entered_at",  # as older versions
                      "DROP INDEX stage_history_to_stage_at_deal_id",
                      "ALTER TABLE stage_history DROP COLUMN from_entered_at",
                      'CREATE INDEX stage_history_to_stage_at ON stage_history (to_stage, "at")',
                      'CREATE INDEX stage_history_at_deal_id ON stage_history ("at", deal_id)'):
        old.execute_sql(statement)
    for number, moves in enumerate([[("new", june(1)), ("first_contact", june(2)), ("invoice", june(4))],
                                    [("sawing", june(3)), ("painting", june(3)), ("packing", june(9))],
                                    [("new", june(5))]], start=1):
        deal = Deal.create(order_no=number, name=f"Заказ {number}", stage=moves[-1][0], stage_entered_at=moves[-1][1])
        previous = None
        for stage, at in moves:  # the columns the old program wrote
            old.execute_sql(f'INSERT INTO stage_history (deal_id, from_stage, to_stage, "at") VALUES '
                            f'({old.param}, {old.param}, {old.param}, {old.param})',
                            (deal.id, previous, stage, at.strftime("%Y-%m-%d %H:%M:%S")))
            previous = stage
    close_database()
    monkeypatch.undo()

    open_database(db_url)
    assert migrations.current_version(database.obj) == migrations.latest()
    moves = _moves()
    assert [m[4] for m in moves] == [None, june(1), june(2), None, june(3), june(3), None]
    assert _unlinked(moves) == []
    indexes = {index.name for index in database.obj.get_indexes("stage_history")}
    assert {"stage_history_to_stage_at_deal_id", "stage_history_at_deal_id_from_stage_from_entered_at"} <= indexes
    assert not indexes & {"stage_history_to_stage_at", "stage_history_at_deal_id"}  # replaced by the covering ones
    fake_clock.at = june(6)
    deals.move_deal(Deal.get(Deal.order_no == 3).id, "first_contact", None)  # and new moves write it
    assert _moves(Deal.get(Deal.order_no == 3).id)[1][4] == june(5)
