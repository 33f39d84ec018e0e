"""A calendar pop-up for a date typed into a line edit (the card's and the gate form's date fields):
a calendar button at the field's right end; the picked day is written as «14.07.2026», as typed."""
from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit

from app.domain import clock
from app.domain.validation import FieldError, clean_date


def calendar_icon() -> QIcon:
    """A small leaf of a wall calendar (drawn: no icon theme is needed)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#555555"))
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(2, 3, 12, 3, QColor("#c62828"))
    for row in range(2):
        for column in range(3):
            painter.fillRect(3 + 4 * column, 8 + 3 * row, 2, 2, QColor("#555555"))
    painter.end()
    return QIcon(pixmap)


def add_calendar(edit: QLineEdit) -> QAction:
    """Give ``edit`` a calendar button; picking a day fills the field as if typed (``textEdited``)."""
    action = edit.addAction(calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
    action.setObjectName(f"{edit.objectName() or 'date'}.calendar")
    action.setToolTip("Выбрать дату в календаре")
    action.triggered.connect(lambda: open_calendar(edit))
    return action


def open_calendar(edit: QLineEdit) -> QCalendarWidget:
    """The pop-up calendar under ``edit``, on the field's date (today when it holds none)."""
    calendar = QCalendarWidget(edit, objectName="datePopup")
    calendar.setWindowFlags(Qt.WindowType.Popup)
    calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    calendar.setLocale(QLocale(QLocale.Language.Russian))
    calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    calendar.setGridVisible(True)
    try:
        shown = clean_date(edit.text()) or clock.local_today()
    except FieldError:
        shown = clock.local_today()
    calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    def picked(day: QDate) -> None:
        text = day.toString("dd.MM.yyyy")
        edit.setText(text)
        edit.textEdited.emit(text)
        calendar.close()

    calendar.clicked.connect(picked)
    calendar.activated.connect(picked)
    calendar.move(edit.mapToGlobal(QPoint(0, edit.height())))
    calendar.show()
    return calendar
