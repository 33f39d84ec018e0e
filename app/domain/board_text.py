"""The words the board shows: column totals, card dates, task states and the stale mark.

Everything here is computed from plain values and the shop's clock, so the board's card delegate
can call it at paint time (a card painted after midnight says «Вчера» without any reload).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain import clock
from app.domain.money import format_rub
from app.domain.russian import DEALS, count_text


def deals_count(count: int) -> str:
    """«1 сделка», «3 сделки», «17 сделок»."""
    return count_text(count, DEALS)


def column_totals(count: int, budget: int) -> str:
    """A column header's totals: «17 сделок: 475 470 руб»."""
    return f"{deals_count(count)}: {format_rub(budget)}"


def card_date(moment: datetime, now: datetime | None = None) -> str:
    """«Сегодня 00:25», «Вчера 13:04» or «31.05.2017» for a stored UTC time, in the shop's zone."""
    local = clock.to_local(moment)
    today = clock.to_local(now or clock.now()).date()
    if local.date() == today:
        return local.strftime("Сегодня %H:%M")
    if local.date() == today - timedelta(days=1):
        return local.strftime("Вчера %H:%M")
    return local.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class OpenTask:
    """What a card needs of one open task of its deal."""

    due_at: datetime  # naive UTC; local midnight of its day for an all-day task
    all_day: bool


def is_overdue(task: OpenTask, now: datetime | None = None) -> bool:
    """A timed task is overdue once its time has passed; an all-day one once its local day has."""
    now = now or clock.now()
    if task.all_day:
        return clock.to_local(task.due_at).date() < clock.to_local(now).date()
    return task.due_at < now


def overdue_for(task: OpenTask, now: datetime) -> str:
    """How long ``task`` is overdue: «3 дн», «5 ч», «20 мин» (all-day tasks count whole days)."""
    if task.all_day:
        days = (clock.to_local(now).date() - clock.to_local(task.due_at).date()).days
        return f"{days} дн"
    late = now - task.due_at
    if late >= timedelta(days=1):
        return f"{late.days} дн"
    if late >= timedelta(hours=1):
        return f"{late.seconds // 3600} ч"
    return f"{max(late.seconds // 60, 1)} мин"


def due_text(task: OpenTask, now: datetime) -> str:
    """When a task that is not overdue falls due: «Сегодня 15:00», «Завтра», «05.06.2025 10:00»."""
    local = clock.to_local(task.due_at)
    today = clock.to_local(now).date()
    if local.date() == today:
        day = "Сегодня"
    elif local.date() == today + timedelta(days=1):
        day = "Завтра"
    else:
        day = local.strftime("%d.%m.%Y")
    return day if task.all_day else f"{day} {local:%H:%M}"


@dataclass(frozen=True)
class TaskState:
    """The task line of a card and how to colour it."""

    NONE, PLANNED, OVERDUE = "none", "planned", "overdue"

    text: str
    kind: str

    @property
    def overdue(self) -> bool:
        return self.kind == self.OVERDUE


def task_state(tasks: list[OpenTask], now: datetime | None = None) -> TaskState:
    """«Нет задач»; the most overdue task's lateness («3 дн»); or the nearest task's due time."""
    now = now or clock.now()
    if not tasks:
        return TaskState("Нет задач", TaskState.NONE)
    overdue = [task for task in tasks if is_overdue(task, now)]
    if overdue:
        oldest = min(overdue, key=lambda task: task.due_at)
        return TaskState(overdue_for(oldest, now), TaskState.OVERDUE)
    nearest = min(tasks, key=lambda task: task.due_at)
    return TaskState(due_text(nearest, now), TaskState.PLANNED)


def stale_days(entered_at: datetime, threshold_days: int, now: datetime | None = None) -> int | None:
    """Whole days a card has sat in its stage when that is longer than ``threshold_days``
    (the "rotting" mark); None when it is not stale or the stage has no threshold (0)."""
    if threshold_days <= 0:
        return None
    sat = (now or clock.now()) - entered_at
    return sat.days if sat > timedelta(days=threshold_days) else None


def stale_text(days: int) -> str:
    """«12 дн на этапе» (short: it shares a card's last line with the task state)."""
    return f"{days} дн на этапе"
