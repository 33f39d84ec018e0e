"""The «Задачи» screen: the person's tasks in sections, filters, actions, this PC's reminder settings."""
from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTimeEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.codes import TaskType
from app.domain.reminder_rules import LEAD_CHOICES, ReminderSettings, Section
from app.services import my_tasks
from app.services.my_tasks import TaskFilter, TaskRow
from app.store.models import Group, User
from ui.common import msgbox
from ui.common.compact_combo import make_compact
from ui.tasks.actions import TaskActions
from ui.tasks.model import TaskRole, TasksModel

COLUMN_WIDTHS = {0: 190, 1: 300, 2: 170, 4: 170, 5: 170}


def _time_edit(value: time, name: str) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute), objectName=name)
    edit.setDisplayFormat("HH:mm")
    return edit


class TasksView(QWidget):
    """«Задачи»; ``settingsChanged`` carries new reminder settings of this PC."""

    settingsChanged = Signal(object)  # ReminderSettings

    def __init__(self, window, actions: TaskActions, settings: ReminderSettings) -> None:
        super().__init__(objectName="tasksView")
        self.window = window
        self.actions = actions
        self.model = TasksModel(self)
        self.tree = QTreeView(objectName="tasksTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setExpandsOnDoubleClick(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.tree.doubleClicked.connect(lambda _index: self.open_deal())
        self.collapsed = {Section.DONE}  # section codes the person folded (finished tasks at first)
        self.tree.collapsed.connect(lambda index: self._fold(index, True))
        self.tree.expanded.connect(lambda index: self._fold(index, False))

        self.who = QComboBox(objectName="tasksWhoFilter")
        self.type_filter = QComboBox(objectName="tasksTypeFilter")
        self.type_filter.addItem("Все типы", None)
        for code, name in TaskType.NAMES.items():
            self.type_filter.addItem(name, code)
        make_compact(14, self.who, self.type_filter)
        self._fill_who()
        self.who.currentIndexChanged.connect(self.refresh)
        self.type_filter.currentIndexChanged.connect(self.refresh)

        self.lead = QComboBox(objectName="reminderLead")
        for minutes in LEAD_CHOICES:
            self.lead.addItem("в срок" if minutes == 0 else f"за {minutes} мин", minutes)
        self.work_start = _time_edit(settings.work_start, "workStart")
        self.work_end = _time_edit(settings.work_end, "workEnd")
        self.show_settings(settings)
        self.lead.currentIndexChanged.connect(self._settings_edited)
        self.work_start.editingFinished.connect(self._settings_edited)
        self.work_end.editingFinished.connect(self._settings_edited)

        buttons = QHBoxLayout()
        for name, title, slot, keys in (
                ("openDeal", "Открыть сделку", self.open_deal, "Return"),
                ("completeTask", "Выполнить…", self.complete, "Ctrl+Return"),
                ("plusHour", "+1 час", self.plus_hour, "Ctrl+H"),
                ("tomorrow", "Завтра", self.tomorrow, "Ctrl+T"),
                ("pickDate", "Другая дата…", self.pick_date, "Ctrl+D")):
            button = QPushButton(title, objectName=name)
            button.setToolTip(f"{title.rstrip('…')} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
            button.clicked.connect(slot)
            QShortcut(QKeySequence(keys), self.tree, activated=slot)
            buttons.addWidget(button)
        buttons.addStretch(1)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Чьи задачи:"))
        filters.addWidget(self.who)
        filters.addWidget(QLabel("Тип:"))
        filters.addWidget(self.type_filter)
        filters.addStretch(1)
        filters.addWidget(QLabel("Напоминать:"))
        filters.addWidget(self.lead)
        filters.addWidget(QLabel("Рабочий день с"))
        filters.addWidget(self.work_start)
        filters.addWidget(QLabel("до"))
        filters.addWidget(self.work_end)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        window.changed.connect(self.on_changed)
        self.refresh()

    # --- filters and settings
    def _fill_who(self) -> None:
        me = self.window.user
        self.who.addItem("Мои задачи и моих групп", TaskFilter())
        for user in User.select().where(User.active, User.id != me.id).order_by(User.full_name):
            self.who.addItem(user.full_name, TaskFilter(person_id=user.id))
        for group in Group.select().order_by(Group.name):
            self.who.addItem(f"Группа «{group.name}»", TaskFilter(group_id=group.id))

    def current_filter(self) -> TaskFilter:
        chosen: TaskFilter = self.who.currentData()
        return TaskFilter(chosen.person_id, chosen.group_id, self.type_filter.currentData())

    def show_settings(self, settings: ReminderSettings) -> None:
        self.lead.blockSignals(True)
        self.lead.setCurrentIndex(LEAD_CHOICES.index(settings.lead_minutes))
        self.lead.blockSignals(False)
        self.work_start.setTime(QTime(settings.work_start.hour, settings.work_start.minute))
        self.work_end.setTime(QTime(settings.work_end.hour, settings.work_end.minute))

    def _settings_edited(self) -> None:
        try:
            settings = ReminderSettings(self.lead.currentData(), self.work_start.time().toPython(),
                                        self.work_end.time().toPython())
        except ValueError as error:
            msgbox.error(self, "Настройки напоминаний", str(error))
            return
        self.settingsChanged.emit(settings)

    # --- the list
    def refresh(self) -> None:
        """Reload the rows, keeping the selected task and the scroll position."""
        selected = self.selected_task()
        scroll = self.tree.verticalScrollBar().value()
        self.model.set_rows(my_tasks.list_tasks(self.window.user, self.current_filter()))
        for row, code in enumerate(Section.ORDER):
            self.tree.setExpanded(self.model.index(row, 0), code not in self.collapsed)
        if selected is not None:
            self.select_task(selected.id)
        self.tree.verticalScrollBar().setValue(scroll)

    def _fold(self, index, folded: bool) -> None:
        code = index.data(TaskRole.SECTION)
        if code is not None:
            (self.collapsed.add if folded else self.collapsed.discard)(code)

    def on_changed(self, changes: Changes) -> None:
        if changes.tasks or changes.deal_ids:
            self.refresh()

    def selected_task(self) -> TaskRow | None:
        return self.model.task_at(self.tree.currentIndex())

    def select_task(self, task_id: int) -> bool:
        index = self.model.index_of_task(task_id)
        if not index.isValid():
            return False
        self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    # --- actions on the selected task
    def _with_selected(self, action) -> None:
        task = self.selected_task()
        if task is None:
            msgbox.info(self, "Задачи", "Выберите задачу в списке")
            return
        action(task)

    def open_deal(self) -> None:
        def open_it(task: TaskRow) -> None:
            if task.deal_id is None:
                msgbox.info(self, "Задачи", "Эта задача не относится к сделке")
            else:
                self.actions.open_deal(task.deal_id, task.id)
        self._with_selected(open_it)

    def complete(self) -> None:
        self._with_selected(lambda task: self.actions.complete(task.id))

    def plus_hour(self) -> None:
        self._with_selected(lambda task: self.actions.plus_hour(task.id))

    def tomorrow(self) -> None:
        self._with_selected(lambda task: self.actions.tomorrow(task.id))

    def pick_date(self) -> None:
        self._with_selected(lambda task: self.actions.pick_date(task.id))
