"""The reminder scheduler: a named, injectable QTimer checks the database every minute (and at once
after a change or when the PC wakes up) and raises each task due for the person once."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee
from PySide6.QtCore import QObject, QTimer, Signal

from app.domain import clock
from app.domain.changes import Changes
from app.domain.codes import TaskType
from app.domain.reminder_rules import ReminderSettings, is_overdue
from app.services import reminders
from app.services.tasks import describe_due
from app.store.models import Task, User

log = logging.getLogger(__name__)

INTERVAL_MS = 60_000
# A gap this long between two ticks of a one-minute timer means the PC slept (or the clock jumped).
WAKE_GAP = timedelta(minutes=3)


@dataclass(frozen=True)
class Notice:
    """One reminder as the tray balloon and the reminder panel show it."""

    task_id: int
    deal_id: int | None
    title: str  # «Просрочено: Связаться с клиентом» / «Задача: Подтверждение»
    text: str  # «№15 Краева Ольга (МИА) — Контроль оплаты счета · до 05.06.2025 12:00»
    overdue: bool

    @classmethod
    def of(cls, task: Task, now: datetime) -> "Notice":
        overdue = is_overdue(task.due_at, task.all_day, now)
        deal = f"№{task.deal.order_no} {task.deal.name} — " if task.deal_id else ""
        title = ("Просрочено: " if overdue else "Задача: ") + TaskType.NAMES.get(task.type, task.type)
        return cls(task.id, task.deal_id, title, f"{deal}{task.text} · до {describe_due(task)}", overdue)


class ReminderScheduler(QObject):
    """``noticed`` carries the new notices of a check; ``countsChanged`` the due/overdue counts."""

    noticed = Signal(list)  # list[Notice]
    countsChanged = Signal(object)  # app.services.reminders.ReminderCounts
    woke = Signal()
    failed = Signal(str)

    def __init__(self, user: User, settings: ReminderSettings, timer: QTimer | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderScheduler")
        self.user = user
        self.settings = settings
        self.timer = timer if timer is not None else QTimer(self)
        if self.timer.parent() is None:
            self.timer.setParent(self)
        self.timer.setObjectName("reminderTimer")
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self._last_tick: datetime | None = None

    def start(self) -> None:
        """Check now and then every minute."""
        self._last_tick = clock.now()
        self.timer.start()
        self.check()

    def tick(self) -> None:
        """The timer's minute: notice a sleep (a jump of the wall clock), then check."""
        now = clock.now()
        if self._last_tick is not None and now - self._last_tick > WAKE_GAP:
            self.woke.emit()
        self._last_tick = now
        self.check()

    def set_settings(self, settings: ReminderSettings) -> None:
        self.settings = settings
        self.check()

    def on_changed(self, changes: Changes) -> None:
        """A broadcast change: tasks may have appeared, moved or closed — check at once."""
        if changes.tasks:
            self.check()

    def check(self) -> None:
        """Raise what fell due for the person and publish the counts."""
        now = clock.now()
        try:
            claimed = reminders.claim_pending(self.user, self.settings, now)
            counts = reminders.counts(self.user, self.settings, now)
        except peewee.DatabaseError as error:  # the server is away for a moment: try next minute
            log.warning("Reminders could not be read", exc_info=True)
            self.failed.emit(f"Напоминания: нет связи с базой данных ({error})")
            return
        if claimed:
            self.noticed.emit([Notice.of(task, now) for task in claimed])
        self.countsChanged.emit(counts)
