"""The constructor's workstation: the queue of orders at «Раскрой» and «Производство», and below
it the panels — first the tasks addressed to the constructor (or their group «Конструктор»).

Other screens add panels with ``ConstructorScreen.add_panel`` (the cut sheets, for one) and follow
the selected order through the ``order_selected`` signal (a deal id, or 0 for none).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import clock
from app.domain.changes import Changes
from app.domain.codes import TaskType
from app.queries.task_subject import task_subject
from app.queries.workstation_queues import CONSTRUCTOR_QUEUE, constructor_orders, constructor_tasks
from app.services import deals, tasks
from ui.common import msgbox
from ui.common.list_table_model import ListTableModel
from ui.common.production_orders import OrdersModel, Roles

QUEUE_WIDTH = 560  # the left column of the workspace: the queue and the lists
ORDER_COLUMNS = ("order_no", "surname", "model", "stage", "deadline")


class TasksModel(ListTableModel):
    HEADERS = ("Срок", "Заказ", "Тип", "Задача")

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        task = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return tasks.describe_due(task)
            if column == 1:
                return f"№{task.deal.order_no} {task.deal.name}" if task.deal_id else ""
            if column == 2:
                return TaskType.NAMES[task.type]
            return task.text
        if role == Qt.ItemDataRole.ForegroundRole and task.due_at < clock.now():
            return QBrush(QColor("#a40000"))
        if role == Qt.ItemDataRole.UserRole:
            return task.id
        return None


class ConstructorScreen(QWidget):
    order_selected = Signal(int)

    def __init__(self, window) -> None:
        super().__init__(objectName="constructorScreen")
        self.window_ = window
        self.orders = OrdersModel(ORDER_COLUMNS, self)
        self.orders_view = self._table("constructorOrders", self.orders)
        self.orders_view.horizontalHeader().setSectionResizeMode(
            ORDER_COLUMNS.index("model"), QHeaderView.ResizeMode.Stretch)  # elided in a narrow column
        self.orders_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.orders_view.verticalHeader().setDefaultSectionSize(24)
        self.orders_view.selectionModel().currentRowChanged.connect(self._order_changed)
        to_production = QPushButton("В производство", objectName="constructorToProduction")
        to_production.setToolTip("Документация и листы раскроя готовы: передать заказ в производство")
        to_production.clicked.connect(self.send_to_production)
        self.queue_label = QLabel(objectName="constructorQueueLabel")
        top_bar = QHBoxLayout()
        top_bar.addWidget(self.queue_label, 1)
        top_bar.addWidget(to_production)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addLayout(top_bar)
        top_layout.addWidget(self.orders_view)

        self.tasks = TasksModel(self)
        self.tasks_view = self._table("constructorTasks", self.tasks)
        self.tasks_view.horizontalHeader().setStretchLastSection(True)
        self.tasks_view.doubleClicked.connect(lambda _index: self.complete_selected_task())
        done = QPushButton("Выполнить…", objectName="constructorTaskDone")
        done.clicked.connect(self.complete_selected_task)
        tasks_panel = QWidget()
        tasks_layout = QVBoxLayout(tasks_panel)
        tasks_bar = QHBoxLayout()
        tasks_bar.addStretch(1)
        tasks_bar.addWidget(done)
        tasks_layout.addLayout(tasks_bar)
        tasks_layout.addWidget(self.tasks_view)

        self.panels = QTabWidget(objectName="constructorPanels")
        column = QSplitter(Qt.Orientation.Vertical)
        column.addWidget(top)
        column.addWidget(self.panels)
        column.setSizes([300, 600])
        # the right: the open cut sheet (its layouts get most of the screen), see set_sheet_area
        self.sheet_slot = QWidget(objectName="constructorSheetSlot")
        QVBoxLayout(self.sheet_slot).setContentsMargins(0, 0, 0, 0)
        self.workspace = QSplitter(Qt.Orientation.Horizontal, objectName="constructorWorkspace")
        self.workspace.addWidget(column)
        self.workspace.addWidget(self.sheet_slot)
        self.workspace.setStretchFactor(1, 1)
        self.workspace.setSizes([QUEUE_WIDTH, 1600 - QUEUE_WIDTH])
        QVBoxLayout(self).addWidget(self.workspace)
        self.add_panel("Задачи конструктора", tasks_panel)
        window.changed.connect(self.on_changed)
        self.refresh()

    @staticmethod
    def _table(name: str, model: QAbstractTableModel) -> QTableView:
        view = QTableView(objectName=name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return view

    def set_sheet_area(self, widget: QWidget) -> None:
        """What fills the workspace's right side (the open cut sheet)."""
        self.sheet_slot.layout().addWidget(widget)

    def add_panel(self, title: str, widget: QWidget) -> None:
        """Another panel under the queue (e.g. «Листы раскроя»); it may follow ``order_selected``."""
        self.panels.addTab(widget, title)

    def selected_deal_id(self) -> int | None:
        index = self.orders_view.currentIndex()
        return self.orders.data(index, Roles.DEAL_ID) if index.isValid() else None

    def _order_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.order_selected.emit(self.orders.data(current, Roles.DEAL_ID) or 0 if current.isValid() else 0)

    def on_changed(self, changes: Changes) -> None:
        """The queue shows the orders at «Раскрой» and «Производство» and the constructor's tasks."""
        if changes.tasks or changes.touches(CONSTRUCTOR_QUEUE, (row.deal_id for row in self.orders.rows)):
            self.refresh()

    def refresh(self) -> None:
        selected, task_index = self.selected_deal_id(), self.tasks_view.currentIndex()
        task_id = self.tasks.data(task_index, Qt.ItemDataRole.UserRole) if task_index.isValid() else None
        self.orders.set_rows(constructor_orders())
        cutting = sum(1 for row in self.orders.rows if row.stage == "cutting")
        self.queue_label.setText(f"Раскрой: {cutting} · Производство: {len(self.orders.rows) - cutting}")
        self.tasks.set_rows(constructor_tasks(self.window_.user))
        if selected is not None and (row := self.orders.row_of_deal(selected)) is not None:
            self.orders_view.setCurrentIndex(self.orders.index(row, 0))
        for row, task in enumerate(self.tasks.rows):
            if task.id == task_id:
                self.tasks_view.setCurrentIndex(self.tasks.index(row, 0))

    def send_to_production(self) -> None:
        deal_id = self.selected_deal_id()
        if deal_id is None:
            msgbox.info(self, "Производство", "Выберите заказ в очереди")
            return
        self.window_.action_runner.run(self, "Заказ не передан",
                                       lambda: deals.move_deal(deal_id, "production", self.window_.user))

    def complete_selected_task(self) -> None:
        """«Выполнить»: a feasibility question gets «да»/«нет» + remarks, other tasks a result."""
        index = self.tasks_view.currentIndex()
        if not index.isValid():
            msgbox.info(self, "Задачи", "Выберите задачу")
            return
        task = self.tasks.rows[index.row()]
        if task.text.startswith(tasks.FEASIBILITY_QUESTION):
            possible = msgbox.ask(self, "Ответ дизайнеру", f"{task_subject(task)}\n\nТакую кровать сделать можно?")
            remarks = msgbox.ask_text(self, "Ответ дизайнеру", "Замечания (можно пусто):")
            if remarks is not None:
                self.window_.action_runner.run(self, "Задача не выполнена", lambda: tasks.answer_feasibility(
                    task.id, self.window_.user, possible, remarks))
            return
        result = msgbox.ask_text(self, "Выполнить задачу", f"{task_subject(task)}\n\nРезультат:")
        if result is not None:
            self.window_.action_runner.run(self, "Задача не выполнена",
                                           lambda: tasks.complete_task(task.id, self.window_.user, result))
