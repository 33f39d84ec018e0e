"""The reminder panel inside the main window, for PCs without a system tray: every notice stays
listed with «Открыть сделку», «Выполнить», «Отложить» until it is acted on or no longer due."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSettings, Qt
from PySide6.QtGui import QAction, QBrush, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.changes import Changes
from app.domain.reminder_rules import ReminderSettings, remind_at
from app.store.models import Task
from ui.common.window_fit import available_area
from ui.tasks.actions import TaskActions
from ui.tasks.model import OVERDUE_COLOR, TaskRole
from ui.tasks.scheduler import Notice

SNOOZE_CHOICES = ((15, "на 15 минут"), (60, "на 1 час"))
COLLAPSED_KEY = "reminders/panel_collapsed"
STRIP_WIDTH = 32
WIDE_SCREEN = 1600  # narrower: the panel starts as a strip


class NoticeModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.notices: list[Notice] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.notices)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        notice = self.notices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{notice.title}\n{notice.text}"
        if role == Qt.ItemDataRole.ForegroundRole and notice.overdue:
            return QBrush(OVERDUE_COLOR)
        return {TaskRole.TASK_ID: notice.task_id, TaskRole.DEAL_ID: notice.deal_id}.get(role)

    def add(self, notices: list[Notice]) -> None:
        """Append new notices; a notice of a task already listed replaces it in place."""
        rows = {old.task_id: i for i, old in enumerate(self.notices)}
        for notice in notices:
            row = rows.get(notice.task_id)
            if row is None:
                rows[notice.task_id] = len(self.notices)
                self.beginInsertRows(QModelIndex(), len(self.notices), len(self.notices))
                self.notices.append(notice)
                self.endInsertRows()
            else:
                self.notices[row] = notice
                self.dataChanged.emit(self.index(row), self.index(row))

    def keep(self, task_ids: set[int]) -> None:
        """Drop the notices of tasks not in ``task_ids``."""
        for row in reversed(range(len(self.notices))):
            if self.notices[row].task_id not in task_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.notices[row]
                self.endRemoveRows()


class ReminderPanel(QDockWidget):
    def __init__(self, window, actions: TaskActions, settings: Callable[[], ReminderSettings]) -> None:
        super().__init__("Напоминания", window, objectName="reminderPanel")
        self.actions = actions
        self.settings = settings
        self.model = NoticeModel(self)
        self.list = QListView(objectName="reminderList")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.doubleClicked.connect(lambda _index: self.open_deal())

        open_button = QPushButton("Открыть сделку", objectName="reminderOpenDeal")
        open_button.clicked.connect(self.open_deal)
        complete_button = QPushButton("Выполнить", objectName="reminderComplete")
        complete_button.clicked.connect(self.complete)
        snooze_button = QToolButton(objectName="reminderSnooze", text="Отложить")
        snooze_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        snooze_button.clicked.connect(lambda: self.snooze(SNOOZE_CHOICES[0][0]))
        menu = QMenu(snooze_button)
        for minutes, title in SNOOZE_CHOICES:
            menu.addAction(QAction(title, menu, triggered=lambda _=False, m=minutes: self.snooze(m)))
        menu.addAction(QAction("все на 15 минут", menu, triggered=lambda: self.actions.snooze_all(15)))
        snooze_button.setMenu(menu)
        complete_button.setShortcut(QKeySequence("Ctrl+Shift+Return"))

        buttons = QGridLayout()  # two rows keep the panel narrow beside the board on a 1280 px screen
        buttons.addWidget(open_button, 0, 0)
        buttons.addWidget(complete_button, 0, 1)
        buttons.addWidget(snooze_button, 1, 0, 1, 2)
        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        # collapsed: a narrow strip with the count, so the board keeps its columns on a small screen
        self.strip = QToolButton(objectName="reminderStrip")
        self.strip.setToolTip("Показать напоминания")
        self.strip.setFixedWidth(STRIP_WIDTH)
        self.strip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.strip.clicked.connect(lambda: self.set_collapsed(False))
        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.strip)
        holder_layout.addWidget(self.body, 1)
        self.setWidget(holder)
        self.title_bar = QWidget()
        title_layout = QHBoxLayout(self.title_bar)
        title_layout.setContentsMargins(6, 2, 2, 2)
        title_layout.addWidget(QLabel("Напоминания"), 1)
        collapse = QToolButton(objectName="reminderCollapse", text="»")
        collapse.setToolTip("Свернуть в полоску у края окна")
        collapse.clicked.connect(lambda: self.set_collapsed(True))
        title_layout.addWidget(collapse)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.collapsed = False
        self.set_collapsed(self._remembered_collapsed(window))
        model_changed = self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset
        for signal in model_changed:
            signal.connect(self._show_count)
        window.changed.connect(self.on_changed)
        self.hide()

    @staticmethod
    def _remembered_collapsed(window) -> bool:
        """As left on this PC; at first a strip where the screen is narrow (a 1366 px laptop)."""
        value = QSettings().value(COLLAPSED_KEY)
        if value is None:
            return available_area(window).width() < WIDE_SCREEN
        return str(value).lower() in ("true", "1")

    def set_collapsed(self, collapsed: bool) -> None:
        """Fold the panel to a strip at the window's edge (or open it again); remembered on this PC."""
        self.collapsed = collapsed
        self.body.setVisible(not collapsed)
        self.strip.setVisible(collapsed)
        self.setTitleBarWidget(QWidget() if collapsed else self.title_bar)  # the strip needs no title
        self._show_count()
        QSettings().setValue(COLLAPSED_KEY, collapsed)
        if collapsed:
            self.setFixedWidth(STRIP_WIDTH + 4)
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(16777215)

    def _show_count(self, *_args) -> None:
        self.strip.setText("«\n" + "\n".join(str(len(self.model.notices))))

    def show_notices(self, notices: list[Notice]) -> None:
        """List the new notices and bring the panel up."""
        self.model.add(notices)
        self.show()
        self.raise_()
        if not self.list.currentIndex().isValid() and self.model.notices:
            self.list.setCurrentIndex(self.model.index(0))

    def on_changed(self, changes: Changes) -> None:
        """Drop notices of tasks closed, snoozed or moved to later (here or on another PC)."""
        if not changes.tasks or not self.model.notices:
            return
        snoozed = changes.snoozed
        now, settings = clock.now(), self.settings()
        ids = [notice.task_id for notice in self.model.notices if notice.task_id not in snoozed]
        still_due = {task.id for task in Task.select().where(Task.id.in_(ids), Task.done_at.is_null())
                     if remind_at(task.due_at, task.all_day, settings) <= now} if ids else set()
        self.model.keep(still_due)
        if not self.model.notices:
            self.hide()

    def current_notice(self) -> Notice | None:
        index = self.list.currentIndex()
        return self.model.notices[index.row()] if index.isValid() else None

    def open_deal(self) -> None:
        notice = self.current_notice()
        if notice is not None:
            self.actions.open_deal(notice.deal_id, notice.task_id)

    def complete(self) -> None:
        notice = self.current_notice()
        if notice is not None:
            self.actions.complete(notice.task_id)

    def snooze(self, minutes: int) -> None:
        notice = self.current_notice()
        if notice is not None:
            self.actions.snooze([notice.task_id], minutes)
