"""The board's queries: totals by the database, keyset pages, search and filters, cards."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playhouse.test_utils import count_queries

from app.domain.codes import OrderKind
from app.queries import board as bq
from app.queries.board import BoardFilter
from app.services import deals, numbering, stale, tasks
from app.services.people import group_named
from app.store import migrations
from app.store.models import Deal, Task
from tests.domain.helpers import new_deal


def _bulk(count: int, stage: str = "new", budget: int = 100_00) -> None:
    """``count`` plain deals straight into ``stage`` (no tasks), fast."""
    start = (Deal.select(Deal.order_no).order_by(Deal.order_no.desc()).scalar() or 0) + 1
    Deal.insert_many([dict(order_no=start + i, name=f"Сделка {start + i}", stage=stage, budget=budget,
                           search_text=f"сделка {start + i}") for i in range(count)]).execute()
    numbering.ensure_at_least(numbering.ORDER_NO, start + count)


def test_totals_count_every_deal_not_only_a_page(staff):
    _bulk(bq.PAGE_SIZE * 2 + 5, "paid", 1_000_00)
    _bulk(3, "cutting", 50_00)
    result = bq.totals(("paid", "cutting", "won"))
    assert result["paid"] == bq.Totals(85, 85 * 1_000_00)
    assert result["cutting"] == bq.Totals(3, 150_00)
    assert result["won"] == bq.Totals(0, 0)


def test_pages_walk_a_column_newest_first_without_gaps(staff, fake_clock):
    _bulk(bq.PAGE_SIZE + 7, "paid")
    seen, cursor = bq.page(("paid",))
    assert len(seen) == bq.PAGE_SIZE and cursor is not None
    rest, cursor = bq.page(("paid",), after=cursor)
    assert cursor is None and len(rest) == 7
    assert sorted(seen + rest) == sorted(d.id for d in Deal.select(Deal.id))
    fake_clock.advance(timedelta(minutes=1))
    touched = new_deal(staff["manager"], "Новая")
    assert bq.page(("new", "paid"))[0][0] == touched.id


def test_search_by_phone_in_any_format_email_order_number_and_words(staff):
    maria = new_deal(staff["manager"], "Воскресенская Ярус", **{
        "contact.full_name": "Воскресенская Мария Юрьевна", "contact.phone": "+7 912 345-67-89",
        "contact.email": "maria@mail.ru"})
    deals.update_deal(maria.id, staff["manager"], {"tags": "инд срочно"})
    new_deal(staff["manager"], "Другая", **{"contact.phone": "+7 921 000-00-00"})

    def found(text: str) -> list[int]:
        return bq.page(tuple(s for s in ("new",)), BoardFilter(text=text))[0]

    for typed in ("8 (912) 345-67-89", "+79123456789", "912 345 67 89", "MARIA@mail.ru", "ярус",
                  "воскресенская мария", "срочно", str(maria.order_no)):
        assert found(typed) == [maria.id], typed
    assert found("нет такого") == []
    assert bq.totals(("new",), BoardFilter(text="8 (912) 345-67-89"))["new"].count == 1


def test_filters_by_responsible_kind_mine_and_overdue(staff, fake_clock):
    mine = new_deal(staff["manager"], "Моя")
    other = deals.create_deal(staff["manager2"], name="Чужая", kind=OrderKind.INDIVIDUAL).deal
    everything = ("new",)
    assert bq.page(everything, BoardFilter(responsible_id=staff["manager2"].id))[0] == [other.id]
    assert bq.page(everything, BoardFilter(kind=OrderKind.INDIVIDUAL))[0] == [other.id]
    assert bq.page(everything, BoardFilter(mine_user_id=staff["manager"].id))[0] == [mine.id]
    # both automatic «Связаться с клиентом» tasks are due after the new leads' grace of 15 minutes
    fake_clock.advance(timedelta(minutes=14))
    assert bq.page(everything, BoardFilter(overdue_only=True))[0] == []
    fake_clock.advance(timedelta(minutes=2))
    assert set(bq.page(everything, BoardFilter(overdue_only=True))[0]) == {mine.id, other.id}
    for task in Task.select().where(Task.deal == other.id):
        tasks.complete_task(task.id, staff["manager2"])
    assert bq.page(everything, BoardFilter(overdue_only=True))[0] == [mine.id]


def test_all_day_task_counts_as_overdue_only_after_its_day(staff, fake_clock):
    deal = new_deal(staff["manager"], "Весь день")
    for task in Task.select().where(Task.deal == deal.id):
        tasks.complete_task(task.id, staff["manager"])
    tasks.add_task(deal.id, staff["manager"], text="Перезвонить", group=group_named("Магазины"),
                   due_at=tasks.day_start_utc(fake_clock.now().date()), all_day=True)
    fake_clock.advance(timedelta(hours=11))  # 23:00 local, same day
    assert bq.page(("new",), BoardFilter(overdue_only=True))[0] == []
    fake_clock.advance(timedelta(hours=2))  # 01:00 next day
    assert bq.page(("new",), BoardFilter(overdue_only=True))[0] == [deal.id]


def test_cards_carry_contact_and_open_tasks(staff):
    deal = new_deal(staff["manager"], "Краева Ольга (МИА)", **{"contact.full_name": "Краева Ольга Сергеевна",
                                                               "budget": "57 500"})
    card = bq.cards([deal.id, 999_999])
    assert list(card) == [deal.id]
    data = card[deal.id]
    assert (data.name, data.contact_name, data.budget, data.order_no) == (
        "Краева Ольга (МИА)", "Краева Ольга Сергеевна", 5_750_000, deal.order_no)
    assert len(data.tasks) == 1


def test_a_card_carries_each_open_task_once_and_no_done_one(staff, fake_clock):
    deal = new_deal(staff["manager"], "Три задачи")
    plain = new_deal(staff["manager"], "Без задач")
    Task.update(done_at=fake_clock.now()).where(Task.deal == plain.id).execute()
    first = Task.get(Task.deal == deal.id)
    later = tasks.create_task(deal, staff["manager"], text="Позвонить", due_at=first.due_at + timedelta(days=2),
                              user=staff["manager"])
    done = tasks.create_task(deal, staff["manager"], text="Готово", due_at=first.due_at + timedelta(days=1),
                             user=staff["manager"])
    Task.update(done_at=fake_clock.now()).where(Task.id == done.id).execute()
    card = bq.cards([plain.id, deal.id])
    assert [task.due_at for task in card[deal.id].tasks] == [first.due_at, later.due_at]
    assert card[plain.id].tasks == [] and card[plain.id].name == "Без задач"


@pytest.mark.parametrize("deals_count", [5, 300])
def test_reading_a_page_costs_the_same_queries_for_any_number_of_deals(staff, deals_count):
    for i in range(3):
        new_deal(staff["manager"], f"С задачей {i}")
    _bulk(deals_count)
    with count_queries() as counter:
        ids, _ = bq.page(("new",))
        bq.cards(ids)
        bq.totals(("new", "paid"))
    assert counter.count == 3  # the page, the cards with their open tasks, the totals


def test_stale_thresholds_default_to_the_stage_and_can_be_overridden(db):
    assert stale.thresholds()["invoice"] == 3
    assert stale.thresholds()["won"] == 0
    stale.set_threshold("invoice", 5)
    assert stale.thresholds()["invoice"] == 5
    stale.set_threshold("invoice", None)
    assert stale.thresholds()["invoice"] == 3


def test_board_index_migration_runs_on_an_old_database(db):
    db.execute_sql('DROP INDEX IF EXISTS "deal_stage_budget"')
    db.execute_sql('DROP INDEX IF EXISTS "task_deal_id_done_at"')
    migrations._m004_board_indexes(db)
    migrations._m004_board_indexes(db)  # a no-op the second time
    assert {"deal_stage_budget"} <= {index.name for index in db.get_indexes("deal")}
    assert {"task_deal_id_done_at"} <= {index.name for index in db.get_indexes("task")}


def test_pages_of_several_columns_at_once_are_each_columns_page(staff, fake_clock):
    for stage in ("paid", "cutting", "sawing"):
        _bulk(7, stage)
        fake_clock.advance(timedelta(minutes=1))
    deal = new_deal(staff["manager"], "Ярус Соколовой")
    requests = [(("paid",), BoardFilter(), 5), (("cutting", "sawing"), BoardFilter(), 20), (("won",), BoardFilter(), 3),
                (("new",), BoardFilter(text="ярус"), 5), (("paid",), BoardFilter(text="сделка 3"), 5)]
    together = bq.pages(requests)
    assert together == [bq.page(stages, flt, None, limit) for stages, flt, limit in requests]
    assert [len(ids) for ids, _ in together] == [5, 14, 0, 1, 1] and together[3][0] == [deal.id]
    assert together[0][1] is not None and together[1][1] is None
    with count_queries() as counter:
        bq.pages(requests)
    assert counter.count == 3  # one per filter
    with count_queries() as counter:
        bq.pages(requests[:3])
    assert counter.count == 1
