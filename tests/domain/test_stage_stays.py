"""Each move keeps the start of the stay it ends (``stage_history.from_entered_at``), its length in
days (``stay_days``), the stage of the deal's next move (``next_stage``) and its deal's columns the
analytics' filters read (kind, source, responsible, manager: equal to the deal's whenever they
change), whoever writes it — a card or board move, an edit, an undo, amoCRM's import, the demo's
archive, migrate-to's copy — and migrations 17, 18 and 19 fill them in for the moves written before;
on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import clock
from app.domain.codes import Role
from app.integrations.amocrm_files import read_table
from app.queries import analytics
from app.queries.analytics import AnalyticsFilter
from app.services import board_moves, deals
from app.services.amocrm_import import ImportOptions, import_tables
from app.services.people import create_user
from app.store import deal_copies, migrations, models, stage_stays
from app.store.connection import open_database
from app.store.db import close_database, database
from app.store.models import Deal, StageHistory, Task
from tests.domain import amocrm_samples as samples
from tests.domain.analytics_helpers import history_deal, june
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES, new_deal


def _moves(deal_id: int | None = None) -> list[tuple]:
    """(deal, from, to, at, from_entered_at) of the history (of ``deal_id``) in the deal's order."""
    return [move[:5] for move in _rows(deal_id)]


def _rows(deal_id: int | None = None) -> list[tuple]:
    """(deal, from, to, at, from_entered_at, stay_days, next_stage) in the deal's order."""
    query = StageHistory.select(StageHistory.deal, StageHistory.from_stage, StageHistory.to_stage,
                                StageHistory.at, StageHistory.from_entered_at, StageHistory.stay_days,
                                StageHistory.next_stage)
    if deal_id is not None:
        query = query.where(StageHistory.deal == deal_id)
    return list(query.order_by(StageHistory.deal, StageHistory.at, StageHistory.id).tuples())


def _unlinked(moves: list[tuple]) -> list[tuple]:
    """The moves leaving a stage whose stay start is not the deal's move before them; with
    ``_rows``' columns also those whose stay length is not ``at`` − its start (in days), or whose
    next stage is not the deal's next move's."""
    wrong = []
    for index, move in enumerate(moves):
        previous = moves[index - 1] if index and moves[index - 1][0] == move[0] else None
        following = moves[index + 1] if index + 1 < len(moves) and moves[index + 1][0] == move[0] else None
        before = previous[3] if previous is not None else None
        if move[1] is not None and move[4] != before:
            wrong.append(move)
        elif len(move) > 5:
            length = None if move[4] is None else (move[3] - move[4]).total_seconds() / 86400
            if (move[5] is None) != (length is None) or length is not None and abs(float(move[5]) - length) > 1e-6:
                wrong.append(move)
            elif move[6] != (following[2] if following is not None else None):
                wrong.append(move)
    return wrong


def _copies_wrong() -> list[tuple]:
    """The moves and tasks whose copies of their deal's filter columns are not the deal's (and a sign
    when there are none)."""
    deal_of = {row[0]: row[1:] for row in Deal.select(Deal.id, Deal.kind, Deal.source, Deal.responsible,
                                                       Deal.manager).tuples()}
    wrong = []
    for model in (StageHistory, Task):
        rows = list(model.select(model.deal, *model.copies()).where(model.deal.is_null(False)).tuples())
        wrong += [row for row in rows if row[1:] != deal_of[row[0]]] if rows else [(f"no {model.__name__}",)]
    return wrong


def _copies(deal_id: int, model=StageHistory) -> set[tuple]:
    """The copies on the deal's moves (or tasks)."""
    return set(model.select(*model.copies()).where(model.deal == deal_id).tuples())


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
    rows = _rows(deal.id)
    assert float(rows[2][5]) == pytest.approx(2.0) and float(rows[1][5]) == pytest.approx(0.125)  # 3 h at «Новая»
    assert [r[6] for r in rows] == ["invoice", "paid", "invoice", "paid", None]  # each move's next stage
    assert _unlinked(rows) == []
    assert _copies(deal.id) == {("standard", "", manager.id, manager.id)} and _copies_wrong() == []


