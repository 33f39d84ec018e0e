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
from app.domain.reminder_rules import ReminderSettings, is_overdue, remind_at
from app.services import people
from app.store.db import database
from app.store.models import Task, TaskReminder, User


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
    if not task_ids:
        return {}
    rows = (TaskReminder.select(TaskReminder.id, TaskReminder.task, TaskReminder.due_at, TaskReminder.shown_at,
                                TaskReminder.snoozed_until)
            .where(TaskReminder.user == user, TaskReminder.task.in_(task_ids)).tuples())
    return {state.task_id: state for state in map(_State._make, rows)}


def _pending(user: User, settings: ReminderSettings, now: datetime) -> tuple[list[_Due], dict[int, _State]]:
    reached = _reached(user, settings, now)
    states = _states(user, [due.id for due in reached])
    return [due for due in reached if _is_pending(states.get(due.id), due, now)], states


def _tasks(ids: list[int]) -> list[Task]:
    """Task rows by id, in the order of ``ids``."""
    found = {task.id: task for task in Task.select().where(Task.id.in_(ids))} if ids else {}
    return [found[task_id] for task_id in ids if task_id in found]


def pending(user: User, settings: ReminderSettings, now: datetime | None = None) -> list[Task]:
    """Tasks due to be shown to ``user`` now and not yet shown (or back from a snooze)."""
    due, _ = _pending(user, settings, now or clock.now())
    return _tasks([item.id for item in due])


def _claim(due: _Due, user: User, state: _State | None, now: datetime) -> bool:
    """Record that the task is shown to ``user`` now; False when another PC did it first."""
    if state is None:
        try:
            with database.atomic():
                TaskReminder.create(task=due.id, user=user, due_at=due.due_at, shown_at=now)
            return True
        except peewee.IntegrityError:
            return False
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
    if not due:
        return []
    with database.atomic():
        claimed = [item.id for item in due if _claim(item, user, states.get(item.id), now)]
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


def counts(user: User, settings: ReminderSettings, now: datetime | None = None) -> ReminderCounts:
    """How many of ``user``'s open tasks are due (reminder time reached) and overdue."""
    now = now or clock.now()
    reached = _reached(user, settings, now)
    overdue = sum(1 for task in reached if is_overdue(task.due_at, task.all_day, now))
    return ReminderCounts(len(reached) - overdue, overdue)

