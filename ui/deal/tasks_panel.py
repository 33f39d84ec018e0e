"""The card's tasks: the open ones, «Выполнить» with a result, reschedule, a new task for a
person or a group, the design loop as a guided flow and, at «Отгружено», the one-click
«Подтвердить получение заказа»."""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.codes import TaskType
from app.services import deals, tasks
from app.services.tasks import TaskLine
from ui.common.list_table_model import ListTableModel
from ui.deal.due_edit import DueEdit

COLUMNS = ("Срок", "Тип", "Кому", "Задача")


def due_text(line: TaskLine) -> str:
    local = clock.to_local(line.due_at)
    return local.strftime("%d.%m.%Y") if line.all_day else local.strftime("%d.%m.%Y %H:%M")


class TasksModel(ListTableModel):
    HEADERS = COLUMNS

    def load(self, deal_id: int) -> None:
        self.set_rows(tasks.open_tasks(deal_id))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        line: TaskLine | None = self.row_at(index)
        if line is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = line.text + (f" (этап «{line.left_stage}» пройден)" if line.left_stage else "")
            return (due_text(line), line.type_name, line.addressee, text)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and line.overdue:
            return QColor("#b3261e")
        if role == Qt.ItemDataRole.UserRole:
            return line
        return None


def _button(text: str, name: str, slot: Callable) -> QPushButton:
    button = QPushButton(text, objectName=name)
    button.clicked.connect(slot)
    return button


