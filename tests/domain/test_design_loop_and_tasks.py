"""The design loop between designer and constructor, and tasks by hand."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import clock
from app.domain.codes import TaskType
from app.domain.errors import ConflictError, ServiceError
from app.services import deals, tasks
from app.store.models import Task, TimelineEntry
from tests.domain.helpers import new_deal, run_together


def _timeline(deal_id):
    return [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal_id)
            .order_by(TimelineEntry.id)]


def test_design_loop_no_then_yes_then_design_ready(staff):
    designer, constructor = staff["designer"], staff["constructor"]
    deal = new_deal(staff["manager"])
    deals.move_deal(deal.id, "design", staff["manager"])

    question = tasks.ask_feasibility(deal.id, designer).value
    assert (question.type, question.assignee_group.name, question.all_day) == (
        TaskType.CONFIRM, "Конструктор", True)
    assert clock.to_local(question.due_at).date() == clock.local_today()

    closed, reply = tasks.answer_feasibility(question.id, constructor, False, "ножки толще 50 мм").value
    assert closed.result == "нет, ножки толще 50 мм" and closed.done_by_id == constructor.id
    assert (reply.type, reply.assignee_user_id, reply.parent_id) == (TaskType.CONFIRM, designer.id, question.id)
    assert "нет, ножки толще 50 мм" in reply.text

    tasks.complete_task(reply.id, designer, "адаптирую дизайн")
    second = tasks.ask_feasibility(deal.id, designer).value
    _, yes = tasks.answer_feasibility(second.id, constructor, True, "такую кровать сделать можем").value
    assert "да, такую кровать сделать можем" in yes.text
    tasks.complete_task(yes.id, designer, "ок")

    ready = tasks.design_ready(deal.id, designer).value
    assert (ready.text, ready.type, ready.assignee_group.name) == (
        "Связаться с клиентом. Дизайн готов", TaskType.CONTACT, "Магазины")
    feed = _timeline(deal.id)
    assert "Подтверждение: Возможно ли создать такую кровать технически — да, такую кровать сделать можем" in feed
    assert any("Дизайн готов" in line and "для магазинов" in line for line in feed)


def test_answer_goes_to_designers_group_when_asker_unknown(staff):
    deal = new_deal(staff["manager"])
    question = tasks.ask_feasibility(deal.id, None).value
    _, reply = tasks.answer_feasibility(question.id, staff["constructor"], True).value
    assert reply.assignee_group.name == "Дизайнер"


def test_complete_task_twice_refused(staff):
    deal = new_deal(staff["manager"])
    task = Task.get(Task.deal == deal.id)
    tasks.complete_task(task.id, staff["manager"], "Дозвонилась")
    with pytest.raises(ServiceError, match="уже выполнена"):
        tasks.complete_task(task.id, staff["manager"], "ещё раз")
    assert "Связаться с клиентом: Связаться с клиентом — Дозвонилась" in _timeline(deal.id)


def test_manual_task_needs_text_and_one_addressee(staff, counts):
    deal = new_deal(staff["manager"])
    before = counts()
    with pytest.raises(ServiceError, match="Текст задачи: не заполнено"):
        tasks.add_task(deal.id, staff["manager"], text="  ", user=staff["manager"])
    with pytest.raises(ServiceError, match="Кому: выберите человека или группу"):
        tasks.add_task(deal.id, staff["manager"], text="Позвонить")
    assert counts() == before


def test_reschedule_moves_due_and_logs(staff, fake_clock):
    deal = new_deal(staff["manager"])
    task = Task.get(Task.deal == deal.id)
    later = fake_clock.now() + timedelta(days=1)
    tasks.reschedule_task(task.id, staff["manager"], later)
    assert Task.get_by_id(task.id).due_at == later
    assert any("перенесён" in line for line in _timeline(deal.id))


def test_a_task_is_completed_once_when_four_pcs_complete_it_at_once(staff):
    """Four PCs press «Выполнить» on the same tasks at the same moment: one wins each task, the others
    are told it is done already; one timeline line each."""
    deal = new_deal(staff["manager"])
    ids = [tasks.add_task(deal.id, staff["manager"], text=f"Перезвонить {n}", user=staff["manager"]).value.id
           for n in range(12)]
    conflicts = []

    def complete_all(order):
        for task_id in order:
            try:
                tasks.complete_task(task_id, staff["manager"], "готово")
            except ConflictError as error:
                conflicts.append(str(error))

    errors = run_together(*(lambda o=order: complete_all(o) for order in (ids, ids[::-1], ids[6:] + ids[:6], ids)))
    assert errors == []
    assert len(conflicts) == 3 * len(ids) and all("уже выполнена" in text for text in conflicts)
    done_lines = TimelineEntry.select().where(TimelineEntry.deal == deal.id,
                                              TimelineEntry.kind == TimelineEntry.TASK_DONE)
    assert done_lines.count() == len(ids)


def test_task_text_with_percent_quotes_and_semicolons_shows_in_the_feed_as_typed(staff):
    deal = new_deal(staff["manager"])
    typed = "Скидка 10%; клиент сказал: «не дороже 50 000» — O'Brien's %s"
    task = tasks.add_task(deal.id, staff["manager"], text=typed, user=staff["manager"]).value
    assert Task.get_by_id(task.id).text == typed
    assert any(line.endswith(typed) for line in _timeline(deal.id))
