"""The system tray icon: the number of due and overdue tasks on the icon and in its tooltip, a menu,
and a balloon for each new reminder (clicking it opens the deal)."""
from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.domain.russian import TASKS, plural
from app.services.reminders import ReminderCounts
from ui.shell.app_icon import icon_pixmap
from ui.tasks.scheduler import Notice

BALLOON_MS = 8_000
MAX_BALLOONS = 5  # more reminders at once are summed up in one balloon


def summary_text(count: int, overdue: int) -> str:
    """«Просрочено 1 240 задач — открыть» (or «Напоминаний: 12 — открыть» when none is overdue)."""
    if overdue:
        return f"Просрочено {overdue:,} {plural(overdue, TASKS)} — открыть".replace(",", "\u00a0")
    return f"Напоминаний: {count:,} — открыть".replace(",", "\u00a0")
ICON_SIZE, BADGE_SIZE = 64, 40
DUE, OVERDUE = QColor("#ef6c00"), QColor("#c62828")


def count_icon(counts: ReminderCounts) -> QIcon:
    """The program's icon with the number of tasks to do on a badge: red with overdue ones, orange
    with due ones; the plain icon when there is nothing to do."""
    pixmap = icon_pixmap(ICON_SIZE)
    if counts.total == 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(OVERDUE if counts.overdue else DUE)
    badge = QRect(ICON_SIZE - BADGE_SIZE, ICON_SIZE - BADGE_SIZE, BADGE_SIZE, BADGE_SIZE)
    painter.drawEllipse(badge)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setBold(True)
    text = str(counts.total) if counts.total < 100 else "99+"
    font.setPixelSize(26 if len(text) < 3 else 17)
    painter.setFont(font)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def counts_text(counts: ReminderCounts) -> str:
    """«Задач к выполнению: 5, из них просрочено: 3», or «Нет задач к выполнению»."""
    if counts.total == 0:
        return "Нет задач к выполнению"
    return f"Задач к выполнению: {counts.total}, из них просрочено: {counts.overdue}"


class ReminderTray(QObject):
    """The tray icon; the window wires its signals to the task actions."""

    openProgram = Signal()
    openTasks = Signal()
    snoozeAll = Signal()
    quitProgram = Signal()
    openDeal = Signal(object, int)  # deal id (or None), task id

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(parent)
        self.icon.setObjectName("reminderTray")
        self.menu = QMenu(parent)
        for title, signal in (("Открыть программу", self.openProgram), ("Мои задачи", self.openTasks),
                              ("Отложить все на 15 минут", self.snoozeAll), (None, None),
                              ("Выход", self.quitProgram)):
            if title is None:
                self.menu.addSeparator()
                continue
            action = QAction(title, self.menu)
            action.triggered.connect(signal.emit)
            self.menu.addAction(action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._balloon_clicked)
        self.balloon_timer = QTimer(self, objectName="balloonTimer")
        self.balloon_timer.setSingleShot(True)
        self.balloon_timer.setInterval(BALLOON_MS)
        self.balloon_timer.timeout.connect(self._next_balloon)
        self.queue: list[Notice] = []
        self.current: Notice | None = None
        self.summary = False  # the balloon shown sums up many reminders
        self.set_counts(ReminderCounts(0, 0))
        self.icon.show()

    def set_counts(self, counts: ReminderCounts) -> None:
        self.icon.setIcon(count_icon(counts))
        self.icon.setToolTip(f"CRM «Детские кровати Маня»\n{counts_text(counts)}")

    def show_notices(self, notices: list[Notice]) -> None:
        """A balloon for each notice, one after another — or, when many arrive at once (a morning
        after a holiday, an import), one summary balloon that opens «Мои задачи»."""
        self.queue.extend(notices)
        if len(self.queue) > MAX_BALLOONS:
            waiting, overdue = len(self.queue), sum(notice.overdue for notice in self.queue)
            self.queue.clear()
            self.balloon_timer.stop()
            self.current = None
            self.summary = True
            self.icon.showMessage("Напоминания", summary_text(waiting, overdue),
                                  QSystemTrayIcon.MessageIcon.Warning, BALLOON_MS)
            return
        if not self.balloon_timer.isActive():
            self._next_balloon()

    def show_message(self, title: str, text: str) -> None:
        """A balloon that is no reminder (clicking it opens no deal); the reminders queued go on."""
        self.current, self.summary = None, False
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, BALLOON_MS)

    def _next_balloon(self) -> None:
        self.summary = False
        self.current = self.queue.pop(0) if self.queue else None
        if self.current is None:
            return
        icon = QSystemTrayIcon.MessageIcon.Warning if self.current.overdue else QSystemTrayIcon.MessageIcon.Information
        self.icon.showMessage(self.current.title, self.current.text, icon, BALLOON_MS)
        self.balloon_timer.start()

    def _balloon_clicked(self) -> None:
        if self.summary:
            self.openTasks.emit()
        elif self.current is not None:
            self.openDeal.emit(self.current.deal_id, self.current.task_id)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.openProgram.emit()
