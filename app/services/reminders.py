"""Reminders: which open tasks are due to be shown to a person, claiming them so that a restart or a
second PC does not show them twice, snoozing, and the due/overdue counts of the tray.

A task addressed to a group reaches every member; each member has their own reminder row
(``TaskReminder``), so one person snoozing or seeing it does not hide it from the others.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import peewee

from app.domain import clock, validation
from app.domain.changes import Changes, Done
from app.domain.errors import FieldProblem, ValidationError
from app.domain.reminder_rules import ReminderSettings, remind_at
from app.services import people
from app.services.tasks import day_start_utc, overdue_condition
from app.store.db import database, is_postgres
from app.store.models import Deal, Task, TaskReminder, User, UserGroup

CLAIM_BATCH = 500  # tasks claimed per transaction (PostgreSQL's lock table and SQLite's writers stay small)


@dataclass(frozen=True)
class ReminderCounts:
    due: int  # reminder time reached, not yet overdue
    overdue: int

    @property
    def total(self) -> int:
        return self.due + self.overdue


def addressed_to(user: User) -> peewee.Expression:
    """Tasks addressed to ``user`` or to one of their groups."""
    groups = [group.id for group in people.groups_of(user)]
    condition = Task.assignee_user == user
    if groups:
        condition |= Task.assignee_group.in_(groups)
    return condition


class _Due(NamedTuple):
    id: int
    due_at: datetime
    all_day: bool


class _State(NamedTuple):
    id: int
    task_id: int
    due_at: datetime
    shown_at: datetime
    snoozed_until: datetime | None


def _reached(user: User, settings: ReminderSettings, now: datetime) -> list[_Due]:
    """Open tasks of ``user`` whose reminder time has come, oldest due first."""
    # An all-day task's due is the midnight of its day, before its reminder at the working day's
    # start, so ``due_at <= now + lead`` never misses a task whose reminder time has come.
    horizon = now + timedelta(minutes=settings.lead_minutes)
    query = (Task.select(Task.id, Task.due_at, Task.all_day)
             .where(addressed_to(user), Task.done_at.is_null(), Task.due_at <= horizon)
             .order_by(Task.due_at, Task.id).tuples())
    return [due for due in map(_Due._make, query) if remind_at(due.due_at, due.all_day, settings) <= now]


def _is_pending(state: _State | None, due: _Due, now: datetime) -> bool:
    """Whether a reached task still has to be shown, given what was shown to the person."""
    if state is None or state.due_at != due.due_at:
        return True
    return state.snoozed_until is not None and state.snoozed_until <= now


def _states(user: User, task_ids: list[int]) -> dict[int, _State]:
    states: dict[int, _State] = {}
    for start in range(0, len(task_ids), CLAIM_BATCH):
        rows = (TaskReminder.select(TaskReminder.id, TaskReminder.task, TaskReminder.due_at, TaskReminder.shown_at,
                                    TaskReminder.snoozed_until)
                .where(TaskReminder.user == user, TaskReminder.task.in_(task_ids[start:start + CLAIM_BATCH])).tuples())
        states.update((state.task_id, state) for state in map(_State._make, rows))
    return states


def _pending(user: User, settings: ReminderSettings, now: datetime) -> tuple[list[_Due], dict[int, _State]]:
    reached = _reached(user, settings, now)
    states = _states(user, [due.id for due in reached])
    return [due for due in reached if _is_pending(states.get(due.id), due, now)], states


def _tasks(ids: list[int]) -> list[Task]:
    """Task rows (with their deals) by id, in the order of ``ids``; read in batches."""
    found: dict[int, Task] = {}
    for start in range(0, len(ids), CLAIM_BATCH):
        chunk = ids[start:start + CLAIM_BATCH]
        query = (Task.select(Task, Deal).join(Deal, peewee.JOIN.LEFT_OUTER, on=(Task.deal == Deal.id))
                 .where(Task.id.in_(chunk)))
        found.update((task.id, task) for task in query)
    return [found[task_id] for task_id in ids if task_id in found]


def pending(user: User, settings: ReminderSettings, now: datetime | None = None) -> list[Task]:
    """Tasks due to be shown to ``user`` now and not yet shown (or back from a snooze)."""
    due, _ = _pending(user, settings, now or clock.now())
    return _tasks([item.id for item in due])


def _claim_new(items: list[_Due], user: User, now: datetime) -> list[int]:
    """Mark tasks never shown to ``user`` as shown now, in one statement; the ids this PC marked
    (a row another PC inserted first is left alone, and its time is not ours)."""
    if not items:
        return []
    TaskReminder.insert_many([{"task": item.id, "user": user.id, "due_at": item.due_at, "shown_at": now}
                              for item in items]).on_conflict_ignore().execute()
    mine = {task_id for (task_id,) in TaskReminder.select(TaskReminder.task).where(
        TaskReminder.user == user, TaskReminder.task.in_([item.id for item in items]),
        TaskReminder.shown_at == now).tuples()}
    return [item.id for item in items if item.id in mine]


def _claim(due: _Due, user: User, state: _State, now: datetime) -> bool:
    """Record that a task shown before (or snoozed) is shown again now; False when another PC did."""
    snoozed = (TaskReminder.snoozed_until.is_null() if state.snoozed_until is None
               else TaskReminder.snoozed_until == state.snoozed_until)
    updated = (TaskReminder.update(due_at=due.due_at, shown_at=now, snoozed_until=None)
               .where(TaskReminder.id == state.id, TaskReminder.due_at == state.due_at,
                      TaskReminder.shown_at == state.shown_at, snoozed).execute())
    return updated == 1


def claim_pending(user: User, settings: ReminderSettings, now: datetime | None = None) -> list[Task]:
    """The tasks to show ``user`` now, each marked as shown (one transaction). A task another PC
    has just shown to the same person is left out (the marks are conditional), so nobody sees it
    twice; the usual minute with nothing new reads only and takes no write lock."""
    now = now or clock.now()
    due, states = _pending(user, settings, now)
    claimed: list[int] = []
    for start in range(0, len(due), CLAIM_BATCH):  # bounded transactions: a morning after a holiday
        chunk = due[start:start + CLAIM_BATCH]      # brings thousands at once
        with database.atomic():
            claimed += _claim_new([item for item in chunk if item.id not in states], user, now)
            claimed += [item.id for item in chunk if item.id in states and _claim(item, user, states[item.id], now)]
    return _tasks(claimed)


def snooze(task_ids: list[int], user: User, minutes: int, now: datetime | None = None) -> Done[datetime]:
    """«Отложить»: show these tasks to ``user`` again in ``minutes``; returns that moment."""
    task_ids = validation.checked_ids(task_ids, "task")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 7 * 24 * 60:
        raise ValidationError([FieldProblem("minutes", "отложить можно на 1 минуту … 7 дней")])
    now = now or clock.now()
    until = now + timedelta(minutes=minutes)
    with database.atomic():
        tasks = list(Task.select().where(Task.id.in_(task_ids))) if task_ids else []
        states = _states(user, [task.id for task in tasks])
        for task in tasks:
            state = states.get(task.id)
            if state is None:
                TaskReminder.create(task=task, user=user, due_at=task.due_at, shown_at=now,
                                    snoozed_until=until)
            else:
                TaskReminder.update(due_at=task.due_at, shown_at=now, snoozed_until=until).where(
                    TaskReminder.id == state.id).execute()
    return Done(until, Changes(tasks=True, snoozed=frozenset(task.id for task in tasks)))


def snooze_all(user: User, settings: ReminderSettings, minutes: int = 15,
               now: datetime | None = None) -> Done[list[int]]:
    """Snooze every task whose reminder time has come for ``user``; returns their ids."""
    now = now or clock.now()
    ids = [task.id for task in _reached(user, settings, now)]
    if not ids:
        return Done(ids, Changes())
    return Done(ids, snooze(ids, user, minutes, now).changes)


def _open_tasks() -> peewee.Source:
    """The task table read through the index of open tasks by due time (``task_open_due``, which
    holds everything the counts test): on SQLite named, as without statistics it would take the
    done_at index and look up every open task's row."""
    if is_postgres():
        return Task
    return peewee.NodeList((Task, peewee.SQL("INDEXED BY task_open_due")))


