"""The board's search index and column counters: what they find, kept in step with every change,
built for an existing database (SQLite's FTS5 trigram table, PostgreSQL's pg_trgm index)."""
from __future__ import annotations

from datetime import timedelta

import peewee as pw
import pytest

from app.domain import pipeline
from app.queries import board as bq
from app.queries.board import BoardFilter
from app.services import board_moves, deals
from app.store import change_feed, migrations, search_index, stage_totals
from app.store.db import analyze, database, is_postgres
from app.store.models import Deal
from tests.connections import second_connection
from tests.domain.helpers import new_deal

EVERY_STAGE = tuple(pipeline.STAGE_CODES)


def found(text: str) -> set[int]:
    """Ids of the deals the board shows for ``text`` (every column)."""
    return {deal_id for ids, _ in bq.first_pages([(code,) for code in EVERY_STAGE], BoardFilter(text=text))
            for deal_id in ids}


def counted(text: str = "") -> dict[str, bq.Totals]:
    return {stage: value for stage, value in bq.totals(EVERY_STAGE, BoardFilter(text=text)).items() if value.count}


def scanned() -> dict[str, bq.Totals]:
    """The column totals as a plain GROUP BY over every deal (what the counters must equal)."""
    rows = Deal.select(Deal.stage, pw.fn.COUNT(Deal.id), pw.fn.SUM(Deal.budget)).group_by(Deal.stage).tuples()
    return {stage: bq.Totals(count, int(budget)) for stage, count, budget in rows}


@pytest.fixture
def maria(staff):
    deal = new_deal(staff["manager"], "Воскресенская Ярус", **{
        "contact.full_name": "Воскресенская Мария Юрьевна", "contact.phone": "+7 912 345-67-89",
        "contact.email": "maria.v@mail.ru"})
    deals.update_deal(deal.id, staff["manager"], {"tags": "инд срочно"})
    new_deal(staff["manager"], "Другая Замок", **{"contact.phone": "+7 921 000-00-00"})
    return deal


def test_the_database_has_the_index(maria):
    assert search_index.available(database.obj)


def test_search_finds_by_phone_fragments_email_tags_and_words(maria):
    for typed in ("6789", "67-89", "345-67-89", "912 345", "8 (912) 345-67-89", "maria.v@mail", "MAIL.RU",
                  "срочно", "инд", "воскрес", "ярус", "мария юрьевна", "во", "ярус в"):
        assert found(typed) == {maria.id}, typed


def test_search_by_order_number_and_no_false_matches(maria):
    assert found(str(maria.order_no)) == {maria.id}
    assert found("нет такого") == set()
    assert found("100%") == set() and found("a_b") == set()  # wildcards of LIKE are plain characters
    assert counted("6789") == {"new": bq.Totals(1, 0)}


def test_searching_is_no_change_other_pcs_would_refresh_for(maria):
    before = change_feed.current_counter()
    assert found("воскрес") == {maria.id} and counted("6789") == {"new": bq.Totals(1, 0)}
    assert change_feed.current_counter() == before


def test_the_index_follows_edits_moves_and_deletes(staff, maria):
    deals.update_deal(maria.id, staff["manager"], {"contact.full_name": "Петрова Анна Ивановна",
                                                   "contact.phone": "+7 911 222-33-44"})
    assert found("6789") == set() and found("юрьевна") == set()
    assert found("петрова") == {maria.id} and found("3344") == {maria.id}
    board_moves.move_many([maria.id], "first_contact", staff["manager"])
    assert found("петрова") == {maria.id}
    assert counted("петрова") == {"first_contact": bq.Totals(1, 0)}
    Deal.delete().where(Deal.id == maria.id).execute()
    assert found("петрова") == set()


def test_column_counters_follow_creates_moves_budget_edits_and_deletes(staff, maria):
    assert counted() == scanned()
    other = new_deal(staff["manager"], "Третья", budget="12 500")
    assert counted() == scanned() and counted()["new"].budget == 12_500_00
    deals.update_deal(other.id, staff["manager"], {"budget": "20 000"})
    board_moves.move_many([other.id, maria.id], "first_contact", staff["manager"])
    assert counted() == scanned() == {"new": bq.Totals(1, 0), "first_contact": bq.Totals(2, 20_000_00)}
    Deal.delete().where(Deal.id == other.id).execute()
    Deal.insert(order_no=999, name="Импорт", stage="paid", budget=5_00, search_text="999 импорт").execute()
    assert counted() == scanned()
    assert found("импорт") == {Deal.get(Deal.order_no == 999).id}


