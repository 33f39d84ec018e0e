"""Reminders: which open tasks are due to be shown to a person, claiming them so that a restart or a
second PC does not show them twice, snoozing, and the due/overdue counts of the tray.

A task addressed to a group reaches every member; each member has their own reminder row
(``TaskReminder``), so one person snoozing or seeing it does not hide it from the others.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee

from app import clock
from app.db import database
from app.models import Task, TaskReminder, User
from app.reminder_rules import ReminderSettings, is_overdue, remind_at
from app.services import people


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


def _reached(user: User, settings: ReminderSettings, now: datetime) -> list[Task]:
    """Open tasks of ``user`` whose reminder time has come, oldest due first."""
    # An all-day task's due is the midnight of its day, before its reminder at the working day's
    # start, so ``due_at <= now + lead`` never misses a task whose reminder time has come.
    horizon = now + timedelta(minutes=settings.lead_minutes)
    query = (Task.select().where(addressed_to(user), Task.done_at.is_null(), Task.due_at <= horizon)
             .order_by(Task.due_at, Task.id))
    return [task for task in query if remind_at(task.due_at, task.all_day, settings) <= now]


def _is_pending(state: TaskReminder | None, task: Task, now: datetime) -> bool:
    """Whether a reached task still has to be shown, given what was shown to the person."""
    if state is None or state.due_at != task.due_at:
        return True
    return state.snoozed_until is not None and state.snoozed_until <= now


def _states(user: User, task_ids: list[int]) -> dict[int, TaskReminder]:
    if not task_ids:
        return {}
    rows = TaskReminder.select().where(TaskReminder.user == user, TaskReminder.task.in_(task_ids))
    return {row.task_id: row for row in rows}


def pending(user: User, settings: ReminderSettings, now: datetime | None = None) -> list[Task]:
    """Tasks due to be shown to ``user`` now and not yet shown (or back from a snooze)."""
    now = now or clock.now()
    reached = _reached(user, settings, now)
    states = _states(user, [task.id for task in reached])
    return [task for task in reached if _is_pending(states.get(task.id), task, now)]


def _claim(task: Task, user: User, state: TaskReminder | None, now: datetime) -> bool:
    """Record that ``task`` is shown to ``user`` now; False when another PC did it first."""
    if state is None:
        try:
            with database.atomic():
                TaskReminder.create(task=task, user=user, due_at=task.due_at, shown_at=now)
            return True
        except peewee.IntegrityError:
            return False
    snoozed = (TaskReminder.snoozed_until.is_null() if state.snoozed_until is None
               else TaskReminder.snoozed_until == state.snoozed_until)
    updated = (TaskReminder.update(due_at=task.due_at, shown_at=now, snoozed_until=None)
               .where(TaskReminder.id == state.id, TaskReminder.due_at == state.due_at,
                      TaskReminder.shown_at == state.shown_at, snoozed).execute())
    return updated == 1


def claim_pending(user: User, settings: ReminderSettings, now: datetime | None = None) -> list[Task]:
    """The tasks to show ``user`` now, each marked as shown (one transaction). A task another PC
    has just shown to the same person is left out, so nobody sees it twice."""
    now = now or clock.now()
    if not pending(user, settings, now):  # the usual minute: read only, no write lock taken
        return []
    with database.atomic():
        reached = _reached(user, settings, now)
        states = _states(user, [task.id for task in reached])
        return [task for task in reached if _is_pending(states.get(task.id), task, now)
                and _claim(task, user, states.get(task.id), now)]


def snooze(task_ids: list[int], user: User, minutes: int, now: datetime | None = None) -> datetime:
    """«Отложить»: show these tasks to ``user`` again in ``minutes``; returns that moment."""
    if minutes <= 0:
        raise ValueError("minutes must be positive")
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
    return until


def snooze_all(user: User, settings: ReminderSettings, minutes: int = 15,
               now: datetime | None = None) -> list[int]:
    """Snooze every task whose reminder time has come for ``user``; returns their ids."""
    now = now or clock.now()
    ids = [task.id for task in _reached(user, settings, now)]
    if ids:
        snooze(ids, user, minutes, now)
    return ids


def counts(user: User, settings: ReminderSettings, now: datetime | None = None) -> ReminderCounts:
    """How many of ``user``'s open tasks are due (reminder time reached) and overdue."""
    now = now or clock.now()
    reached = _reached(user, settings, now)
    overdue = sum(1 for task in reached if is_overdue(task.due_at, task.all_day, now))
    return ReminderCounts(len(reached) - overdue, overdue)