class TasksPanel(QWidget):
    def __init__(self, window, deal_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_, self.deal_id = window, deal_id
        self.user = window.user
        self.setObjectName("dealTasks")
        self.model = TasksModel(self)
        self.view = QTreeView(objectName="dealTasksView", rootIsDecorated=False, uniformRowHeights=True)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(70)
        self.view.selectionModel().currentRowChanged.connect(self._update_actions)

        self.title = QLabel(objectName="dealTasksTitle")
        self.new_button = _button("Новая задача", "newTask", self._toggle_new)
        self.new_button.setCheckable(True)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.new_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._selected_actions())
        layout.addWidget(self._new_task_form())
        layout.addWidget(self._design_loop())
        layout.addWidget(self._receipt_offer())
        self.new_form.hide()

    # --- building ----------------------------------------------------------------------------
    def _selected_actions(self) -> QWidget:
        box = QWidget(objectName="taskActions")
        self.result = QLineEdit(objectName="taskResult", placeholderText="Результат (что сделано)")
        self.result.returnPressed.connect(self.complete_selected)
        self.complete_button = _button("Выполнить", "completeTask", self.complete_selected)
        self.yes_button = _button("Ответить: да", "answerYes", lambda: self.answer_selected(True))
        self.no_button = _button("Ответить: нет", "answerNo", lambda: self.answer_selected(False))
        self.reschedule_due = DueEdit("rescheduleDue")
        self.reschedule_button = _button("Перенести", "rescheduleTask", self.reschedule_selected)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.result, 0, 0)
        row = QHBoxLayout()
        for button in (self.complete_button, self.yes_button, self.no_button):
            row.addWidget(button)
        grid.addLayout(row, 0, 1)
        grid.addWidget(self.reschedule_due, 1, 0)
        grid.addWidget(self.reschedule_button, 1, 1, Qt.AlignmentFlag.AlignLeft)
        return box

    def _new_task_form(self) -> QWidget:
        self.new_form = QFrame(objectName="newTaskForm", frameShape=QFrame.Shape.StyledPanel)
        self.task_type = QComboBox(objectName="newTaskType")
        for code, name in TaskType.NAMES.items():
            self.task_type.addItem(name, code)
        self.addressee = QComboBox(objectName="newTaskAddressee")
        self.new_due = DueEdit("newTaskDue")
        self.all_day = QCheckBox("весь день", objectName="newTaskAllDay")
        self.task_text = QLineEdit(objectName="newTaskText", placeholderText="Что сделать")
        self.task_text.returnPressed.connect(self.add_task)
        add = _button("Поставить задачу", "addTask", self.add_task)
        grid = QGridLayout(self.new_form)
        grid.addWidget(QLabel("Тип:"), 0, 0)
        grid.addWidget(self.task_type, 0, 1)
        grid.addWidget(QLabel("Кому:"), 0, 2)
        grid.addWidget(self.addressee, 0, 3)
        grid.addWidget(QLabel("Срок:"), 1, 0)
        grid.addWidget(self.new_due, 1, 1, 1, 2)
        grid.addWidget(self.all_day, 1, 3)
        grid.addWidget(QLabel("Текст:"), 2, 0)
        grid.addWidget(self.task_text, 2, 1, 1, 2)
        grid.addWidget(add, 2, 3)
        grid.setColumnStretch(3, 1)
        return self.new_form

    def _design_loop(self) -> QWidget:
        self.design_box = QFrame(objectName="designLoop", frameShape=QFrame.Shape.StyledPanel)
        self.design_hint = QLabel(objectName="designHint", wordWrap=True)
        ask = _button("Спросить конструктора", "askFeasibility", self.ask_feasibility)
        ask.setToolTip("Подтверждение для конструктора: возможно ли создать такую кровать технически "
                       "(с последним рисунком дизайна)")
        ready = _button("Дизайн готов", "designReady", self.design_ready)
        ready.setToolTip("«Связаться с клиентом. Дизайн готов» для группы «Магазины»")
        row = QHBoxLayout(self.design_box)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(QLabel("Дизайн:"))
        row.addWidget(self.design_hint, 1)
        row.addWidget(ask)
        row.addWidget(ready)
        return self.design_box

    def _receipt_offer(self) -> QWidget:
        self.receipt_box = QFrame(objectName="receiptOffer", frameShape=QFrame.Shape.StyledPanel)
        self.receipt_box.setStyleSheet("#receiptOffer { background: #fff8e1; }")
        self.receipt_label = QLabel(wordWrap=True)
        button = _button("Поставить", "confirmReceipt", self.confirm_receipt)
        row = QHBoxLayout(self.receipt_box)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.receipt_label, 1)
        row.addWidget(button)
        return self.receipt_box

    # --- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the tasks, keeping the selected one selected."""
        current = self.selected()
        self.model.load(self.deal_id)
        count = self.model.rowCount()
        self.title.setText("<b>Задачи</b>" + (f" ({count})" if count else " — нет открытых задач"))
        if current is not None:
            for row, line in enumerate(self.model.rows):
                if line.id == current.id:
                    self.view.setCurrentIndex(self.model.index(row, 0))
        chosen = self.addressee.currentData()
        self.addressee.clear()
        for choice in tasks.addressees():
            self.addressee.addItem(choice.label, choice)
        if chosen is not None:
            self.addressee.setCurrentIndex(max(self.addressee.findText(chosen.label), 0))
        self.design_box.setVisible(tasks.can_ask_feasibility(self.user))
        if self.design_box.isVisibleTo(self):
            self.design_hint.setText(tasks.design_loop_hint(self.deal_id))
        self._refresh_offer()
        self._update_actions()

    def _refresh_offer(self) -> None:
        offered = tasks.offers_confirm_receipt(self.deal_id)
        self.receipt_box.setVisible(offered)
        if offered:
            planned = deals.load_deal(self.deal_id).planned_delivery_date
            text = f"Заказ отгружен. Поставить задачу «Связаться с клиентом: {tasks.CONFIRM_RECEIPT}»"
            if planned is None:
                text += " — сначала укажите плановую дату доставки («Оплата и доставка»)."
            else:
                due = planned + timedelta(days=1)
                text += f" на {due:%d.%m.%Y} (день после доставки {planned:%d.%m.%Y})?"
            self.receipt_label.setText(text)

    def selected(self) -> TaskLine | None:
        index = self.view.currentIndex()
        return index.siblingAtColumn(0).data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _update_actions(self, *_) -> None:
        line = self.selected()
        question = line is not None and tasks.is_feasibility_question(line)
        answering = question and tasks.can_answer_feasibility(self.user)
        for widget in (self.result, self.complete_button, self.reschedule_due, self.reschedule_button):
            widget.setEnabled(line is not None)
        self.complete_button.setVisible(not answering)
        self.yes_button.setVisible(answering)
        self.no_button.setVisible(answering)
        self.result.setPlaceholderText("Замечания конструктора" if answering else "Результат (что сделано)")
        if line is not None:
            self.reschedule_due.set_local(clock.to_local(line.due_at).replace(tzinfo=None))

    def _toggle_new(self, shown: bool) -> None:
        self.new_form.setVisible(shown)
        if shown:
            self.task_text.setFocus()

    # --- actions -------------------------------------------------------------------------------
    def _run(self, title: str, action: Callable[[], object]) -> bool:
        return self.window_.action_runner.run(self, title, action) is not None

    def add_task(self) -> None:
        choice = self.addressee.currentData()
        if choice is None:
            return
        done = self._run("Задача не поставлена", lambda: tasks.add_task(
            self.deal_id, self.user, text=self.task_text.text(), type=self.task_type.currentData(),
            due_at=self.new_due.due_utc(), all_day=self.all_day.isChecked(), **choice.as_kwargs()))
        if done:
            self.task_text.clear()
            self.new_button.setChecked(False)
            self.new_form.hide()

    def complete_selected(self) -> None:
        line = self.selected()
        if line is None:
            return
        if tasks.is_feasibility_question(line) and tasks.can_answer_feasibility(self.user):
            return  # answered with «да»/«нет»
        if self._run("Задача не выполнена", lambda: tasks.complete_task(line.id, self.user, self.result.text())):
            self.result.clear()

    def answer_selected(self, possible: bool) -> None:
        line = self.selected()
        if line is None:
            return
        if self._run("Ответ не отправлен", lambda: tasks.answer_feasibility(
                line.id, self.user, possible, self.result.text())):
            self.result.clear()

    def reschedule_selected(self) -> None:
        line = self.selected()
        if line is not None:
            self._run("Срок не перенесён", lambda: tasks.reschedule_task(
                line.id, self.user, self.reschedule_due.due_utc()))

    def ask_feasibility(self) -> None:
        self._run("Вопрос не отправлен", lambda: tasks.ask_feasibility(self.deal_id, self.user))

    def design_ready(self) -> None:
        self._run("Задача не поставлена", lambda: tasks.design_ready(self.deal_id, self.user))

    def confirm_receipt(self) -> None:
        self._run("Задача не поставлена", lambda: tasks.confirm_receipt(self.deal_id, self.user))
