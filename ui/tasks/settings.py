"""This PC's reminder settings (QSettings): how far ahead to remind and the working hours.

They are a habit of the person at the PC (the counter opens at 10, the workshop at 8), so they live
on the PC, not in the shop-wide ``Setting`` table; see app.domain.reminder_rules for what they mean.
"""
from __future__ import annotations

from datetime import time

from PySide6.QtCore import QSettings

from app.domain.reminder_rules import ReminderSettings

LEAD_KEY, START_KEY, END_KEY = "reminders/lead_minutes", "reminders/work_start", "reminders/work_end"


def _time(value: object, default: time) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return default


def load(store: QSettings) -> ReminderSettings:
    """The saved settings, falling back to the defaults for anything missing or unreadable."""
    default = ReminderSettings()
    try:
        return ReminderSettings(lead_minutes=int(store.value(LEAD_KEY, default.lead_minutes)),
                                work_start=_time(store.value(START_KEY, ""), default.work_start),
                                work_end=_time(store.value(END_KEY, ""), default.work_end))
    except ValueError:
        return default


def save(store: QSettings, settings: ReminderSettings) -> None:
    store.setValue(LEAD_KEY, settings.lead_minutes)
    store.setValue(START_KEY, settings.work_start.strftime("%H:%M"))
    store.setValue(END_KEY, settings.work_end.strftime("%H:%M"))
    store.sync()