def test_an_edit_a_move_and_an_undo_keep_the_deals_columns_on_its_moves(staff, fake_clock):
    tatiana, olga, designer = staff["manager"], staff["manager2"], staff["designer"]
    deal = new_deal(tatiana, source="сайт")
    other = new_deal(olga)
    deals.move_deal(deal.id, "first_contact", tatiana)
    assert _copies(deal.id) == {("standard", "сайт", tatiana.id, tatiana.id)}
    deals.update_deal(deal.id, tatiana, {"kind": "individual", "source": "Авито", "responsible": olga.id})
    assert _copies(deal.id) == {("individual", "Авито", olga.id, tatiana.id)}  # every move, the old ones too
    assert _copies(deal.id, Task) == {("individual", "Авито", olga.id, tatiana.id)}  # and every task
    deals.update_deal(deal.id, tatiana, {"source": ""})
    assert _copies(deal.id) == {("individual", "", olga.id, tatiana.id)}
    _, record = board_moves.move_recorded(deal.id, "design", tatiana)  # «Дизайн» sets the designer responsible
    assert _copies(deal.id) == {("individual", "", designer.id, tatiana.id)}
    board_moves.undo_move([record], tatiana)  # the responsible before the move back
    assert _copies(deal.id) == {("individual", "", olga.id, tatiana.id)}
    assert _copies(other.id) == {("standard", "", olga.id, olga.id)} and _copies_wrong() == []
    june_days = AnalyticsFilter(clock.local_today(), clock.local_today())
    assert [row.entered for row in analytics.funnel(AnalyticsFilter(
        june_days.date_from, june_days.date_to, responsible_id=olga.id))][:2] == [2, 1]  # by the deal, as it is now
    assert [row.entered for row in analytics.funnel(AnalyticsFilter(
        june_days.date_from, june_days.date_to, kind="individual", source=""))][:2] == [1, 1]


def test_a_move_written_with_an_older_time_starts_the_next_stay(staff, fake_clock):
    """Another PC's clock behind: the move sits between the deal's moves in time."""
    deal = history_deal(1, [("sawing", june(1)), ("painting", june(5))])
    StageHistory.create(deal=deal, from_stage="sawing", to_stage="milling", at=june(3))
    moves = _moves(deal.id)
    assert [(m[2], m[4]) for m in moves] == [("sawing", None), ("milling", june(1)), ("painting", june(3))]
    rows = _rows(deal.id)
    assert [(r[5] and pytest.approx(float(r[5])), r[6]) for r in rows] == [(None, "milling"), (2.0, "painting"),
                                                                          (2.0, None)]
    assert _unlinked(rows) == []


def test_several_moves_of_a_deal_in_one_bulk_statement_are_linked(staff):
    deal = history_deal(1, [("new", june(1))])
    StageHistory.insert_many([dict(deal=deal, from_stage=a, to_stage=b, at=at) for a, b, at in (
        ("new", "first_contact", june(2)), ("first_contact", "invoice", june(4)),
        ("invoice", "paid", june(7)))]).execute()
    assert [m[4] for m in _moves(deal.id)] == [None, june(1), june(2), june(4)]
    rows = _rows(deal.id)
    assert [r[6] for r in rows] == ["first_contact", "invoice", "paid", None]
    assert [r[5] and pytest.approx(float(r[5])) for r in rows] == [None, 1.0, 2.0, 3.0]


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
    assert _unlinked(_rows()) == []
    tatiana = staff["manager"].id
    assert _copies(Deal.get(Deal.amo_id == 101).id) == {("standard", "", tatiana, tatiana)}  # the row gave none
    rows[0] = samples.lead(101, "Краева Ольга (МИА)", "35 000", stage="Счет выставлен", contact="Краева Ольга",
                           updated="06.06.2017 10:00:00", work_phone="+79123456789", source="Авито",
                           responsible="Ольга")
    path = samples.write_csv(tmp_path / "leads.csv", samples.LEADS_HEADER, rows)
    import_tables(read_table(path), None, None, ImportOptions())  # the import changes the deal's columns
    assert _copies(Deal.get(Deal.amo_id == 101).id) == {("standard", "Авито", staff["manager2"].id,
                                                         staff["manager2"].id)}
    assert _copies_wrong() == []


def test_the_demo_archive_keeps_every_stay(demo_db):
    """The demo's archive (and on PostgreSQL, migrate-to's copy of it from SQLite)."""
    moves = _rows()
    assert len([m for m in moves if m[4] is not None]) > 1000
    assert len([m for m in moves if m[6] is not None]) > 1000
    assert _unlinked(moves) == []
    assert _copies_wrong() == []
    assert StageHistory.select().where(StageHistory.deal_kind == "individual").count() > 100