def test_the_migration_builds_index_and_counters_for_an_existing_database(staff, maria):
    """A database of the previous schema, with deals written before the index existed."""
    db = database.obj
    if is_postgres():
        db.execute_sql(f"DROP INDEX {search_index.PG_INDEX}")
        db.execute_sql("DROP TRIGGER stage_total_keep ON deal")
    else:
        db.execute_sql(f"DROP TABLE {search_index.FTS_TABLE}")
        for name in ("deal_search_insert", "deal_search_delete", "deal_search_update", "stage_total_insert",
                     "stage_total_delete", "stage_total_update"):
            db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql(f"DROP TABLE {stage_totals.TABLE}")
    db.execute_sql("UPDATE schema_version SET version = 7")
    db._deal_search_index = None
    assert not search_index.available(db)
    assert found("6789") == {maria.id}  # without the index: a scan finds the same
    migrations.upgrade(db)
    analyze(db)
    assert search_index.available(db)
    assert found("6789") == {maria.id} and found("замок") == {Deal.get(Deal.name == "Другая Замок").id}
    assert counted() == scanned()


def test_a_searched_column_shows_the_count_and_budget_of_every_match(staff, maria):
    """The totals of a search, with a one-letter word too (checked on the deals the index finds)."""
    deals.update_deal(maria.id, staff["manager"], {"budget": "30 000"})
    other = new_deal(staff["manager"], "Ярус для Вовы", budget="12 500")
    assert counted("ярус") == {"new": bq.Totals(2, 42_500_00)}
    assert counted("ярус в") == {"new": bq.Totals(2, 42_500_00)}  # «Воскресенская», «Вовы»
    assert counted("ярус д") == {"new": bq.Totals(1, 12_500_00)} and found("ярус д") == {other.id}
    assert counted("ярус ж") == {} and found("ярус ж") == set()
    assert counted(str(other.order_no)) == {"new": bq.Totals(1, 12_500_00)}


def test_the_totals_of_a_search_follow_this_and_another_pcs_writes(staff, maria, db_url):
    """Typed again after a change, a search counts the deals as they are now: after a move and a
    budget edit here, and after another connection (another PC) moved a deal."""
    assert counted("ярус") == counted("ярус") == {"new": bq.Totals(1, 0)}
    board_moves.move_many([maria.id], "first_contact", staff["manager"])
    assert counted("ярус") == {"first_contact": bq.Totals(1, 0)}
    deals.update_deal(maria.id, staff["manager"], {"budget": "1 000"})
    assert counted("ярус") == {"first_contact": bq.Totals(1, 1_000_00)}
    with second_connection(db_url):
        deals.update_deal(maria.id, staff["manager"], {"budget": "2 000"})
        board_moves.move_many([maria.id], "design_agreement", staff["manager"])
    assert counted("ярус") == {"design_agreement": bq.Totals(1, 2_000_00)}
    assert found("ярус") == {maria.id}


def test_a_searched_column_lists_its_matches_newest_change_first_page_after_page(staff, fake_clock):
    made = []
    for n in range(bq.PAGE_SIZE + 5):
        made.append(new_deal(staff["manager"], f"Ярус {n}").id)
        fake_clock.advance(timedelta(minutes=1))
    new_deal(staff["manager"], "Замок")
    (first, cursor), = bq.first_pages([("new",)], BoardFilter(text="ярус"))
    assert first == made[::-1][:bq.PAGE_SIZE] and cursor is not None
    rest, cursor = bq.page(("new",), BoardFilter(text="ярус"), after=cursor)
    assert rest == made[::-1][bq.PAGE_SIZE:] and cursor is None
    deals.update_deal(made[0], staff["manager"], {"tags": "срочно"})  # changed last: now the newest
    (first, _), = bq.first_pages([("new",)], BoardFilter(text="ярус"), limit=3)
    assert first == [made[0], made[-1], made[-2]]


def test_the_first_pages_after_the_totals_of_a_search_are_each_columns_newest_matches(staff, fake_clock):
    """As the board asks them: the totals of the visible stages, then the first pages of the columns
    with matches (fewer rows than a page); then a column of another stage (read again, not missed)."""
    made = []
    for n in range(6):
        made.append(new_deal(staff["manager"], f"Ярус {n}").id)
        fake_clock.advance(timedelta(minutes=1))
    board_moves.move_many(made[:3], "first_contact", staff["manager"])
    fake_clock.advance(timedelta(minutes=1))
    board_moves.move_many([made[0]], "design_agreement", staff["manager"])
    flt = BoardFilter(text="ярус")

    def newest(stage: str, limit: int) -> list[int]:
        query = Deal.select(Deal.id).where(Deal.stage == stage).order_by(Deal.updated_at.desc(), Deal.id.desc())
        return [deal.id for deal in query.limit(limit)]

    totals = bq.totals(("new", "first_contact", "won"), flt)
    assert totals == {"new": bq.Totals(3, 0), "first_contact": bq.Totals(2, 0), "won": bq.Totals()}
    pages = bq.first_pages([("new",), ("first_contact",), ("won",)], flt, limit=2, found=totals)
    assert [ids for ids, _ in pages] == [newest("new", 2), newest("first_contact", 2), []]
    assert pages[0][1] is not None and pages[2][1] is None
    (ids, _), = bq.first_pages([("design_agreement", "first_contact")], flt, limit=5)
    assert ids == [made[0], *newest("first_contact", 5)]
    assert bq.totals(("design_agreement",), flt) == {"design_agreement": bq.Totals(1, 0)}