def counts(user: User, settings: ReminderSettings, now: datetime | None = None) -> ReminderCounts:
    """How many of ``user``'s open tasks are due (reminder time reached) and overdue, in one query
    (the tray asks every minute; each query is a round trip to a server). The overdue ones (all of
    them reached) are counted by the database over the open-task index; only the few not yet
    overdue, due before the reminder horizon, are read to check their reminder time."""
    now = now or clock.now()
    groups = UserGroup.select(UserGroup.group).where(UserGroup.user == user)
    mine = (Task.assignee_user == user) | Task.assignee_group.in_(groups)  # addressed_to, its groups a subquery
    overdue = (Task.select(peewee.fn.COUNT(Task.id), peewee.SQL("NULL"), peewee.SQL("NULL"))
               .from_(_open_tasks()).where(mine, overdue_condition(now)))
    horizon = now + timedelta(minutes=settings.lead_minutes)
    soon = (Task.select(peewee.SQL("NULL"), Task.due_at, Task.all_day).from_(_open_tasks())
            .where(mine, Task.done_at.is_null(), Task.due_at <= horizon,
                   Task.due_at >= min(now, day_start_utc(clock.to_local(now).date())), ~overdue_condition(now)))
    overdue_count, due = 0, 0
    for count, due_at, all_day in database.execute(overdue + soon):  # UNION ALL: the count's row first
        if count is not None:
            overdue_count = count
        elif remind_at(Task.due_at.python_value(due_at), bool(all_day), settings) <= now:
            due += 1
    return ReminderCounts(due, overdue_count)