OLD_INDEXES = ('CREATE INDEX stage_history_to_stage_at ON stage_history (to_stage, "at")',  # before 17
               'CREATE INDEX stage_history_at_deal_id ON stage_history ("at", deal_id)')
V17_INDEXES = ('CREATE INDEX stage_history_to_stage_at_deal_id ON stage_history (to_stage, "at", deal_id)',
               'CREATE INDEX stage_history_at_deal_id_from_stage_from_entered_at ON stage_history '
               '("at", deal_id, from_stage, from_entered_at)')
V18_INDEXES = ('CREATE INDEX stage_history_to_stage_at_deal_id_from_stage ON stage_history '
               '(to_stage, "at", deal_id, from_stage)',
               'CREATE INDEX task_done_at_done_by_id_all_day_due_at ON task (done_at, done_by_id, all_day, due_at)',
               'CREATE INDEX stage_history_from_stage_at_deal_id_stay_days ON stage_history '
               '(from_stage, "at", deal_id, stay_days)',
               'CREATE INDEX stage_history_from_stage_stay_days_at ON stage_history (from_stage, stay_days, "at")',
               'CREATE INDEX stage_history_to_stage_deal_id_at_next_stage ON stage_history '
               '(to_stage, deal_id, "at", next_stage)')
NEW_INDEXES = set(models.HISTORY_INDEXES)
COPIES = tuple(deal_copies.COLUMNS)  # the deal's columns on its moves and tasks (migration 20)
TRIGGERS = ((stage_stays.TRIGGER, "stage_history"), (deal_copies.DEAL_TRIGGER, "deal"),
            (deal_copies.TASK_TRIGGER, "task"), (f"{deal_copies.TASK_TRIGGER}_moved", "task"))


def _as_older_version(db_url, migration, monkeypatch, columns, indexes, moves_of, fields_of=None, tasks=False):
    """The database at ``db_url`` as a version before ``migration`` left it: the history without
    ``columns`` (and the triggers, the analytics' indexes), with ``indexes``, and the deals' moves
    ``moves_of`` written with the columns that version wrote (the stay starts when it had them);
    ``fields_of()``, called on the old database: the deals' own fields; with ``tasks`` the tasks
    without the copies either (and their index before 20), a task of each deal."""
    before = migrations.MIGRATIONS[:migrations.MIGRATIONS.index(migration)]
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    old = open_database(db_url)
    on = db_url.startswith("postgres")
    for trigger, table in TRIGGERS:
        old.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}" + (f" ON {table}" if on else ""))
    for index in (*NEW_INDEXES, *(("task_done",) if tasks else ())):
        old.execute_sql(f"DROP INDEX {index}")
    for table, dropped in (("stage_history", columns), ("task", COPIES if tasks else ())):
        for column in dropped:
            old.execute_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    for statement in indexes:
        old.execute_sql(statement)
    with_start = "from_entered_at" not in columns
    fields = fields_of() if fields_of else [{}] * len(moves_of)
    for number, moves in enumerate(moves_of, start=1):
        deal = Deal.create(order_no=number, name=f"Заказ {number}", stage=moves[-1][0], stage_entered_at=moves[-1][1],
                           **fields[number - 1])
        previous = None
        for stage, at in moves:  # the columns the old program wrote
            names = 'deal_id, from_stage, to_stage, "at"' + (", from_entered_at" if with_start else "")
            values = [deal.id, previous and previous[0], stage, at.strftime("%Y-%m-%d %H:%M:%S")]
            if with_start:
                values.append(previous and previous[1].strftime("%Y-%m-%d %H:%M:%S"))
            old.execute_sql(f"INSERT INTO stage_history ({names}) VALUES ({', '.join([old.param] * len(values))})",
                            values)
            previous = (stage, at)
        if tasks:
            task = [deal.id, "call", "Позвонить", "2025-06-10 09:00:00", False, "2025-06-01 09:00:00", 1]
            old.execute_sql("INSERT INTO task (deal_id, type, text, due_at, all_day, created_at, version) "
                            f"VALUES ({', '.join([old.param] * len(task))})", task)
    close_database()
    monkeypatch.undo()


