"""When a task should be shown to its person, and which section of «Мои задачи» it belongs to.

Pure rules over naive UTC datetimes (see app.domain.clock); the shop's day is the Europe/Moscow day.

Settings (``ReminderSettings``) are kept per PC (QSettings, see ui.tasks.settings): how far ahead to
remind and the working hours are a habit of the person at that PC, not a rule of the shop.
- a timed task reminds ``lead_minutes`` (0, 5, 15 or 60) before its due time;
- a task «на весь день» (``Task.all_day``) reminds at the start of the working day of its date;
- a due time moved by «+1 час» that would fall outside the working hours moves to the start of the
  next working day (nobody is at the counter to see it at 22:00).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.domain import clock

LEAD_CHOICES = (0, 5, 15, 60)


@dataclass(frozen=True)
class ReminderSettings:
    lead_minutes: int = 15
    work_start: time = time(9, 0)
    work_end: time = time(20, 0)

    def __post_init__(self) -> None:
        if self.lead_minutes not in LEAD_CHOICES:
            raise ValueError(f"Напоминать можно за {', '.join(map(str, LEAD_CHOICES))} минут")
        if not self.work_start < self.work_end:
            raise ValueError("Рабочий день должен начинаться раньше, чем заканчивается")


class Section:
    """The sections of «Мои задачи», in the order they are shown."""

    OVERDUE = "overdue"
    TODAY = "today"
    TOMORROW = "tomorrow"
    LATER = "later"
    DONE = "done"

    ORDER = (OVERDUE, TODAY, TOMORROW, LATER, DONE)
    NAMES = {OVERDUE: "Просрочено", TODAY: "Сегодня", TOMORROW: "Завтра", LATER: "Позже",
             DONE: "Выполнено"}


def local_day(moment: datetime) -> date:
    """The shop-local date of a naive UTC moment."""
    return clock.to_local(moment).date()


def at_local(day: date, moment: time) -> datetime:
    """A shop-local day and time of day as naive UTC."""
    return clock.from_local(datetime.combine(day, moment))


def remind_at(due_at: datetime, all_day: bool, settings: ReminderSettings) -> datetime:
    """The moment (naive UTC) the task is to be shown to its person."""
    if all_day:
        return at_local(local_day(due_at), settings.work_start)
    return due_at - timedelta(minutes=settings.lead_minutes)


def is_overdue(due_at: datetime, all_day: bool, now: datetime) -> bool:
    """A timed task is overdue once its time has passed; an all-day one once its day has."""
    if all_day:
        return local_day(due_at) < local_day(now)
    return due_at < now


def section_of(due_at: datetime, all_day: bool, done: bool, now: datetime) -> str:
    """The «Мои задачи» section of a task at ``now``."""
    if done:
        return Section.DONE
    if is_overdue(due_at, all_day, now):
        return Section.OVERDUE
    days = (local_day(due_at) - local_day(now)).days
    if days <= 0:
        return Section.TODAY
    return Section.TOMORROW if days == 1 else Section.LATER


def within_working_hours(moment: datetime, settings: ReminderSettings) -> datetime:
    """``moment`` itself inside the working hours; else the start of the next working day."""
    local = clock.to_local(moment)
    if local.time() < settings.work_start:
        return at_local(local.date(), settings.work_start)
    if local.time() > settings.work_end:
        return at_local(local.date() + timedelta(days=1), settings.work_start)
    return moment
