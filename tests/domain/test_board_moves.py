"""Moving several cards, and undoing the board's last move: back to the old stage, the move's open tasks and SMS removed."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.errors import ConflictError, PermissionDeniedError
from app.services import board_moves, deals, tasks
from app.store.models import Deal, OutboxSms, StageHistory, Task, TimelineEntry
from tests.domain.helpers import INVOICE_VALUES, PAID_VALUES, complete_deal, new_deal


def _open_tasks(deal_id: int) -> list[str]:
    return sorted(t.text for t in Task.select().where(Task.deal == deal_id, Task.done_at.is_null()))


def test_undo_puts_the_deal_back_and_removes_the_tasks_and_sms_of_the_move(staff, fake_clock):
    deal = new_deal(staff["manager"], **INVOICE_VALUES)
    deals.move_deal(deal.id, "invoice", staff["manager"])
    entered = Deal.get_by_id(deal.id).stage_entered_at
    tasks_before = _open_tasks(deal.id)
    fake_clock.advance(timedelta(hours=2))
    result, record = board_moves.move_recorded(deal.id, "paid", staff["manager"], values=PAID_VALUES)
    assert result.to_stage == "paid" and record.task_ids and record.sms_ids
    fake_clock.advance(timedelta(seconds=5))

    changes = board_moves.undo_move([record], staff["manager"])

    back = Deal.get_by_id(deal.id)
    assert back.stage == "invoice" and back.stage_entered_at == entered
    assert _open_tasks(deal.id) == tasks_before
    assert OutboxSms.select().where(OutboxSms.deal == deal.id).count() == 0
    assert back.delivery_city == PAID_VALUES["delivery_city"]  # typed data stays
    last = StageHistory.select().where(StageHistory.deal == deal.id).order_by(StageHistory.id.desc()).first()
    assert (last.from_stage, last.to_stage) == ("paid", "invoice")
    feed = TimelineEntry.select().where(TimelineEntry.deal == deal.id).order_by(TimelineEntry.id.desc()).first()
    assert feed.text.startswith("Перевод отменён: снова Счет выставлен")
    assert "Прикрепить БЗ для производства" in feed.text
    assert changes.stages == {"invoice", "paid"} and changes.deal_ids == {deal.id}


def test_undo_keeps_tasks_already_done_and_restores_the_responsible(staff):
    deal = new_deal(staff["manager"])
    _, record = board_moves.move_recorded(deal.id, "design", staff["manager"])
    assert Deal.get_by_id(deal.id).responsible_id == staff["designer"].id
    done = Task.get_by_id(record.task_ids[0])
    tasks.complete_task(done.id, staff["manager"], "да")
    board_moves.undo_move([record], staff["manager"])
    back = Deal.get_by_id(deal.id)
    assert back.stage == "new" and back.responsible_id == staff["manager"].id
    assert Task.get_or_none(Task.id == done.id) is not None
    assert Task.get_or_none(Task.id == record.task_ids[1]) is None


def test_undo_of_several_cards_is_one_transaction(staff, counts):
    first, second = complete_deal(staff["manager"]), complete_deal(staff["manager"])
    records = [board_moves.move_recorded(d.id, "first_contact", staff["manager"])[1] for d in (first, second)]
    deals.update_deal(second.id, staff["manager"], {"tags": "срочно"})
    before = counts()
    with pytest.raises(ConflictError, match=f"№{second.order_no} уже изменили"):
        board_moves.undo_move(records, staff["manager"])
    assert counts() == before
    assert Deal.get_by_id(first.id).stage == "first_contact"


def test_move_to_the_same_stage_leaves_nothing_to_undo(staff):
    deal = new_deal(staff["manager"])
    assert board_moves.move_recorded(deal.id, "new", staff["manager"])[1] is None


def test_move_many_moves_the_free_and_reports_the_gated(staff, counts):
    ready, empty = complete_deal(staff["manager"]), new_deal(staff["manager"])
    batch = board_moves.move_many([ready.id, empty.id, 987_654], "invoice", staff["manager"])
    assert [r.deal_id for r in batch.records] == [ready.id]
    assert list(batch.refused) == [empty.id]
    assert "ФИО" in str(batch.refused[empty.id])
    assert batch.errors and "не найдена" in batch.errors[0]
    assert Deal.get_by_id(ready.id).stage == "invoice" and Deal.get_by_id(empty.id).stage == "new"
    assert batch.changes.stages == {"new", "invoice"}


def test_undo_needs_the_right_of_the_move_it_reverses(staff, counts):
    """Undoing a move out of «Счет выставлен» puts the deal back into it: the production chief, who may
    not enter that stage, is refused, and nothing changes."""
    deal = complete_deal(staff["manager"])
    deals.move_deal(deal.id, "invoice", staff["manager"])
    moved = board_moves.move_recorded(deal.id, "paid", None)  # e.g. the system, or an administrator
    before = counts()
    with pytest.raises(PermissionDeniedError, match="Счет выставлен"):
        board_moves.undo_move([moved.record], staff["chief"])
    assert counts() == before and Deal.get_by_id(deal.id).stage == "paid"
    board_moves.undo_move([moved.record], staff["manager"])
    assert Deal.get_by_id(deal.id).stage == "invoice"