MOVES_OF = [[("new", june(1)), ("first_contact", june(2)), ("invoice", june(4))],
            [("sawing", june(3)), ("painting", june(3)), ("packing", june(9))],
            [("new", june(5))]]


def _check_filled_and_written() -> None:
    rows = _rows()
    assert [m[4] for m in rows] == [None, june(1), june(2), None, june(3), june(3), None]
    assert [m[5] and pytest.approx(float(m[5])) for m in rows] == [None, 1.0, 2.0, None, 0.0, 6.0, None]
    assert [m[6] for m in rows] == ["first_contact", "invoice", None, "painting", "packing", None, None]
    assert _unlinked(rows) == []
    indexes = {index.name for index in database.obj.get_indexes("stage_history")}
    assert NEW_INDEXES <= indexes
    assert not indexes & {"stage_history_to_stage_at", "stage_history_at_deal_id",  # replaced by covering ones
                          "stage_history_to_stage_at_deal_id", "stage_history_at_deal_id_from_stage_from_entered_at",
                          *migrations.V18_INDEXES}
    deal = Deal.get(Deal.order_no == 3)
    deals.move_deal(deal.id, "first_contact", None)  # and new moves write them (fake clock: 6 June)
    rows = _rows(deal.id)
    assert rows[1][4] == june(5) and rows[0][6] == "first_contact" and float(rows[1][5]) == pytest.approx(1.0)


def test_the_migrations_fill_in_the_moves_written_before_them(blank_db_url, fake_clock, monkeypatch):
    """From a version before 17: no stay starts, lengths or next stages."""
    _as_older_version(blank_db_url, migrations._m017_stage_stay_end, monkeypatch,
                      ("from_entered_at", "stay_days", "next_stage", *COPIES), OLD_INDEXES, MOVES_OF)
    fake_clock.at = june(6)
    open_database(blank_db_url)
    assert migrations.current_version(database.obj) == migrations.latest()
    _check_filled_and_written()


def test_migration_18_fills_in_the_lengths_and_next_stages(blank_db_url, fake_clock, monkeypatch):
    """From version 17: the stay starts written, no lengths or next stages, 17's indexes."""
    _as_older_version(blank_db_url, migrations._m018_stage_stay_days, monkeypatch,
                      ("stay_days", "next_stage", *COPIES), V17_INDEXES, MOVES_OF)
    fake_clock.at = june(6)
    open_database(blank_db_url)
    assert migrations.current_version(database.obj) == migrations.latest()
    _check_filled_and_written()


def test_migration_19_copies_the_deals_columns_onto_their_moves_and_tasks(blank_db_url, fake_clock, monkeypatch):
    """From version 18: the moves and tasks without their deals' columns, 18's indexes; then kept in step."""
    people: list[int] = []

    def fields_of() -> list[dict]:
        people.extend(create_user(login, login.title(), Role.MANAGER).id for login in ("tatiana", "olga"))
        return [dict(kind="individual", source="сайт", responsible=people[0], manager=people[0]),
                dict(source="Авито", responsible=people[1], manager=people[0]), {}]

    _as_older_version(blank_db_url, migrations._m020_deal_copies, monkeypatch, COPIES, V18_INDEXES,
                      MOVES_OF, fields_of, tasks=True)
    tatiana, olga = people
    fake_clock.at = june(6)
    open_database(blank_db_url)
    assert migrations.current_version(database.obj) == migrations.latest()
    for model in (StageHistory, Task):
        assert [_copies(deal.id, model) for deal in Deal.select().order_by(Deal.order_no)] == [
            {("individual", "сайт", tatiana, tatiana)}, {("standard", "Авито", olga, tatiana)},
            {("standard", "", None, None)}]
    indexes = {index.name for table in ("stage_history", "task") for index in database.obj.get_indexes(table)}
    assert NEW_INDEXES | {"task_done"} <= indexes and not indexes & set(migrations.V18_INDEXES)
    deal = Deal.get(Deal.order_no == 3)
    deals.move_deal(deal.id, "first_contact", None)  # a new move (and its task) copies them, an edit rewrites them
    Deal.update(kind="individual", responsible=olga).where(Deal.id == deal.id).execute()
    assert _copies(deal.id) == _copies(deal.id, Task) == {("individual", "", olga, None)}
    assert _copies_wrong() == []
