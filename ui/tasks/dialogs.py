"""The new due date a task action asks for (the result text is asked through ui.common.msgbox).
Tests replace ``ask_due``."""
from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDialog, QFormLayout, QLabel, QTimeEdit, QWidget

from ui.common.dialog_buttons import dialog_buttons


class DueDialog(QDialog):
    """Pick a day and a time, or the whole day."""

    def __init__(self, parent: QWidget | None, day: date, at: time | None, subject: str = "") -> None:
        super().__init__(parent, objectName="dueDialog")
        self.setWindowTitle("Перенести срок задачи")
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), objectName="dueDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy")
        start = at or time(10, 0)
        self.time_edit = QTimeEdit(QTime(start.hour, start.minute), objectName="dueTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.all_day = QCheckBox("на весь день", objectName="dueAllDay", checked=at is None)
        self.all_day.toggled.connect(self.time_edit.setDisabled)
        self.time_edit.setDisabled(at is None)
        buttons = dialog_buttons("Перенести", "Отмена", self.accept, self.reject)
        form = QFormLayout(self)
        if subject:  # what is moved: the order, its client, the task
            form.addRow(QLabel(subject, objectName="dueSubject", wordWrap=True))
        form.addRow("Дата:", self.date_edit)
        form.addRow("Время:", self.time_edit)
        form.addRow("", self.all_day)
        form.addRow(buttons)

    def value(self) -> tuple[date, time | None]:
        day = self.date_edit.date().toPython()
        return day, None if self.all_day.isChecked() else self.time_edit.time().toPython()


def ask_due(parent: QWidget | None, day: date, at: time | None, subject: str = "") -> tuple[date, time | None] | None:
    """A new (day, time) for a task (``subject`` says which) — time None for the whole day; None when
    cancelled."""
    dialog = DueDialog(parent, day, at, subject)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
