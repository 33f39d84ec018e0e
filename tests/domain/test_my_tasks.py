"""«Мои задачи»: sections at the shop's day boundaries, filters, moving due times."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.domain import clock
from app.domain.codes import TaskType
from app.domain.reminder_rules import ReminderSettings, Section, section_of
from app.services import my_tasks, people, tasks
from app.services.my_tasks import TaskFilter
from app.store.models import Task, TimelineEntry
from tests.domain.helpers import new_deal


def _msk(day, hour, minute=0, month=6):
    return clock.from_local(datetime(2025, month, day, hour, minute))


@pytest.mark.parametrize("now, due, all_day, expected", [
    # 23:59 Moscow is still «today»; 00:00 is «tomorrow» though in UTC both are the same day
    (_msk(2, 12), _msk(2, 23, 59), False, Section.TODAY),
    (_msk(2, 12), _msk(3, 0, 0), False, Section.TOMORROW),
    (_msk(2, 12), _msk(3, 23, 59), False, Section.TOMORROW),
    (_msk(2, 12), _msk(4, 0, 0), False, Section.LATER),
    (_msk(2, 12), _msk(2, 11, 59), False, Section.OVERDUE),
    # an all-day task is not overdue until its day ends in Moscow
    (_msk(2, 23, 59), _msk(2, 0), True, Section.TODAY),
    (_msk(3, 0, 0), _msk(2, 0), True, Section.OVERDUE),
    (_msk(2, 23, 59), _msk(3, 0), True, Section.TOMORROW),
    # New Year across the UTC date line: 31.12 22:00 UTC is already 01.01 in Moscow
    (_msk(31, 23, month=12), _msk(31, 0, month=12), True, Section.TODAY),
])
def test_sections_at_moscow_day_boundaries(now, due, all_day, expected):
    assert section_of(due, all_day, False, now) == expected


def test_done_is_done_whatever_the_date():
    assert section_of(_msk(1, 9), False, True, _msk(2, 12)) == Section.DONE


def test_list_shows_own_and_group_tasks_in_sections(staff, fake_clock):
    manager, designer = staff["manager"], staff["designer"]
    deal = new_deal(manager, name="Краева Ольга (МИА)")
    auto = Task.get(Task.deal == deal.id)
    group_task = tasks.add_task(deal.id, designer, text="Дизайн готов", group=people.group_named("Магазины"),
                                due_at=fake_clock.now() + timedelta(days=1)).value
    later = tasks.add_task(None, manager, text="Сверить остатки", user=manager,
                           due_at=fake_clock.now() + timedelta(days=5), type=TaskType.OTHER).value
    tasks.add_task(None, manager, text="Чужая", user=staff["manager2"], due_at=fake_clock.now())
    done = tasks.add_task(None, manager, text="Сделано", user=manager, due_at=fake_clock.now()).value
    tasks.complete_task(done.id, manager, "готово")
    fake_clock.advance(timedelta(minutes=16))  # past the new lead's grace

    rows = my_tasks.list_tasks(manager)
    assert [(r.id, r.section) for r in rows] == [
        (auto.id, Section.OVERDUE), (group_task.id, Section.TOMORROW), (later.id, Section.LATER),
        (done.id, Section.DONE)]
    first, second = rows[0], rows[1]
    assert (first.deal_id, first.deal_title, first.set_by, first.addressee) == (
        deal.id, f"№{deal.order_no} Краева Ольга (МИА)", "Система", manager.full_name)
    assert (second.type_name, second.set_by, second.addressee) == (
        "Связаться с клиентом", designer.full_name, "Магазины")
    assert rows[3].result == "готово"

    fake_clock.advance(timedelta(days=8))
    assert done.id not in [r.id for r in my_tasks.list_tasks(manager)]


def test_filters_by_person_group_and_type(staff, fake_clock):
    manager, other = staff["manager"], staff["manager2"]
    mine = tasks.add_task(None, manager, text="Моя", user=manager, type=TaskType.MEETING).value
    theirs = tasks.add_task(None, manager, text="Ольгина", user=other).value
    shops = tasks.add_task(None, manager, text="Всем", group=people.group_named("Магазины")).value
    builders = tasks.add_task(None, manager, text="Конструкторам", group=people.group_named("Конструктор")).value

    def ids(task_filter):
        return {r.id for r in my_tasks.list_tasks(manager, task_filter)}

    assert ids(TaskFilter()) == {mine.id, shops.id}
    assert ids(TaskFilter(person_id=other.id)) == {theirs.id, shops.id}
    assert ids(TaskFilter(group_id=people.group_named("Конструктор").id)) == {builders.id}
    assert ids(TaskFilter(type=TaskType.MEETING)) == {mine.id}


def test_plus_hour_tomorrow_and_pick_a_date(staff, fake_clock):
    manager = staff["manager"]
    settings = ReminderSettings(work_start=time(9), work_end=time(20))
    deal = new_deal(manager)
    task = Task.get(Task.deal == deal.id)  # due at creation: 12:00 Moscow
    fake_clock.advance(timedelta(hours=2))  # 14:00, task overdue: an hour from now
    my_tasks.plus_hour(task.id, manager, settings)
    assert clock.to_local(Task.get_by_id(task.id).due_at).strftime("%d.%m %H:%M") == "02.06 15:00"
    my_tasks.plus_hour(task.id, manager, settings)  # not yet due: an hour after its due time
    assert clock.to_local(Task.get_by_id(task.id).due_at).strftime("%d.%m %H:%M") == "02.06 16:00"

    my_tasks.tomorrow(task.id, manager)
    assert clock.to_local(Task.get_by_id(task.id).due_at).strftime("%d.%m %H:%M") == "03.06 16:00"

    fake_clock.at = _msk(3, 19, 30)  # an hour later is after the working day: next morning
    my_tasks.plus_hour(task.id, manager, settings)
    assert clock.to_local(Task.get_by_id(task.id).due_at).strftime("%d.%m %H:%M") == "04.06 09:00"

    my_tasks.move_to(task.id, manager, date(2025, 6, 10), None)
    moved = Task.get_by_id(task.id)
    assert moved.all_day and clock.to_local(moved.due_at).date() == date(2025, 6, 10)
    my_tasks.tomorrow(task.id, manager)
    moved = Task.get_by_id(task.id)
    assert moved.all_day and clock.to_local(moved.due_at).date() == date(2025, 6, 4)
    feed = [e.text for e in TimelineEntry.select().where(TimelineEntry.deal == deal.id)]
    assert sum("перенесён" in line for line in feed) == 6


def test_moving_a_deal_task_names_its_card_and_column(staff):
    deal = new_deal(staff["manager"])
    task = Task.get(Task.deal == deal.id)
    changes = my_tasks.tomorrow(task.id, staff["manager"]).changes
    assert (changes.deal_ids, changes.stages, changes.tasks, changes.timeline) == (
        frozenset({deal.id}), frozenset({"new"}), True, True)


def test_done_section_newest_first_and_capped(staff, fake_clock, monkeypatch):
    manager = staff["manager"]
    finished = []
    for n in range(3):
        task = tasks.add_task(None, manager, text=f"Сделано {n}", user=manager, due_at=fake_clock.now()).value
        tasks.complete_task(task.id, manager, "ок")
        finished.append(task.id)
        fake_clock.advance(timedelta(minutes=5))
    assert [r.id for r in my_tasks.list_tasks(manager)] == finished[::-1]
    monkeypatch.setattr(my_tasks, "DONE_LIMIT", 2)
    assert [r.id for r in my_tasks.list_tasks(manager)] == finished[:0:-1]
