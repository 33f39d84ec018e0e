"""Reminders: once per person, back after a snooze or a new due time, group tasks to every member,
delayed automatic tasks when they fall due, all-day tasks at the start of the working day."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import peewee
import pytest
from playhouse.test_utils import count_queries

from app.domain import clock
from app.domain.reminder_rules import ReminderSettings
from app.services import deals, people, reminders, tasks
from app.store import migrations
from app.store.connection import open_database
from app.store.db import close_database, database
from app.store.models import Task, TaskReminder
from tests.domain.helpers import INVOICE_VALUES, new_deal

LEAD5 = ReminderSettings(lead_minutes=5)


def _at(hour, minute=0, day=2):
    """A shop-local moment of June 2025 as naive UTC."""
    return clock.from_local(datetime(2025, 6, day, hour, minute))


def _ids(found):
    return [task.id for task in found]


def _task_at_ten(staff):
    return tasks.add_task(None, staff["manager2"], text="Перезвонить клиенту", user=staff["manager"],
                          due_at=_at(10, day=3)).value


def test_fires_once_with_lead_not_after_restart_again_after_snooze(staff, fake_clock):
    task = _task_at_ten(staff)
    manager = staff["manager"]
    fake_clock.at = _at(9, 54, day=3)
    assert reminders.claim_pending(manager, LEAD5) == []
    fake_clock.at = _at(9, 55, day=3)
    assert _ids(reminders.claim_pending(manager, LEAD5)) == [task.id]
    fake_clock.advance(timedelta(minutes=1))
    assert reminders.claim_pending(manager, LEAD5) == []
    # a restart (or the second PC) finds the row and stays quiet
    assert reminders.pending(manager, LEAD5) == []

    reminders.snooze([task.id], manager, 15)
    fake_clock.advance(timedelta(minutes=14))
    assert reminders.claim_pending(manager, LEAD5) == []
    fake_clock.advance(timedelta(minutes=1))
    assert _ids(reminders.claim_pending(manager, LEAD5)) == [task.id]
    assert reminders.claim_pending(manager, LEAD5) == []


def test_rescheduled_task_reminds_again_and_done_task_never(staff, fake_clock):
    task = _task_at_ten(staff)
    manager = staff["manager"]
    fake_clock.at = _at(9, 55, day=3)
    assert _ids(reminders.claim_pending(manager, LEAD5)) == [task.id]
    tasks.reschedule_task(task.id, manager, _at(11, day=3))
    assert reminders.claim_pending(manager, LEAD5) == []
    fake_clock.at = _at(10, 55, day=3)
    assert _ids(reminders.claim_pending(manager, LEAD5)) == [task.id]
    tasks.complete_task(task.id, manager, "Дозвонилась")
    fake_clock.advance(timedelta(days=1))
    assert reminders.pending(manager, LEAD5) == []


def test_second_pc_claiming_the_same_moment_gets_nothing(staff, fake_clock):
    task = _task_at_ten(staff)
    fake_clock.at = _at(10, day=3)
    seen_first = reminders.pending(staff["manager"], LEAD5)
    assert _ids(reminders.claim_pending(staff["manager"], LEAD5)) == [task.id]
    # the other PC read the same pending list a moment earlier; its claim loses
    assert _ids(seen_first) == [task.id]
    assert reminders.claim_pending(staff["manager"], LEAD5) == []
    assert TaskReminder.select().count() == 1


def test_invoice_control_task_fires_three_days_after_the_move(staff, fake_clock):
    manager = staff["manager"]
    deal = new_deal(manager, **INVOICE_VALUES)
    tasks.complete_task(Task.get(Task.deal == deal.id).id, manager, "Дозвонилась")
    moved_at = fake_clock.now()
    deals.move_deal(deal.id, "invoice", manager)
    control = Task.get(Task.deal == deal.id, Task.rule == "invoice.control")
    assert reminders.claim_pending(manager, LEAD5) == []
    fake_clock.at = moved_at + timedelta(days=3, minutes=-6)
    assert reminders.claim_pending(manager, LEAD5) == []
    fake_clock.advance(timedelta(minutes=1))
    assert _ids(reminders.claim_pending(manager, LEAD5)) == [control.id]


def test_group_task_reaches_every_member_each_once(staff, fake_clock):
    deal = new_deal(staff["manager"])
    task = tasks.add_task(deal.id, staff["designer"], text="Дизайн готов", group=people.group_named("Магазины"),
                          due_at=fake_clock.now()).value
    tasks.complete_task(Task.get(Task.deal == deal.id, Task.rule == "new.contact").id, staff["manager"], "ок")
    for member in (staff["manager"], staff["manager2"]):
        assert _ids(reminders.claim_pending(member, LEAD5)) == [task.id]
        assert reminders.claim_pending(member, LEAD5) == []
    assert reminders.pending(staff["designer"], LEAD5) == []
    # one member snoozing leaves the other alone
    reminders.snooze([task.id], staff["manager"], 15)
    fake_clock.advance(timedelta(minutes=15))
    assert _ids(reminders.claim_pending(staff["manager"], LEAD5)) == [task.id]
    assert reminders.claim_pending(staff["manager2"], LEAD5) == []


def test_all_day_task_reminds_at_start_of_working_day(staff, fake_clock):
    settings = ReminderSettings(lead_minutes=60, work_start=time(9, 30), work_end=time(18, 0))
    task = tasks.add_task(None, staff["manager"], text="Сверить остатки", user=staff["manager"],
                          due_at=tasks.day_start_utc(clock.local_today() + timedelta(days=1)), all_day=True).value
    fake_clock.at = _at(9, 29, day=3)
    assert reminders.claim_pending(staff["manager"], settings) == []
    assert reminders.counts(staff["manager"], settings).total == 0
    fake_clock.at = _at(9, 30, day=3)
    assert _ids(reminders.claim_pending(staff["manager"], settings)) == [task.id]
    assert reminders.counts(staff["manager"], settings) == reminders.ReminderCounts(due=1, overdue=0)
    fake_clock.at = _at(0, 0, day=4)
    assert reminders.counts(staff["manager"], settings) == reminders.ReminderCounts(due=0, overdue=1)


def test_counts_and_snooze_all(staff, fake_clock):
    manager = staff["manager"]
    late = tasks.add_task(None, manager, text="Вчерашняя", user=manager,
                          due_at=fake_clock.now() - timedelta(days=1)).value
    soon = tasks.add_task(None, manager, text="Через 3 минуты", user=manager,
                          due_at=fake_clock.now() + timedelta(minutes=3)).value
    tasks.add_task(None, manager, text="Завтра", user=manager, due_at=fake_clock.now() + timedelta(days=1))
    assert reminders.counts(manager, LEAD5) == reminders.ReminderCounts(due=1, overdue=1)
    assert sorted(reminders.snooze_all(manager, LEAD5, 15).value) == sorted([late.id, soon.id])
    assert reminders.pending(manager, LEAD5) == []
    fake_clock.advance(timedelta(minutes=15))
    assert sorted(_ids(reminders.claim_pending(manager, LEAD5))) == sorted([late.id, soon.id])


def test_counts_take_the_groups_tasks_not_other_groups_nor_done_ones_in_one_query(staff, fake_clock):
    manager, designer = staff["manager"], staff["designer"]
    shops = people.groups_of(manager)[0]
    mine = {group.id for group in people.groups_of(manager)}
    others = [group for group in people.groups_of(designer) if group.id not in mine]
    past, near = fake_clock.now() - timedelta(hours=2), fake_clock.now() + timedelta(minutes=3)
    tasks.add_task(None, manager, text="Группе", group=shops, due_at=past)
    tasks.add_task(None, manager, text="Группе скоро", group=shops, due_at=near)
    tasks.add_task(None, manager, text="Чужой группе", group=others[0], due_at=past)
    tasks.add_task(None, manager, text="Дизайнеру", user=designer, due_at=past)
    done = tasks.add_task(None, manager, text="Сделана", user=manager, due_at=past).value
    Task.update(done_at=fake_clock.now()).where(Task.id == done.id).execute()
    with count_queries() as counter:
        assert reminders.counts(manager, LEAD5) == reminders.ReminderCounts(due=1, overdue=1)
    assert counter.count == 1
    assert reminders.counts(designer, LEAD5) == reminders.ReminderCounts(due=0, overdue=2)


def test_settings_refuse_other_leads_and_inverted_hours():
    with pytest.raises(ValueError, match="за 0, 5, 15, 60"):
        ReminderSettings(lead_minutes=10)
    with pytest.raises(ValueError, match="Рабочий день"):
        ReminderSettings(work_start=time(18), work_end=time(9))


def test_migration_adds_reminder_table_to_an_older_database(tmp_path, fake_clock, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    db = open_database(url)
    assert not db.table_exists("task_reminder")
    close_database()
    monkeypatch.undo()
    db = open_database(url)
    assert db.table_exists("task_reminder")
    assert migrations.current_version(db) == migrations.latest()
    with pytest.raises(peewee.IntegrityError):
        user = people.create_user("u", "U", "manager")
        task = tasks.add_task(None, user, text="т", user=user).value
        TaskReminder.create(task=task, user=user, due_at=task.due_at, shown_at=task.due_at)
        TaskReminder.create(task=task, user=user, due_at=task.due_at, shown_at=task.due_at)
    close_database()


def test_ten_thousand_tasks_falling_due_at_once_are_claimed_in_batches(staff, fake_clock, monkeypatch):
    """The morning after a long holiday (or an import): every task is shown once, none twice, and no
    transaction holds thousands of locks."""
    manager = staff["manager"]
    due = fake_clock.now() - timedelta(days=3)
    Task.insert_many([{"text": f"Перезвонить {n}", "type": "contact", "assignee_user": manager.id, "due_at": due,
                       "created_at": due} for n in range(10_000)]).execute()
    real = database.obj.atomic
    transactions = []
    monkeypatch.setattr(database.obj, "atomic", lambda *args, **kwargs: transactions.append(1) or real(*args, **kwargs))
    shown = reminders.claim_pending(manager, ReminderSettings())
    monkeypatch.undo()
    assert len(shown) == 10_000 and len({task.id for task in shown}) == 10_000
    # bounded transactions, no savepoint per task (one transaction of 10,000 savepoints ran PostgreSQL out
    # of shared memory, and SQLite reported «database is locked» at 20,000)
    assert len(transactions) <= 20
    assert reminders.claim_pending(manager, ReminderSettings()) == []  # shown once
    assert shown[0].deal_id is None and shown[0].text == "Перезвонить 0"