def test_a_search_inside_a_transaction_sees_its_writes_and_nothing_after_a_rollback(staff, maria):
    assert counted("ярус") == {"new": bq.Totals(1, 0)}
    with database.atomic() as transaction:
        new_deal(staff["manager"], "Ярус второй")
        assert counted("ярус") == {"new": bq.Totals(2, 0)} and len(found("ярус")) == 2
        transaction.rollback()
    assert counted("ярус") == {"new": bq.Totals(1, 0)} and found("ярус") == {maria.id}


def shown(text: str) -> tuple[dict[str, bq.Totals], list[list[int]]]:
    """What the board shows for ``text`` as it asks it: every column's totals, then the first pages
    of the columns with matches."""
    columns = [(code,) for code in EVERY_STAGE]
    totals = bq.totals(EVERY_STAGE, BoardFilter(text=text))
    return totals, [ids for ids, _ in bq.first_pages(columns, BoardFilter(text=text), found=totals)]


def shown_afresh(text: str) -> tuple[dict[str, bq.Totals], list[list[int]]]:
    """``shown`` read straight through the index (inside a transaction nothing searched before is reused)."""
    with database.atomic():
        return shown(text)


def test_typing_letter_by_letter_shows_the_cards_and_totals_of_the_whole_text(staff, maria):
    """Each keystroke is a search of its own: the same cards and totals as the text typed at once,
    whether a letter keeps the deals found («ярус» → «ярус в») or leaves fewer («ярус вов» → «ярус вовы»)."""
    deals.update_deal(maria.id, staff["manager"], {"budget": "30 000"})
    vova = new_deal(staff["manager"], "Ярус для Вовы", budget="12 500")
    board_moves.move_many([vova.id], "first_contact", staff["manager"])
    new_deal(staff["manager"], "Ярусная кровать Вовы", budget="7 000")
    new_deal(staff["manager"], "Ярус Вове", budget="5 000")
    for text in ("я", "яр", "яру", "ярус", "ярус ", "ярус в", "ярус во", "ярус вов", "ярус вовы", "ярус во",
                 "ярус вовы"):
        assert shown(text) == shown_afresh(text), text
    assert counted("ярус вовы") == {"new": bq.Totals(1, 7_000_00), "first_contact": bq.Totals(1, 12_500_00)}
    assert counted("ярус вов") == {"new": bq.Totals(2, 12_000_00), "first_contact": bq.Totals(1, 12_500_00)}


def test_a_change_between_two_keystrokes_is_seen_by_the_second(staff, maria, db_url):
    """Typed further after a write here or on another PC, the search counts the deals as they are
    now, though it finds as many deals as before."""
    assert counted("яру") == {"new": bq.Totals(1, 0)}
    deals.update_deal(maria.id, staff["manager"], {"budget": "1 000"})
    assert counted("ярус") == {"new": bq.Totals(1, 1_000_00)}
    with second_connection(db_url):
        board_moves.move_many([maria.id], "first_contact", staff["manager"])
    assert counted("ярус в") == {"first_contact": bq.Totals(1, 1_000_00)}
    assert shown("ярус во") == shown_afresh("ярус во")
    with second_connection(db_url):
        deals.update_deal(maria.id, staff["manager"], {"budget": "2 000"})
    assert counted("ярус вос") == {"first_contact": bq.Totals(1, 2_000_00)} and found("ярус вос") == {maria.id}


def test_a_one_letter_word_finds_every_deal_with_a_word_starting_with_it(staff, maria):
    """Through the index as a scan would: a word anywhere, the first («7…» of the order number) and the
    last («Замок с») too, and the order number of a lone digit."""
    last = new_deal(staff["manager"], "Замок с")
    assert found("с") == {maria.id, last.id}  # «срочно», «с»
    assert found("ю") == {maria.id} and found("ж") == set() and found("м") == {maria.id}
    for text in ("с", "м", "в", "д", "ж", "3", "9", "с м", "в с", str(maria.order_no)[:1]):
        assert shown(text) == shown_afresh(text), text
    deals.update_deal(last.id, staff["manager"], {"name": "Замок"})
    assert found("с") == {maria.id}
