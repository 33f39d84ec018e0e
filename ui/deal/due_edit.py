"""A due date and time in the shop's zone, with the quick choices «сегодня», «завтра», «через 3 дня»."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDateTime, QSettings
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QPushButton, QWidget

from app.domain import clock
from ui.tasks import settings as reminder_settings

QUICK = (("сегодня", 0), ("завтра", 1), ("через 3 дня", 3))


def default_due() -> datetime:
    """The next full hour, shop time (naive local)."""
    local = clock.to_local(clock.now()).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    return local + timedelta(hours=1)


class DueEdit(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.edit = QDateTimeEdit(objectName=f"{name}.edit", calendarPopup=True)
        self.edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.quick: dict[str, QPushButton] = {}
        for text, days in QUICK:
            button = QPushButton(text, objectName=f"{name}.quick")
            button.setFlat(True)
            button.setStyleSheet("color: #1565c0; text-decoration: underline;")
            button.clicked.connect(lambda _=False, d=days: self.set_days_ahead(d))
            layout.addWidget(button)
            self.quick[text] = button
        layout.addStretch(1)
        self.set_local(default_due())

    def set_local(self, moment: datetime) -> None:
        self.edit.setDateTime(QDateTime(moment.date(), moment.time()))

    def set_days_ahead(self, days: int) -> None:
        """«сегодня»: today at the chosen time; «завтра», «через 3 дня»: that day at the start of the
        working day (this PC's setting, 09:00 unless changed in «Задачи»), not at night."""
        if days == 0:
            self.set_local(datetime.combine(clock.local_today(), self.local().time()))
            return
        start = reminder_settings.load(QSettings()).work_start
        self.set_local(datetime.combine(clock.local_today() + timedelta(days=days), start))

    def local(self) -> datetime:
        value = self.edit.dateTime()
        return datetime.combine(value.date().toPython(), time(value.time().hour(), value.time().minute()))

    def due_utc(self) -> datetime:
        """The chosen moment as naive UTC, as the services store it."""
        return clock.from_local(self.local())
