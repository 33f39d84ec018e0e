"""The «Задачи» list as a two-level item model: the sections, and under each its tasks."""
from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.reminder_rules import Section
from app.services.my_tasks import TaskRow

COLUMNS = ("Срок", "Сделка", "Тип", "Задача", "Поставил", "Кому")
OVERDUE_COLOR = QColor("#c62828")
DONE_COLOR = QColor("#757575")
Index = QModelIndex | QPersistentModelIndex


class TaskRole(IntEnum):
    TASK_ID = Qt.ItemDataRole.UserRole + 1
    DEAL_ID = Qt.ItemDataRole.UserRole + 2
    SECTION = Qt.ItemDataRole.UserRole + 3


class TasksModel(QAbstractItemModel):
    """Top-level rows are the sections of ``Section.ORDER``; a task's internal id is its section's
    row + 1 (0 marks a section row)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: dict[str, list[TaskRow]] = {code: [] for code in Section.ORDER}

    def set_rows(self, rows: list[TaskRow]) -> None:
        self.beginResetModel()
        self._rows = {code: [] for code in Section.ORDER}
        for row in rows:
            self._rows[row.section].append(row)
        self.endResetModel()

    def section_count(self, section: str) -> int:
        return len(self._rows[section])

    def index_of_task(self, task_id: int) -> QModelIndex:
        for section_row, code in enumerate(Section.ORDER):
            for row, task in enumerate(self._rows[code]):
                if task.id == task_id:
                    return self.createIndex(row, 0, section_row + 1)
        return QModelIndex()

    def task_at(self, index: Index) -> TaskRow | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._rows[Section.ORDER[index.internalId() - 1]][index.row()]

    # --- QAbstractItemModel
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(Section.ORDER)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._rows[Section.ORDER[parent.row()]])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._section_data(Section.ORDER[index.row()], index.column(), role)
        return self._task_data(self._rows[Section.ORDER[index.internalId() - 1]][index.row()], index.column(), role)

    def _section_data(self, code: str, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            return f"{Section.NAMES[code]} ({len(self._rows[code])})"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and code == Section.OVERDUE and self._rows[code]:
            return QBrush(OVERDUE_COLOR)
        if role == TaskRole.SECTION:
            return code
        return None

    def _task_data(self, task: TaskRow, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            text = task.text if task.result is None else f"{task.text} — {task.result}"
            return (task.due_text, task.deal_title, task.type_name, text, task.set_by, task.addressee)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return task.text
        if role == Qt.ItemDataRole.ForegroundRole:
            if task.section == Section.OVERDUE:
                return QBrush(OVERDUE_COLOR)
            if task.section == Section.DONE:
                return QBrush(DONE_COLOR)
            return None
        return {TaskRole.TASK_ID: task.id, TaskRole.DEAL_ID: task.deal_id, TaskRole.SECTION: task.section}.get(role)
